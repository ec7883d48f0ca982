# A common resource: the contact your formulas and apps read and write,
# whatever the element behind it.
resource "cloudelements_common_resource" "contact" {
  name = "myContact"
  fields = {
    "id"              = "string"
    "email"           = "string"
    "firstName"       = "string"
    "lastName"        = "string"
    "birthdate"       = "date"
    "active"          = "boolean"
    "score"           = "number"
    "tags"            = "array [string]"
    "address.city"    = "string" # nested objects use dotted paths
    "address.country" = "string"
  }
}
