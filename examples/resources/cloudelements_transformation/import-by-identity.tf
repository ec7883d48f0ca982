import {
  to = cloudelements_transformation.contact_sfdc
  identity = {
    element_key = "sfdc"
    object_name = "myContact"
  }
}
