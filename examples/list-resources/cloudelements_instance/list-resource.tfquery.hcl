# Terraform 1.14 and later. Save as a .tfquery.hcl file next to the
# configuration that holds the provider block, then run
#
#   terraform query                                        # list what is found
#   terraform query -generate-config-out=generated.tf     # write resource and import blocks
#
# Keep the blocks disjoint: an instance two blocks find is generated, and
# imported, under two addresses. These two cannot overlap: their
# element_key differs. (A block without `config` finds every instance, up
# to `limit`: use it alone.)

# The CRM team's Salesforce instances whose name mentions production.
# Filters are combined; tags must all be present; name_contains is
# case-sensitive.
list "cloudelements_instance" "crm_production" {
  provider = cloudelements
  limit    = 500 # default 100

  config {
    tags          = ["team-crm"]
    element_key   = "sfdc"
    name_contains = "Production"
  }
}

# Every PayPal instance.
list "cloudelements_instance" "payments" {
  provider = cloudelements

  config {
    element_key = "paypalv2"
  }
}
