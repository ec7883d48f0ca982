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
// goroutines and never hold it during I/O. Tests drive it with Seed, Mutate
// and Remove (changes behind the provider's back), read it with Instance,
// Instances, Requests, RequestCount and Events, wait for webhook deliveries
// with WaitForDeliveries, make it misbehave with InjectFault, and stop
// background deliveries with Close.
//
// # Implemented
//
//	API behaviour                                    mock
//	-----------------------------------------------  -------------------------------------------------
//	Authorization: User <u>, Organization <o>        required on every API call, parts in that order,
//	  [, Element <token>]                            whitespace free; a given Element token must belong
//	                                                 to a live instance (dead after DELETE or re-auth);
//	                                                 else 401 with the API's message (POST /events
//	                                                 also takes "Element <token>" alone)
//	POST /instances, POST /elements/{keyOrId}/inst.  200 (not 201) with the instance; header
//	                                                 elements-element-instance-id; ids from 1000 up
//	element {"key"} or {"id"} (number or string)     catalog: fake 1, sfdc 2, hubspot 3,
//	                                                 campaignmonitor 5127; unknown -> 400 "No element
//	                                                 found with key 'x'" / "... with id '9'"
//	OAuth elements need providerData.code            sfdc, hubspot, campaignmonitor: 400 without it
//	name required; HTML stripped from name and tags  400 when missing/empty (also after stripping)
//	config values sent as strings/bools/numbers      stored as strings (true->"true", 15->"15");
//	                                                 objects/arrays as compact JSON text; null dropped
//	server defaults                                  filter.response.nulls="true",
//	                                                 event.notification.enabled="false" when absent
//	                                                 (also re-added after PATCH/PUT)
//	event.vendor.type webhook|webhooks|polling       other values 400
//	event.poller.configuration is JSON               invalid JSON 400
//	instance shape                                   id number, createdDate RFC 3339 UTC seconds,
//	                                                 tags always an array, provisionInteractions [],
//	                                                 eventsEnabled from the config, callback URL field
//	                                                 when on, externalAuthentication "none", a fixed
//	                                                 user; providerData never returned
//	secrets masked "********"                        keys containing "secret" or "password" (any case),
//	                                                 event.notification.signature.key, and for sfdc
//	                                                 oauth.api.key; stored unmasked
//	GET /instances: bare array                       sorted by id; [] when the store is empty
//	tags[] filter (repeatable)                       an instance must carry ALL given tags ("tags" is
//	                                                 accepted as an alias); case-sensitive
//	searchText                                       case-insensitive substring of the name
//	hydrate                                          ignored
//	a search matching nothing -> 404                 404 "No instances found" when a tags/searchText
//	                                                 filter is given and nothing matches
//	pageSize / nextPage / Elements-Next-Page-Token   default and maximum Options.MaxPageSize (200);
//	                                                 larger sizes clamped, <1 or non-numeric 400; the
//	                                                 token (opaque: last id served) only when more
//	                                                 items follow; bad token 400; Elements-Total-Count
//	                                                 (all matches) and Elements-Returned-Count
//	GET /instances/{id}                              200 / 404; a non-numeric id is 400
//	PATCH /instances/{id}                            name, tags replace when present and not null;
//	                                                 configuration merges, a null value removes the key;
//	                                                 providerData merges into hidden storage
//	PUT /instances/{id}                              replaces name (required), tags (absent -> none),
//	                                                 configuration (absent -> defaults only); the
//	                                                 element cannot change; ?reAuthenticate=true needs
//	                                                 providerData.code (400) and issues a new token
//	DELETE /instances/{id}                           200 {} / 404
//	PUT|DELETE /instances/{id}/enabled               enable / disable; 200 with the instance
//	403 on a disabled instance                       configuration and event-log calls; GET/PATCH/PUT/
//	                                                 DELETE of the instance and the toggle still work;
//	                                                 POST /events is taken (logged, not delivered)
//	GET /instances/{id}/configuration                [{id,key,propertyValue}] sorted by key, masked;
//	                                                 ids stable per key for the instance's life
//	PATCH /instances/{id}/configuration/{configId}   whole record; "key" must match, "propertyValue"
//	                                                 required; 200 with the record (masked). GET of one
//	                                                 record is served too
//	GET /instances/{id}/events                       the instance's log, newest first: id, instanceId,
//	                                                 elementKey, status, eventType, objectId, objectType,
//	                                                 createdDate, attempts, lastStatusCode (0: none),
//	                                                 lastError?, note?, events (the items sent)
//	POST /events/{elementKey} (vendor webhooks)      instance by ?elementInstanceId (needs User and
//	                                                 Organization) or by the Element token, which may
//	                                                 also come alone ("Element <token>"); no instance 404,
//	                                                 key not the instance's element 400, neither given
//	                                                 400, bad JSON 400; 200 {"id","status":"RECEIVED",
//	                                                 "eventIds"}. Counted as ("POST","/events/{elementKey}")
//	event notification POSTs to the callback URL     when event.notification.enabled is "true", the
//	                                                 instance is enabled and a callback URL is set; body
//	                                                 {"message":{eventId,userId:123456,instanceId,elementKey,
//	                                                 raw,events:[{date,elementKey,eventType,objectId,
//	                                                 objectType}]}}; headers Content-Type, Elements-
//	                                                 Webhook-Id (= eventId), Elements-Webhook-Signature
//	                                                 sha256=base64(HMAC-SHA256(key, body bytes)) when
//	                                                 event.notification.signature.key is non-empty
//	at most 20 events per notification (10 polling)  split into notifications <id>, <id>-2, <id>-3, ...
//	                                                 each its own log entry and Elements-Webhook-Id
//	retries (1 + 9), statuses                        2xx -> NOTIFIED; else retried up to
//	                                                 Options.DeliveryAttempts (10) in all after
//	                                                 Options.DeliveryBackoff (1s doubling, 5m cap);
//	                                                 DISPATCHED meanwhile, FAILED after the last
//	error body {requestId,message,providerMessage?}  on every error; Elements-Request-Id on every
//	                                                 response (24 hex digits)
//	400 / 404 / 405 / 406 / 415                      bad JSON or fields / unknown route or id / wrong
//	                                                 method on a known route (with Allow) / Accept
//	                                                 without JSON / a body without a JSON content type
//	429 / 500 / 502 / 503, Retry-After               only through injected faults
//
// # Not implemented, on purpose
//
//	OAuth flows (redirects, token exchange)    the mock accepts any non-empty providerData.code;
//	                                           there is no vendor to talk to
//	externalAuthentication "initial"           ignored on input, always "none": the provider
//	                                           does not manage it
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
//	409 already exists                         the notes give no uniqueness rule for
//	                                           instances; duplicate names are allowed
//	tags as objects in responses               an old shape; responses use strings (objects with
//	                                           a "name" are accepted on input)
//	other element endpoints (hubs, /elements)  outside the provider's scope
//
// # Choices where the API notes are silent
//
// Tags filter on ALL given tags; tags are de-duplicated, empty ones dropped,
// order kept. Masking applies to every value of a masked key, including an
// empty one. A configuration record id is allocated the first time a key is
// seen and reused if the key returns. Requests outside Prefix are recorded
// (route = the raw path) and answered 404 without an auth check; unknown
// routes under Prefix are recorded with the path under Prefix as route and
// answered 401 (bad auth) or 404. Auth is checked before 404/405/406/415.
// Request.Status is 0 when no response was sent (dropped connection or a
// request cancelled during fault latency).
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
// # Faults
//
// InjectFault queues faults; each request takes the first fault still
// holding a count whose Method and Route match. Faulted requests are recorded
// like any other. FaultStatus answers without acting (or, with Status 0,
// only adds Latency). Acting modes (CommitThenDrop, InvalidJSON, EmptyBody,
// HugeBody, StringID, NullConfigValue) first run the request for real,
// including auth. Dropping hijacks the connection and closes it (or aborts
// the handler where hijacking is impossible). Note for test authors: Go's
// http.Transport silently retries a replayable request (GET, HEAD, OPTIONS,
// TRACE, or any method carrying an Idempotency-Key header) once when its
// reused keep-alive connection closes before any response byte; a drop fault
// with Count 1 on such a request may be consumed by the first attempt and
// the retry then succeeds. Use Count 2 or -1 to make the client see it.
package mockapi
