terraform {
  required_providers {
    cloudelements = {
      source  = "cloudelements/cloudelements"
      version = "~> 0.1"
    }
  }
}

# The secrets come from CLOUDELEMENTS_USER_SECRET and
# CLOUDELEMENTS_ORGANIZATION_SECRET, so they stay out of the configuration.
provider "cloudelements" {
  # base_url defaults to https://api.cloud-elements.com/elements/api-v2 (or
  # CLOUDELEMENTS_BASE_URL). An SAP Open Connectors tenant uses its region's
  # host with the same path:
  # base_url = "https://api.openconnectors.us2.ext.hana.ondemand.com/elements/api-v2"

  # Added to the tags of every cloudelements_instance (see tags_all).
  default_tags = ["managed-by:terraform", "team:platform"]
}
