# Terraform 1.14 and later. Save as a .tfquery.hcl file next to the
# configuration that holds the provider block, then run
#
#   terraform query                                        # list what is found
#   terraform query -generate-config-out=generated.tf     # write resource and import blocks
#
# Every formula, up to `limit` (default 100):
list "cloudelements_formula" "all" {
  provider = cloudelements
}

# Only the formulas whose name contains "sync" (case-sensitive).
list "cloudelements_formula" "sync" {
  provider = cloudelements

  config {
    name_contains = "sync"
  }
}
