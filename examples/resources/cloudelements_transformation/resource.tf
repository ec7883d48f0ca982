resource "cloudelements_common_resource" "contact" {
  name = "myContact"
  fields = {
    "id"        = "string"
    "email"     = "string"
    "lastName"  = "string"
    "birthdate" = "date"
  }
}

# How Salesforce's Contact maps to myContact. Referring to the common
# resource's name creates the transformation after it and destroys it first,
# as the API requires.
resource "cloudelements_transformation" "contact_sfdc" {
  element_key = "sfdc"
  object_name = cloudelements_common_resource.contact.name
  vendor_name = "Contact"
  fields = {
    "id"        = "Id"
    "email"     = "Email"
    "lastName"  = "LastName"
    "birthdate" = "Birthdate"
  }
  # Write it with jsonencode; the API's added "level" is not a change.
  configuration = jsonencode([
    { type = "passThrough", properties = { fromVendor = false, toVendor = false } },
    { type = "addToDocumentation" },
  ])
  script = file("${path.module}/mappings/contact.js")
}

# The same common resource through HubSpot CRM.
resource "cloudelements_transformation" "contact_hubspot" {
  element_key = "hubspotcrm"
  object_name = cloudelements_common_resource.contact.name
  vendor_name = "contacts"
  fields = {
    "id"       = "vid"
    "email"    = "properties.email"
    "lastName" = "properties.lastname"
  }
}
