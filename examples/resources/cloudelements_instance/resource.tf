variable "oauth_code" {
  description = "Authorization grant code from the vendor's OAuth consent page."
  type        = string
  sensitive   = true
}

variable "client_id" {
  type = string
}

variable "client_secret" {
  type      = string
  sensitive = true
}

variable "signature_key" {
  type      = string
  sensitive = true
}

# A Campaign Monitor instance that sends webhook events to your application.
resource "cloudelements_instance" "crm" {
  element_key   = "campaignmonitor"
  name          = "CRM (production)"
  provider_data = { code = var.oauth_code }

  configuration = {
    "oauth.callback.url" = "https://app.example.com/oauth/callback"
    "oauth.api.key"      = var.client_id
  }
  sensitive_configuration = {
    "oauth.api.secret" = var.client_secret
  }
  tags = ["team-crm", "prod"]

  event_notification {
    callback_url  = "https://app.example.com/events"
    signature_key = var.signature_key
  }
}

# An instance whose events are collected by polling the vendor.
resource "cloudelements_instance" "polled" {
  element_key   = "hubspot"
  name          = "HubSpot (polled)"
  provider_data = { code = var.oauth_code }
  tags          = ["team-crm"]

  event_notification {
    callback_url            = "https://app.example.com/events"
    vendor_type             = "polling"
    poller_refresh_interval = 15
    poller_configuration = jsonencode({
      contacts = { url = "/hubs/crm/contacts", idField = "id" }
    })
    objects = ["contacts"]
  }
}
