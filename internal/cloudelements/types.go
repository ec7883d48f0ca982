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

// CreateInstanceRequest is the body of POST /instances and of PUT /instances/{id}.
type CreateInstanceRequest struct {
	Element                Element           `json:"element"`
	Name                   string            `json:"name"`
	ProviderData           map[string]string `json:"providerData,omitempty"`
	Configuration          map[string]string `json:"configuration,omitempty"`
	Tags                   []string          `json:"tags"`
	ExternalAuthentication string            `json:"externalAuthentication,omitempty"`
}

// UpdateInstanceRequest is the body of PATCH /instances/{id}: nil fields are
// left out of the request and so left unchanged by the API. In
// Configuration, a nil value is sent as JSON null, which removes the key.
type UpdateInstanceRequest struct {
	Name          *string            `json:"name,omitempty"`
	Tags          *[]string          `json:"tags,omitempty"`
	Configuration map[string]*string `json:"configuration,omitempty"`
}

// ListInstancesOptions filters GET /instances. Every field is optional.
type ListInstancesOptions struct {
	Tags       []string // tags[]=...; instances carrying the tag
	SearchText string   // substring of the name
	PageSize   int      // 0 means DefaultPageSize
}
