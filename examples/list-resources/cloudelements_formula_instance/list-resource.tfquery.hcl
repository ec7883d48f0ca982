# Terraform 1.14 and later. Save as a .tfquery.hcl file next to the
# configuration that holds the provider block, then run
#
#   terraform query                                        # list what is found
#   terraform query -generate-config-out=generated.tf     # write resource and import blocks
#
# Keep the blocks disjoint: a formula instance two blocks find is generated,
# and imported, under two addresses. (A block without `config` finds every
# formula instance, up to `limit` (default 100): use it alone.)

# The instances of one formula (its id: terraform query with
# list "cloudelements_formula" finds it).
list "cloudelements_formula_instance" "sync" {
  provider = cloudelements

  config {
    formula_id = "2001"
  }
}

# The instances bound to one element instance, of any other formula.
list "cloudelements_formula_instance" "on_crm" {
  provider = cloudelements

  config {
    element_instance_id = "1234"
  }
}
