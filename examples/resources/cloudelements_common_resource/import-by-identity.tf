import {
  to = cloudelements_common_resource.contact
  identity = {
    name = "myContact"
  }
}
