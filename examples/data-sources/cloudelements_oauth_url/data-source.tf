# The consent link of your Salesforce connected app. Open it in a browser,
# allow access, and copy the `code` query parameter from the page the vendor
# redirects to: it goes into the instance's provider_data, once.
variable "sfdc_client_secret" {
  type      = string
  sensitive = true
}

data "cloudelements_oauth_url" "sfdc" {
  element_key  = "sfdc"
  api_key      = "your-connected-app-consumer-key"
  api_secret   = var.sfdc_client_secret
  callback_url = "https://app.example.com/oauth/callback" # as registered with the vendor
  state        = "sfdc-production"                        # optional, passed back to callback_url
}

output "sfdc_consent_link" {
  value = data.cloudelements_oauth_url.sfdc.url
}
