# Resources added to the catalog element sfdc: a new one, and one that
# overrides the catalog's GET /contacts (same method and path). Paths may
# carry the /hubs/{hub} prefix or not.
resource "cloudelements_element_extension" "sfdc_extras" {
  element_key = "sfdc"
  resources = jsonencode([
    {
      method       = "GET"
      path         = "/contacts"
      vendorMethod = "GET"
      vendorPath   = "/services/data/v52.0/query"
      description  = "Contacts by SOQL"
      parameters   = [{ name = "where", vendorName = "q", type = "query", vendorType = "query" }]
    },
    {
      method       = "POST"
      path         = "/leads-search"
      vendorMethod = "POST"
      vendorPath   = "/services/data/v52.0/search"
      description  = "Search leads"
    },
  ])
}
