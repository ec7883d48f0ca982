# Terraform 1.11 and later: the same secrets as write-only arguments, which
# are sent to the API but never stored in the plan or state. Bump a
# *_wo_version to send its value again (see the "Rotating secrets" guide).
variable "payments_oauth_code" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "payments_client_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "cloudelements_instance" "payments" {
  element_key = "paypalv2"
  name        = "Payments"

  provider_data_wo         = { code = var.payments_oauth_code }
  provider_data_wo_version = 1

  configuration = {
    "oauth.api.key"      = "your-paypal-client-id"
    "oauth.callback.url" = "https://app.example.com/oauth/paypal"
  }
  sensitive_configuration_wo         = { "oauth.api.secret" = var.payments_client_secret }
  sensitive_configuration_wo_version = 1
}
