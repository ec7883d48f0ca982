// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package cloudelements

// Element identifies the connector an instance belongs to. Requests may name
// it by Key or by ID; responses carry both.
type Element struct {
	ID   FlexInt `json:"id,omitempty"`
	Key  string  `json:"key,omitempty"`
	Name string  `json:"name,omitempty"`
}

// Instance is an element instance as the API returns it. Fields the provider
// does not use are not decoded; unknown fields are ignored.
type Instance struct {
	ID                     FlexInt `json:"id"`
	Name                   string  `json:"name"`
	CreatedDate            string  `json:"createdDate,omitempty"`
	Token                  string  `json:"token,omitempty"`
	Element                Element `json:"element"`
	ElementID              FlexInt `json:"elementId,omitempty"`
	Tags                   Tags    `json:"tags"`
	Valid                  bool    `json:"valid"`
	Disabled               bool    `json:"disabled"`
	EventsEnabled          bool    `json:"eventsEnabled"`
	ExternalAuthentication string  `json:"externalAuthentication,omitempty"`
	// Configuration values are strings on the wire; a JSON null decodes to
	// nil. Secret values come back as MaskedValue.
	Configuration map[string]*string `json:"configuration"`
}

// MaskedValue is what the API answers in place of a secret configuration value.
const MaskedValue = "********"

// CreateInstanceRequest is the body of POST /instances. A nil Tags leaves
// the field out: the API then tags the instance with its name.
type CreateInstanceRequest struct {
	Element                Element           `json:"element"`
	Name                   string            `json:"name"`
	ProviderData           map[string]string `json:"providerData,omitempty"`
	Configuration          map[string]string `json:"configuration,omitempty"`
	Tags                   *[]string         `json:"tags,omitempty"`
	ExternalAuthentication string            `json:"externalAuthentication,omitempty"`
}

// ReplaceInstanceRequest is the body of PUT /instances/{id}. For
// re-authentication the API's documented procedure sends back the
// instance's whole configuration as read (nulls and masked values
// included) with the new providerData.code.
type ReplaceInstanceRequest struct {
	Element       Element            `json:"element"`
	Name          string             `json:"name"`
	ProviderData  map[string]string  `json:"providerData,omitempty"`
	Configuration map[string]*string `json:"configuration"`
	Tags          []string           `json:"tags"`
}

// UpdateInstanceRequest is the body of PATCH /instances/{id}: nil fields are
// left out of the request and so left unchanged by the API. In
// Configuration, a nil value is sent as JSON null, which removes the key.
type UpdateInstanceRequest struct {
	Name          *string            `json:"name,omitempty"`
	Tags          *[]string          `json:"tags,omitempty"`
	Configuration map[string]*string `json:"configuration,omitempty"`
}

// ElementDetails is an element (connector) as GET /elements/{keyOrId}
// answers it: only the fields the provider reads are decoded.
type ElementDetails struct {
	ID             FlexInt  `json:"id"`
	Key            string   `json:"key"`
	Name           string   `json:"name"`
	Hub            string   `json:"hub"`
	TypeOauth      FlexBool `json:"typeOauth"`
	Authentication struct {
		Type string `json:"type"`
	} `json:"authentication"`
	// Configuration holds the element's configuration definitions; nil when
	// the answer carried none.
	Configuration []ConfigDefinition `json:"configuration"`
	// Events says how the element delivers events, when the API says.
	Events *ElementEvents `json:"events,omitempty"`
}

// ConfigDefinition is one configuration definition of an element.
type ConfigDefinition struct {
	Key             string   `json:"key"`
	Name            string   `json:"name"`
	Description     string   `json:"description"`
	DefaultValue    *string  `json:"defaultValue"`
	Type            string   `json:"type"` // e.g. PASSWORD, TEXTFIELD_32, BOOLEAN, SELECTION
	Required        FlexBool `json:"required"`
	Internal        FlexBool `json:"internal"`
	HideFromConsole FlexBool `json:"hideFromConsole"`
}

// ElementEvents is the events part of an element's metadata.
type ElementEvents struct {
	Supported FlexBool `json:"supported"`
	Methods   []string `json:"methods"`
}

// OAuthURLRequest asks for an element's OAuth consent link:
// GET /elements/{key}/oauth/url.
type OAuthURLRequest struct {
	ElementKey  string
	APIKey      string
	APISecret   string
	CallbackURL string
	State       string // optional
	Scope       string // optional
}

// ListInstancesOptions filters GET /instances. Every field is optional.
type ListInstancesOptions struct {
	Tags       []string // tags[]=...; instances carrying the tag
	SearchText string   // substring of the name
	PageSize   int      // 0 means DefaultPageSize
}
