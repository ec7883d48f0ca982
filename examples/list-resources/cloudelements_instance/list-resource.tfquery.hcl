# Terraform 1.14 and later. Save as a .tfquery.hcl file next to the
# configuration that holds the provider block, then run
#
#   terraform query                                        # list what is found
#   terraform query -generate-config-out=generated.tf     # write resource and import blocks
#
# Every instance, up to `limit` (default 100):
list "cloudelements_instance" "all" {
  provider = cloudelements
}

# Only the CRM team's Salesforce instances whose name mentions production.
# Filters are combined; tags must all be present; name_contains is
# case-sensitive.
list "cloudelements_instance" "crm_production" {
  provider = cloudelements
  limit    = 500

  config {
    tags          = ["team-crm"]
    element_key   = "sfdc"
    name_contains = "Production"
  }
}
