# An OAuth element: Campaign Monitor, with signed webhook events.
# The authorization code comes from the element's consent page (see the
# "Onboarding an OAuth element" guide and data source cloudelements_oauth_url).
variable "oauth_code" {
  description = "Authorization code from the vendor's OAuth consent page. Works once."
  type        = string
  sensitive   = true
}

variable "client_secret" {
  description = "Your OAuth app's client secret."
  type        = string
  sensitive   = true
}

variable "signature_key" {
  description = "Key for the Elements-Webhook-Signature header."
  type        = string
  sensitive   = true
}

resource "cloudelements_instance" "crm" {
  element_key   = "campaignmonitor"
  name          = "CRM (production)"
  provider_data = { code = var.oauth_code }

  # The keys the element requires (data source cloudelements_element lists
  # them): plain values here, secrets in sensitive_configuration.
  configuration = {
    "oauth.api.key"      = "your-oauth-client-id"
    "oauth.callback.url" = "https://app.example.com/oauth/callback"
  }
  sensitive_configuration = {
    "oauth.api.secret" = var.client_secret
  }

  tags = ["team-crm", "prod"]

  event_notification {
    callback_url  = "https://app.example.com/events"
    signature_key = var.signature_key
    objects       = ["subscribers"]
  }
}

output "crm_instance_id" {
  value = cloudelements_instance.crm.id
}
