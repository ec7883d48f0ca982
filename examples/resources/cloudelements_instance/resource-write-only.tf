# Terraform 1.11 and later: the OAuth code and the client secret as write-only
# arguments, which are sent to the API but never stored in the plan or state.
# Each is sent on create and again when its *_wo_version changes (see the
# "Rotating secrets" guide); ephemeral variables keep them out of state too.
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
