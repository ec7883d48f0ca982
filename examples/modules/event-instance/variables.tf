variable "element_key" {
  description = "Element to connect, such as campaignmonitor."
  type        = string
}

variable "team" {
  description = "Owning team; tagged as team-<team> and part of the name."
  type        = string
}

variable "environment" {
  description = "prod, staging or dev; tagged and part of the name."
  type        = string
  validation {
    condition     = contains(["prod", "staging", "dev"], var.environment)
    error_message = "The environment must be prod, staging or dev."
  }
}

variable "oauth_code" {
  description = "OAuth authorization grant code (provider_data.code), for OAuth elements."
  type        = string
  default     = null
  sensitive   = true
}

variable "configuration" {
  description = "Element configuration (no event.* keys)."
  type        = map(string)
  default     = null
}

variable "sensitive_configuration" {
  description = "Secret element configuration, such as oauth.api.secret."
  type        = map(string)
  default     = null
  sensitive   = true
}

variable "extra_tags" {
  description = "More tags."
  type        = set(string)
  default     = []
}

variable "events_callback_url" {
  description = "Where events are delivered; null turns events off."
  type        = string
  default     = null
}

variable "events_signature_key" {
  description = "Key for the Elements-Webhook-Signature header."
  type        = string
  default     = null
  sensitive   = true
}
