# Terraform 1.14 and later. Save as a .tfquery.hcl file next to the
# configuration that holds the provider block, then run
#
#   terraform query                                        # list what is found
#   terraform query -generate-config-out=generated.tf     # write resource and import blocks
#
# Every custom (private) element of the account, up to `limit` (default
# 100). Catalog elements are not listed.
list "cloudelements_element" "all" {
  provider = cloudelements
  limit    = 500
}
