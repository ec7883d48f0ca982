variable "environment" {
  description = "staging or production: part of the names."
  type        = string
  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "The environment must be staging or production."
  }
}

variable "connector_key" {
  description = "The key of the team's CRM connector, the same in every account."
  type        = string
  default     = "crmsync"
}

variable "crm_username" {
  description = "This account's CRM user name."
  type        = string
}

variable "crm_password" {
  description = "This account's CRM password."
  type        = string
  sensitive   = true
}

variable "api_key" {
  description = "The API key the formula's httpRequest step sends to the receiving service, this account's."
  type        = string
  sensitive   = true
}

variable "sync_cron" {
  description = "When the formula runs (Quartz cron; at most every 15 minutes)."
  type        = string
  default     = "0 0/15 * 1/1 * ? *"
}

variable "notification_email" {
  description = "Where execution failures are mailed; none when null."
  type        = string
  default     = null
}
