// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

// Package mockapi is an in-memory fake of the Cloud Elements API (api-v2)
// for the provider's acceptance tests and for a local sandbox
// (internal/cmd/cloudelements-mock). It imports nothing from the provider or
// the API client and uses only the standard library.
//
// A *Server is an http.Handler serving the API under Prefix
// (/elements/api-v2) and admin endpoints under AdminPrefix (/__admin/, see
// AdminHandler). One sync.Mutex guards the store, the request log, the
// fault queue and the event log; event deliveries run in their own
// goroutines and never hold it during I/O. Tests drive it with Seed,
// SeedDocumented, Mutate and Remove (changes behind the provider's back),
// read it with Instance, Instances, Requests, RequestCount and Events, read
// the element catalog with Elements and LookupElement, wait for webhook
// deliveries with WaitForDeliveries, make it misbehave with InjectFault,
// pick a reading of what no source settles with the Options fields below,
// and stop background deliveries with Close.
//
// # Sources
//
// Every behaviour below names a public source: the Markdown source of the
// vendor's old developer portal (cloud-elements/devportal@dad35730983a, cited
// repo@commit:path#Lline), the vendor's test suite (a public fork,
// varunpal72/churros@7d21f63a2cd3), or a vendor page by URL. Behaviour no
// source states says "unverified" and names the Options field that switches
// readings. The element catalog, catalog/elements.json, is distilled from the
// documented create request/response pairs; each entry carries its own
// sources (sources.request, sources.response, maskedSources).
//
// # Implemented
//
//	Authorization: User <u>, Organization <o>[, Element <token>]
//	    required on every API call (except the OAuth URL), parts in that order,
//	    whitespace free; a given Element token must belong to a live instance
//	    (dead after DELETE or re-auth); else 401 with the API's message
//	    src: https://docs.cloud-elements.com/home/organization-secret-and-user-secret;
//	    cloud-elements/devportal@dad35730983a:_includes/error-codes.md#L18;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/elements/instances.js#L302
//	element catalog
//	    the 115 documented elements of catalog/elements.json (parsed on first
//	    use) plus the synthetic element "fake" (id 1, no OAuth, no inputs, no
//	    server keys: for tests). An element's id is its documented id when no
//	    other element (fake included) has it, else 100000 + its catalog index;
//	    the embedded element object's "id" is that id, so element.id and
//	    elementId agree. Instance fields some pages nest inside "element" (the
//	    entry's anomalies say so) are dropped from it
//	    src: catalog/elements.json, per element
//	POST /instances, POST /elements/{keyOrId}/instances
//	    200 (not 201) with the instance; header elements-element-instance-id;
//	    ids from 1000 up; element {"key"} or {"id"} (number or string), or the
//	    path's key or id; unknown -> 400
//	    src: varunpal72/churros@7d21f63a2cd3:src/core/provisioner.js#L121;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/elements/instances.js#L323, #L252;
//	    https://docs.cloud-elements.com/home/post-instances
//	name required; HTML stripped from name and tags
//	    400 when missing or empty (also after stripping)
//	    src: https://docs.cloud-elements.com/home/authenticate-instance-api;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/elements/instances.js#L270
//	tags on create
//	    a create without "tags" (or with null) is tagged with its sanitised
//	    name; "tags": [] means no tags (unverified: no source shows it)
//	    src: varunpal72/churros@7d21f63a2cd3:src/test/platform/elements/instances.js#L287,
//	    varunpal72/churros@7d21f63a2cd3:src/core/provisioner.js#L19
//	configuration values
//	    stored as strings (true -> "true", 15 -> "15", objects and arrays as
//	    compact JSON); a null sent on create or PUT counts as not sent; stored
//	    nulls (server keys, credentials) are kept apart
//	    (Instance.NullConfiguration) and answered as JSON null
//	    src: cloud-elements/devportal@dad35730983a:docs/elements/wufoo/wufoo-create-instance.md#L75
//	server keys (elements whose documented configuration is populated)
//	    every documented server key the create did not send is added with its
//	    documented value or null (base.url, pagination.*, bulk.*, event.*, ...)
//	    src: catalog/elements.json serverKeys, per element (sources.response)
//	credentials (after an OAuth exchange)
//	    with providerData.code, the documented credentials are added: fresh
//	    random values for token-like keys (oauth.user.token,
//	    oauth.user.refresh_token, oauth.user.token.secret, session ids), the
//	    documented value for the others (oauth.user.refresh_interval, ...);
//	    documented nulls and empty values stay so
//	    src: catalog/elements.json credentials, per element (sources.response)
//	stated defaults (elements without a documented configuration)
//	    filter.response.nulls="true" and event.notification.enabled="false"
//	    when absent, also re-added after PATCH
//	    src: cloud-elements/devportal@dad35730983a:_includes/common-instance-config.md#L5, #L9
//	OAuth elements need providerData.code
//	    400 without it (elements with "oauth": true in the catalog)
//	    src: https://docs.cloud-elements.com/home/authenticate-instance-api
//	required inputs
//	    a create missing an input the catalog marks required answers 400
//	    naming the missing keys (the message is stated; the status is
//	    unverified)
//	    src: cloud-elements/devportal@dad35730983a:docs/elements/wufoo/wufoo-create-instance.md#L70
//	event.vendor.type webhook|webhooks|polling; event.poller.configuration JSON
//	    other values, invalid JSON: 400
//	    src: cloud-elements/devportal@dad35730983a:_includes/events/polling-parameters.md#L9;
//	    cloud-elements/devportal@dad35730983a:docs/guides/event-management/provisioning-apis.md#L30
//	masking (responses only; stored in clear)
//	    "********" for the element's documented masked keys; for elements
//	    without a documented configuration, keys containing "password" (any
//	    case); event.notification.signature.key (unverified: no documented
//	    response shows it set). Nothing else: oauth.api.secret and the
//	    oauth.user.* tokens are shown in clear, as documented
//	    src: catalog/elements.json masked and maskedSources;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/elements/instances.js#L30, #L142, #L143;
//	    cloud-elements/devportal@dad35730983a:_includes/elements-guide/table-config-params.md#L8;
//	    cloud-elements/devportal@dad35730983a:docs/elements/paypal/paypal-create-instance.md#L113
//	instance shape
//	    id number, createdDate RFC 3339 UTC seconds, token, the element's full
//	    documented element object, elementId, provisionInteractions [], valid,
//	    disabled, maxCacheSize, cacheTimeToLive, configuration (with nulls),
//	    eventsEnabled, traceLoggingEnabled, cachingEnabled,
//	    externalAuthentication "none", user; providerData never returned
//	    src: cloud-elements/devportal@dad35730983a:docs/platform-api/instances/index.md#L63;
//	    cloud-elements/devportal@dad35730983a:docs/elements/wufoo/wufoo-create-instance.md#L75;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/elements/instances.js#L63
//	tags in responses
//	    omitted when the instance has none (most documented responses have
//	    none); {"id", "name"} objects for elements documented so (dropbox; the
//	    id is a stable hash of the name), else strings
//	    src: cloud-elements/devportal@dad35730983a:docs/platform-api/instances/index.md#L81, #L131
//	eventsNotificationCallbackUrl (top level)
//	    the callback URL while events are on; else "false" for the elements
//	    documented so (documented URL values were shown with events on, so
//	    they are not used); else absent
//	    src: cloud-elements/devportal@dad35730983a:docs/elements/wufoo/wufoo-create-instance.md#L120
//	GET /instances/{id}
//	    200 / 404; a non-numeric id is 400
//	    src: cloud-elements/devportal@dad35730983a:docs/platform-api/instances/index.md#L238
//	PATCH /instances/{id}
//	    name and tags replace when present and not null; configuration merges;
//	    providerData merges into hidden storage. What null does to a key is
//	    unverified: Options.PatchNull (below)
//	    src: cloud-elements/devportal@dad35730983a:docs/platform-api/instances/index.md#L289;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/elements/instances.js#L234
//	PUT /instances/{id}
//	    replaces name (required) and tags (absent -> none); configuration per
//	    Options.PutAbsentKeys (below); the element cannot change
//	    src: cloud-elements/devportal@dad35730983a:docs/platform-api/instances/index.md#L168;
//	    cloud-elements/devportal@dad35730983a:_includes/common-instance-config.md#L3
//	PUT /instances/{id}?reAuthenticate=true
//	    providerData.code required (400); a new token (the old one dies);
//	    credentials rewritten with fresh values; valid again. The recipe sends
//	    the GET body back, so "********" for a key the mock masks keeps the
//	    stored value (inference, on every PUT)
//	    src: https://docs.cloud-elements.com/home/steps-to-re-authenticate-a-salesforce-instance-with-the-api
//	DELETE /instances/{id}
//	    200 {} / 404
//	    src: cloud-elements/devportal@dad35730983a:docs/platform-api/instances/index.md#L236
//	PUT|DELETE /instances/enabled (Element <token> in Authorization)
//	    enable / disable the token's instance; 200 with the instance; no
//	    Element part 400, a dead token 401
//	    src: https://docs.cloud-elements.com/home/disabling-and-enabling-instances
//	PUT|DELETE /instances/{id}/enabled
//	    the same by id; 200 with the instance / 404. A disabled instance is
//	    still read, updated and toggled; hub APIs (which would answer 403) are
//	    not served
//	    src: varunpal72/churros@7d21f63a2cd3:src/test/platform/elements/instances.js#L331, #L334
//	GET /instances
//	    a bare array sorted by id; [] when the store is empty; tags[]
//	    (repeatable; "tags" accepted too) and hydrate (ignored) accepted;
//	    searchText, paging, the 404 on an empty search and whether an entry
//	    carries all that GET /instances/{id} answers are unverified:
//	    Options.TagsFilter, SearchText, Paging, EmptySearch404, ListEntries
//	    (below)
//	    src: cloud-elements/devportal@dad35730983a:docs/platform-api/instances/index.md#L112;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/elements/instances.js#L173;
//	    varunpal72/churros@7d21f63a2cd3:src/core/provisioner.js#L317
//	pageSize / nextPage / Elements-Next-Page-Token
//	    the vendor's cursor convention (for hub APIs); default and maximum
//	    Options.MaxPageSize (200); larger sizes clamped, <1 or non-numeric 400;
//	    a bad token 400; Elements-Total-Count and Elements-Returned-Count
//	    src: https://docs.cloud-elements.com/home/how-does-cursor-pagination-work
//	GET /elements
//	    every element object of the catalog (id, key, name, ...); the
//	    documented paging is not modelled (the catalog is one page)
//	    src: https://docs.cloud-elements.com/home/elements-api-reference
//	GET /elements/{keyOrId}
//	    the embedded element object (mock id) plus "configuration" (the
//	    definitions below) and "events": {"supported", "methods"} when the
//	    catalog knows them; unknown element 404 "No element found with key or
//	    id 'x'"
//	    src: cloud-elements/devportal@dad35730983a:docs/legacy/element-builder/create-via-api.md#L138;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/elements/metadata.js#L31
//	GET /elements/{keyOrId}/metadata
//	    {"id", "key", "name", "description", "events": {"supported",
//	    "methods"}}; unknown events read as not supported, methods []
//	    src: varunpal72/churros@7d21f63a2cd3:src/core/provisioner.js#L68;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/elements/assets/element.metadata.schema.json
//	GET /elements/{keyOrId}/configuration
//	    the definitions: key, name, description, defaultValue (omitted when
//	    none), required, type, internal, hideFromConsole, active,
//	    companyConfig, resellerConfig, displayOrder. Inputs: visible, required
//	    as catalogued, type PASSWORD when the key contains password, secret or
//	    token (not a .url/_url/.uri key), else BOOLEAN / TEXTAREA /
//	    TEXTFIELD_128 as catalogued (oauth.api.key is the OAuth client id: not
//	    PASSWORD). Every OAuth element (element authentication type oauth,
//	    oauth1 or oauth2, e.g. hubspot) also defines oauth.callback.url,
//	    oauth.api.key and oauth.api.secret, optional when its documented
//	    create did not send them
//	    (src: https://docs.cloud-elements.com/home/authenticate-instance-api;
//	    cloud-elements/devportal@dad35730983a:docs/elements/egnyte/events.md,
//	    Parameters). Server keys and credentials: internal and hidden, server
//	    keys with their documented value as default. Standard keys (visible,
//	    UI label as name): filter.response.nulls BOOLEAN "true",
//	    event.notification.enabled BOOLEAN "false",
//	    event.notification.callback.url TEXTFIELD_1000,
//	    event.notification.signature.key PASSWORD, event.vendor.type
//	    TEXTFIELD_32 (default: the documented vendor type), and for polling
//	    elements event.poller.refresh_interval TEXTFIELD_32 and
//	    event.poller.configuration TEXTAREA; a documented server-key value is
//	    the default of any key
//	    src: cloud-elements/devportal@dad35730983a:_includes/elements-guide/table-config-params.md#L8;
//	    cloud-elements/devportal@dad35730983a:docs/guides/elements/events.md#L86;
//	    cloud-elements/devportal@dad35730983a:_includes/events/polling-parameters.md#L8
//	Options.CatalogStatus
//	    when non-zero every catalog read (GET /elements/...) answers that
//	    status, to test the provider under a catalog it may not read (a test
//	    device, not vendor behaviour)
//	GET /elements/{keyOrId}/oauth/url?apiKey=&apiSecret=&callbackUrl=&state=[&scope=]
//	    no Authorization needed; {"oauthUrl", "element": key}: the documented
//	    oauth.authorization.url when it is an absolute URL, else
//	    https://<key>.oauth.example.com/authorize, with response_type=code,
//	    client_id=apiKey, redirect_uri=callbackUrl, state and scope when given
//	    (query-escaped). apiSecret never appears. No apiKey or callbackUrl, or
//	    not an OAuth element: 400; unknown element 404
//	    src: cloud-elements/devportal@dad35730983a:docs/elements/salesforce/salesforce-create-instance.md#L55, #L72;
//	    the 83 documented answers (e.g. cloud-elements/devportal@dad35730983a:docs/elements/actessentials/actessentials-create-instance.md#L40)
//	POST /events/{elementKey} (vendor webhooks)
//	    the instance by ?elementInstanceId (with User and Organization) or by
//	    the Element token, which may also come alone ("Element <token>"); no
//	    instance 404, key not the instance's element 400, neither given 400,
//	    bad JSON 400; 200 {"id", "status":"RECEIVED", "eventIds"}. How the
//	    instance is named is unverified (the test suite sends an
//	    Element-Instances header, not served)
//	    src: cloud-elements/devportal@dad35730983a:_includes/Elements/dropbox/setup.md#L40;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/formulas/assets/common.js#L84
//	event notification POSTs to the callback URL
//	    when event.notification.enabled is "true", the instance is enabled and
//	    a callback URL is set. Body {"eventId", "instanceId", "response":
//	    {"events": [...]}, "notificationId", "message": {eventId, userId:
//	    123456, instanceId, elementKey, raw, events: [{date, elementKey,
//	    eventType, objectId, objectType}]}}: the pages' top-level shape and the
//	    test suite's message object, both; one id per notification (eventId,
//	    notificationId, message.eventId, Elements-Webhook-Id; a string)
//	    src: cloud-elements/devportal@dad35730983a:docs/guides/event-management/triggering.md#L54;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/events/events.js#L49;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/formulas/assets/formulas/big-formula.json#L13
//	notification headers
//	    Content-Type, Elements-Webhook-Id, Elements-Webhook-Signature
//	    sha256=base64(HMAC-SHA256(key, body bytes)) when
//	    event.notification.signature.key is non-empty
//	    src: cloud-elements/devportal@dad35730983a:docs/guides/event-management/security.md#L15;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/events/events.js#L43, #L44, #L46
//	at most 20 events per notification (10 polling)
//	    split into notifications <id>, <id>-2, <id>-3, ... each its own log
//	    entry and Elements-Webhook-Id
//	    src: https://help.openconnectors.ext.hana.ondemand.com/home/triggering-events
//	retries (1 + 9), statuses
//	    2xx -> NOTIFIED; else retried up to Options.DeliveryAttempts (10) in
//	    all after Options.DeliveryBackoff (1s doubling, 5m cap); DISPATCHED
//	    meanwhile, FAILED after the last
//	    src: cloud-elements/devportal@dad35730983a:docs/guides/event-management/tips.md#L41;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/events/events.js#L59
//	error body {requestId, message, providerMessage?}
//	    on every error; Elements-Request-Id on every response (24 hex digits)
//	    src: cloud-elements/devportal@dad35730983a:_includes/error-codes.md#L8;
//	    https://docs.cloud-elements.com/home/how-does-cursor-pagination-work
//	400 / 404 / 405 / 406 / 415
//	    bad JSON or fields / unknown route or id / wrong method on a known
//	    route (with Allow) / Accept without JSON / a body without a JSON
//	    content type
//	    src: cloud-elements/devportal@dad35730983a:_includes/error-codes.md#L17-L24
//	429 / 500 / 502 / 503, Retry-After
//	    only through injected faults
//	    src: https://docs.cloud-elements.com/home/usage-limits
//
// # Unverified readings (Options)
//
// No public source settles these; the zero value is the default reading,
// listed first. The command cloudelements-mock has a flag for each.
//
//	Options.PatchNull      null in PATCH configuration: "remove" the key (then,
//	                       for elements without a documented configuration, the
//	                       stated defaults come back) | "ignore" (unchanged) |
//	                       "reset" (the element's default: documented server key
//	                       or stated default, null included; else removed)
//	Options.PutAbsentKeys  configuration keys a PUT leaves out: "remove" (full
//	                       replace, then the element's defaults re-added as on
//	                       create) | "keep" (they keep their values)
//	Options.TagsFilter     several tags[]: "all" must match | "any" | "ignore"
//	                       the filter
//	Options.SearchText     "honour" (case-insensitive substring of the name) |
//	                       "ignore"
//	Options.Paging         "cursor" (a token only when more items follow) |
//	                       "none" (every item, no paging headers, pageSize and
//	                       nextPage ignored) | "always-token" (a token on every
//	                       page, empty pages included, so the last page is
//	                       followed by an empty one: the vendor states a token
//	                       "is returned regardless if there is data on the next
//	                       page", https://docs.cloud-elements.com/home/how-does-cursor-pagination-work)
//	Options.EmptySearch404 nil or true: a tags[]/searchText filter that matches
//	                       nothing answers 404 {"message":"No instances found"};
//	                       false: []
//	Options.ListEntries    what a GET /instances entry carries: "full" (the
//	                       object GET /instances/{id} answers; the listing
//	                       accepts hydrate, which suggests hydrated entries by
//	                       default, but no source shows one) |
//	                       "no-configuration" ("configuration": null, as a
//	                       listing that does not hydrate it would) | "masked"
//	                       (every configuration value "********")
//
// # Not implemented, on purpose
//
//	OAuth flows (redirects, token exchange)    the mock accepts any non-empty providerData.code;
//	                                           there is no vendor to talk to
//	externalAuthentication "initial"           ignored on input, always "none": the provider
//	                                           does not manage it
//	retrieveObjectsAfterInstantiation          ignored: no objects array
//	the 73-hour retry schedule                 the default schedule totals minutes (1s doubling,
//	                                           capped at 5m); tests pass a tiny DeliveryBackoff
//	polling vendors                            no poller runs: polling instances get events only
//	                                           through POST /events/{elementKey}, like webhooks
//	                                           (with batches of 10)
//	vendor payload formats                     the body must be JSON; only the simple shapes
//	                                           below yield typed events
//	CONSUMED status, event replay              not produced / not offered; NEW is never left in
//	                                           the log (entries start as RECEIVED)
//	subscriptionId, Elements-Error header      not needed by the provider
//	409 already exists                         no source gives a uniqueness rule for
//	                                           instances; duplicate names are allowed
//	instance sub-resources (configuration      not served (404): the provider does not use
//	records, event log), hub APIs              them; the event log is read with Events or
//	                                           GET /__admin/instances/{id}/events
//	automatic disabling after failed refresh   no tokens are ever refreshed
//
// # Choices where no source speaks
//
// Tags are de-duplicated, empty ones dropped, order kept. Masking applies to
// every non-null value of a masked key, including an empty one. Requests
// outside Prefix are recorded (route = the raw path) and answered 404
// without an auth check; unknown routes under Prefix are recorded with the
// path under Prefix as route and answered 401 (bad auth) or 404. Auth is
// checked before 404/405/406/415. Request.Status is 0 when no response was
// sent (dropped connection or a request cancelled during fault latency).
// Seed adds the element's defaults (server keys, else stated defaults) to
// what it is given; SeedDocumented goes through the create path itself.
//
// # Common resources (vdrs.go)
//
// Organization-level object definitions and transformations, with doctor
// (cloud-elements/doctor-core@edc52e3, the vendor's asset tool) as a third
// source. Tests read them with Definition(s) and Transformation(s), change
// them behind the provider's back with MutateDefinition and
// MutateTransformation, and remove them with RemoveDefinition and
// RemoveTransformation.
//
//	POST|GET|PUT|DELETE /organizations/objects/{objectName}/definitions
//	    body {"fields": [{"path", "type"}]}; 200 with {"fields": [{"type",
//	    "path", "level"}], "level": "organization"}, no objectName; unknown
//	    404; a field without path or type, or no fields member, 400
//	    src: cloud-elements/devportal@dad35730983a:_includes/transformations.md#L28-L68;
//	    cloud-elements/devportal@dad35730983a:docs/guides/common-resources/migrate.md#L26-L54;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/transformations/transformations.js#L86-L109
//	level on each definition field
//	    src: cloud-elements/doctor-core@edc52e3:test/assets/snapshot_export_103230_2020-11-27T05_53_21/vdrs/autotaskVDR/autotaskVDR.json#L1
//	    (the older devportal POST answer shows fields without it; readers
//	    must take both)
//	fields sorted by path, case-insensitive (unverified: the documented
//	    GET answers are so ordered, devportal:docs/guides/common-resources/migrate.md#L33;
//	    Options.VDRs.FieldOrder "sorted" | "as-sent")
//	POST of an existing definition: 409 (unverified; doctor PUTs existing
//	    names, doctor:src/core/commonResources/createObjectDefinitions.js#L17-L27;
//	    Options.VDRs.ExistingDefinition "conflict" | "replace"); PUT of an
//	    unknown one 404 (unverified)
//	DELETE of a definition a transformation still maps
//	    409 {"message": "Object definition '<name>' is used by the
//	    transformations of <element keys>; delete them first"} (the status
//	    is documented for the bulk delete; the message is the mock's)
//	    src: varunpal72/churros@7d21f63a2cd3:src/test/platform/organizations/objects.js#L76-L86;
//	    cloud-elements/doctor-core@edc52e3:src/core/commonResources/removeCommonResources.js#L8-L13
//	GET /organizations/objects/{objectName}/transformations
//	    [{"level", "element": {"key"}, "objectName", "vendorName"}] sorted by
//	    key; [] when none (unverified; the client also takes a 404 "No ...
//	    found")
//	    src: cloud-elements/doctor-core@edc52e3:src/core/commonResources/findTransformations.js#L5-L12
//	POST|GET|PUT|DELETE /organizations/elements/{keyOrId}/transformations/{objectName}
//	    POST creates or replaces; PUT of an unknown one 404 (unverified);
//	    DELETE 200; the element by key or catalog id (any other value is
//	    taken as a key: no source shows an unknown element)
//	    src: cloud-elements/devportal@dad35730983a:_includes/transformations.md#L166-L257;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/transformations/transformations.js#L86-L95, #L176-L177
//	the definition must exist first
//	    else 400 naming it (the status is unverified)
//	    src: cloud-elements/devportal@dad35730983a:_includes/transformations.md#L15
//	the answer adds level, objectName, elementKey, startDate
//	    ('YYYY-MM-DD hh:mm:ss.ffffff', kept across PUTs), isLegacy false when
//	    not sent, level on each field and configuration entry (an entry's own
//	    level is kept), and mimeType, level, filterEmptyResponse to the script
//	    src: cloud-elements/devportal@dad35730983a:docs/guides/common-resources/migrate.md#L90-L140;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/transformations/assets/transformation.schema.json;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/transformations/scripts.js#L26-L30;
//	    cloud-elements/doctor-core@edc52e3:test/assets/snapshot_export_103230_2020-11-27T05_53_21/vdrs/ErpCatalogCategory/ErpCatalogCategory.json#L1
//	each field's type comes from the definition (a sent type is replaced)
//	    src: cloud-elements/doctor-core@edc52e3:src/core/commonResources/createTransformations.js#L38-L51
//	a field whose path the definition lacks: 400 (unverified;
//	    Options.VDRs.UndefinedPaths "reject" | "accept", stored without a type)
//	isLegacy v2 -> v1 on PUT: 400
//	    src: varunpal72/churros@7d21f63a2cd3:src/test/platform/transformations/scripts.js#L78-L84
//	an empty vendorName is accepted
//	    src: varunpal72/churros@7d21f63a2cd3:src/test/elements/intacct/assets/transformations.json#L1
//	vendorType and a field's own configuration are kept as sent; a top-level
//	    "configuration": null means none
//	    src: varunpal72/churros@7d21f63a2cd3:src/test/platform/transformations/transformations.js#L53-L84
//
// The command cloudelements-mock sets the three readings with -vdr-field-order,
// -vdr-undefined-paths and -vdr-existing-definition.
//
// Not served: account and instance levels, the bulk
// /organizations/objects/definitions, /common-resources, /vdrs (export and
// import), the rename PATCH, displayName on fields, and account-level
// merging through "inherit".
//
// # Events
//
// A vendor body of {"objectType":"contacts","objectId":"42","eventType":
// "CREATED"[,"date":"<RFC 3339>"]} or {"events":[{...},...]} gives those
// events (eventType upper-cased; other values, and any other body, give one
// UNKNOWN event; objectId may be a number). Delivery settings (URL, key,
// enabled, disabled) are read when the event arrives; a notification not
// sent is logged RECEIVED with a note saying why. Each notification is
// delivered in its own goroutine with a per-attempt timeout
// (Options.DeliveryTimeout, 10s); the body and headers are the same on every
// attempt. Any answer other than 2xx (redirects are not followed) or a
// transport error is a failed attempt (lastStatusCode 0 for the latter).
// Retries stop when the instance is deleted or Close is called (the entry
// turns FAILED with lastError saying so). Events(id) returns the log with the
// bodies and the last attempt's headers; the admin endpoints
// POST /__admin/events/{elementKey} and GET /__admin/instances/{id}/events
// do the same without auth.
//
// # Formulas
//
// Formulas (templates), formula instances and their executions (formulas.go,
// formula_instances.go, formula_executions.go). Tests read and change them
// with Formula, MutateFormula, RemoveFormula, FormulaInstance,
// MutateFormulaInstance, RemoveFormulaInstance and FormulaExecutions.
//
//	POST /formulas, GET/PUT/DELETE /formulas/{id}
//	    200 (not 201) with the formula; a name alone is enough; a body carrying
//	    server fields (an export) is accepted, those fields reassigned
//	    src: varunpal72/churros@7d21f63a2cd3:src/core/cloud.js#L30-46;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/formulas/assets/common.js#L55-57;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/formulas/executions.js#L872
//	server fields and defaults
//	    id, userId, accountId, createdDate (now); active true and
//	    singleThreaded false when not sent; id and formulaId on every step and
//	    trigger, id on every configuration entry (kept across a PUT for the
//	    same step name / variable key); trigger async true, name "trigger",
//	    onFailure []; step onSuccess [] and onFailure []; configuration
//	    required false; api "<METHOD> <uri>" when method and uri are set
//	    src: cloud-elements/devportal@dad35730983a:docs/legacy/formulas/use-cases.md#L154-253;
//	    cloud-elements/devportal@dad35730983a:download/Sync-Contacts.json;
//	    cloud-elements/doctor-core@edc52e3:test/assets/snapshot_export_103230_2020-11-27T05_53_21/formulas
//	steps sorted by name on every answer (Options.FormulaStepOrder "sent"
//	keeps the order sent); object keys come back sorted
//	    src: cloud-elements/devportal@dad35730983a:download/Sync-Contacts.json;
//	    cloud-elements/devportal@dad35730983a:docs/legacy/formulas/use-cases.md#L105-110, #L198-203
//	names HTML-sanitised on create and PUT (formulas and instances)
//	    src: varunpal72/churros@7d21f63a2cd3:src/test/platform/formulas/formulas.js#L245-265;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/formulas/instances.js#L64-90
//	duplicate step names -> 400 naming the step; duplicate configuration keys -> 409
//	    src: cloud-elements/devportal@dad35730983a:_includes/Formulas/step-types-intro.md#L1;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/formulas/config.js#L16-20
//	GET /formulas
//	    where=name = '..' or name in ('..', ..) filters exactly; abridged=true
//	    drops steps; nothing found -> 404 "No formulas found" (unverified:
//	    Options.EmptyFormulas404=false answers [])
//	    src: cloud-elements/doctor-core@edc52e3:src/core/formulas/getFormulas.js#L16-19;
//	    cloud-elements/doctor-core@edc52e3:src/utils/http.js#L29-31;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/formulas/formulas.js#L23-48
//	PUT /formulas/{id}
//	    whole replacement; keys left out (steps, triggers, ...) are removed
//	    or defaulted (unverified: Options.FormulaPutOmitted "keep" keeps them);
//	    a top-level null removes the key (documented for method and uri)
//	    src: varunpal72/churros@7d21f63a2cd3:src/test/platform/formulas/faar.js#L86-97;
//	    src: varunpal72/churros@7d21f63a2cd3:src/test/platform/formulas/instances.js#L302-369;
//	    cloud-elements/doctor-core@edc52e3:src/core/formulas/createFormulas.js#L79
//	DELETE /formulas/{id} refused while the formula has instances
//	    409 with a message naming the instances (status unverified)
//	    src: cloud-elements/devportal@dad35730983a:docs/guides/formulasC2/build-template.md#L228
//	POST /formulas/{id}/instances, GET/PUT/DELETE .../instances/{instanceId}
//	    answers {id, name, active, createdDate, configuration, settings,
//	    formula {id, name, active}}; active true when not sent; settings
//	    always present ({} when none); configuration values as strings
//	    src: cloud-elements/devportal@dad35730983a:docs/legacy/formulas/use-cases.md#L286-303;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/formulas/instances.js#L92-110
//	formula instance POST refused (400) when a trigger's onSuccess or
//	onFailure names a missing step
//	    src: varunpal72/churros@7d21f63a2cd3:src/test/platform/formulas/formulas.js#L91-106
//	configuration key that is not a variable of the formula -> 400
//	    unverified: Options.FormulaUnknownKey "accept" stores it
//	PUT .../instances/{instanceId}
//	    fields sent replace; settings replaced wholesale, absent -> {}
//	    (unverified: Options.FormulaSettings "merge"); name, active and
//	    configuration left out keep their values
//	    src: varunpal72/churros@7d21f63a2cd3:src/test/platform/formulas/instances.js#L58-62, #L80-84;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/formulas/errors.js#L224-229
//	PUT/DELETE .../instances/{instanceId}/active; DELETE /formulas/instances/{instanceId}
//	    src: varunpal72/churros@7d21f63a2cd3:src/test/platform/formulas/instances.js#L46-56, #L123-131;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/formulas/faar.js#L24
//	GET /formulas/{id}/instances, GET /formulas/instances[?elementInstanceId=]
//	    arrays, [] when none; elementInstanceId keeps the instances whose
//	    configuration holds that id (-1 -> [])
//	    src: varunpal72/churros@7d21f63a2cd3:src/test/platform/formulas/instances.js#L112-121;
//	    varunpal72/churros@7d21f63a2cd3:src/core/cleaner.js#L40-48
//	executions
//	    every event logged for an element instance with events enabled (and
//	    not disabled) runs each active instance of an active formula whose
//	    event trigger's properties.elementInstanceId is that instance's id,
//	    literally or as ${config.key} / ${key} of the formula instance's
//	    configuration: one execution {id, formulaInstanceId, status
//	    "success", createdDate, eventId}. The event-enabled condition is
//	    unverified; nothing runs the steps
//	    src: cloud-elements/devportal@dad35730983a:docs/guides/formulasC2/referenceAPI.md#L86-120;
//	    cloud-elements/devportal@dad35730983a:docs/legacy/formulas/faqs.md#L39
//	GET /formulas/instances/{instanceId}/executions (and under /formulas/{id})
//	    oldest first; pageSize, nextPage, Elements-Next-Page-Token only while
//	    more follow, Elements-Returned-Count, Elements-Total-Count; eventId
//	    filters; eventId with objectId -> 400
//	    src: varunpal72/churros@7d21f63a2cd3:src/test/platform/formulas/pagination.js#L41-69;
//	    varunpal72/churros@7d21f63a2cd3:src/test/platform/formulas/executions.js#L876-922
//
// Not modelled: PATCH /formulas/{id}, the trigger, step and configuration
// sub-resources, export, analytics, manual executions, step executions,
// time to live, error thresholds, FaaR calls, the 400s of step validation
// (retry limits, engine v3, script checks) and the refusal to delete a
// variable while instances exist.
//
// # Faults
//
// InjectFault queues faults; each request takes the first fault still
// holding a count whose Method and Route match. Faulted requests are recorded
// like any other. FaultStatus answers without acting (or, with Status 0,
// only adds Latency). Acting modes (CommitThenDrop, InvalidJSON, EmptyBody,
// HugeBody, StringID, NullConfigValue, SparseInstance, Invalidates) first run the request for real,
// including auth. Dropping hijacks the connection and closes it (or aborts
// the handler where hijacking is impossible). Note for test authors: Go's
// http.Transport silently retries a replayable request (GET, HEAD, OPTIONS,
// TRACE, or any method carrying an Idempotency-Key header) once when its
// reused keep-alive connection closes before any response byte; a drop fault
// with Count 1 on such a request may be consumed by the first attempt and
// the retry then succeeds. Use Count 2 or -1 to make the client see it.
package mockapi
