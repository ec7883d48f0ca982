# Terraform 1.14 and later. Save as a .tfquery.hcl file next to the
# configuration that holds the provider block, then run
#
#   terraform query                                        # list what is found
#   terraform query -generate-config-out=generated.tf     # write resource and import blocks
#
# Keep the blocks disjoint: a formula two blocks find is generated, and
# imported, under two addresses. These two cannot overlap: no name contains
# both texts. (A block without `config` finds every formula, up to `limit`
# (default 100): use it alone.)

# The formulas whose name contains "sync" (case-sensitive).
list "cloudelements_formula" "sync" {
  provider = cloudelements

  config {
    name_contains = "sync"
  }
}

# The reports.
list "cloudelements_formula" "reports" {
  provider = cloudelements
  limit    = 500 # default 100

  config {
    name_contains = "report"
  }
}
