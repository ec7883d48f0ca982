# Terraform 1.14 and later. Save as a .tfquery.hcl file next to the
# configuration that holds the provider block, then run
#
#   terraform query -generate-config-out=generated.tf
#
# Every common resource of the organization (up to `limit`, default 100).
list "cloudelements_common_resource" "all" {
  provider = cloudelements
  limit    = 500
}
