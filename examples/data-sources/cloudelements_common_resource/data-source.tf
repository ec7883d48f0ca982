# A common resource managed elsewhere (the console, another configuration):
# its fields and the elements that map it.
data "cloudelements_common_resource" "contact" {
  name = "myContact"
}

output "contact_fields" {
  value = data.cloudelements_common_resource.contact.fields # { "email" = "string", "id" = "string", ... }
}

output "contact_elements" {
  value = data.cloudelements_common_resource.contact.element_keys # ["hubspotcrm", "sfdc"]
}
