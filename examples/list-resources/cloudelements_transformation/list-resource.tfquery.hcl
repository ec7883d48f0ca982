# Terraform 1.14 and later. Save as a .tfquery.hcl file next to the
# configuration that holds the provider block, then run
#
#   terraform query -generate-config-out=generated.tf
#
# Keep the blocks disjoint: a transformation two blocks find is generated,
# and imported, under two addresses. (A block without `config` finds every
# organization-level transformation: use it alone.)

# Every transformation of one element (one request).
list "cloudelements_transformation" "sfdc" {
  provider = cloudelements

  config {
    element_key = "sfdc"
  }
}

# One element's transformation of one common resource.
list "cloudelements_transformation" "hubspot_contacts" {
  provider = cloudelements

  config {
    element_key = "hubspotcrm"
    object_name = "myContact"
  }
}
