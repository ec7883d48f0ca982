# The consent link of your Salesforce connected app, stored nowhere: the
# client secret it sends and the link itself never reach the plan or state.
# Ephemeral values cannot be root module outputs, and Terraform hides a
# provisioner's output that holds one, so the first apply writes the link
# (which holds no secret) to a local file. Open it in a browser, allow
# access, and copy the `code` query parameter from the page the vendor
# redirects to: it goes into the instance's provider_data, once.
variable "sfdc_client_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}

ephemeral "cloudelements_oauth_url" "sfdc" {
  element_key  = "sfdc"
  api_key      = "your-connected-app-consumer-key"
  api_secret   = var.sfdc_client_secret
  callback_url = "https://app.example.com/oauth/callback" # as registered with the vendor
  state        = "sfdc-production"                        # optional, passed back to callback_url
}

resource "terraform_data" "sfdc_consent_link" {
  provisioner "local-exec" {
    command = "printf '%s\\n' '${ephemeral.cloudelements_oauth_url.sfdc.url}' > sfdc-consent-link.txt"
  }
}
