# A reusable element instance with the team's conventions: a standard name,
# team and environment tags, and signed webhook events when a callback URL
# is given.
terraform {
  # Terraform 1.8 is the oldest the provider supports and is tested with.
  required_version = ">= 1.8"
  required_providers {
    cloudelements = {
      # A shared module sets only a minimum; the root configuration that
      # calls it pins the version (for example "~> 0.1").
      source  = "cloudelements/cloudelements"
      version = ">= 0.1"
    }
  }
}

resource "cloudelements_instance" "this" {
  element_key             = var.element_key
  name                    = "${var.team} ${var.element_key} (${var.environment})"
  provider_data           = var.oauth_code == null ? null : { code = var.oauth_code }
  configuration           = var.configuration
  sensitive_configuration = var.sensitive_configuration
  tags                    = setunion(["team-${var.team}", var.environment], var.extra_tags)

  dynamic "event_notification" {
    for_each = var.events_callback_url == null ? [] : [var.events_callback_url]
    content {
      callback_url  = event_notification.value
      signature_key = var.events_signature_key
    }
  }
}
