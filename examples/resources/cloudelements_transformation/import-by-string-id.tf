import {
  to = cloudelements_transformation.contact_sfdc
  id = "sfdc/myContact" # <element_key>/<object_name>
}
