terraform {
  required_providers {
    cloudelements = {
      source  = "cloudelements/cloudelements"
      version = "~> 0.1"
    }
  }
}

# The secrets are best set through CLOUDELEMENTS_USER_SECRET and
# CLOUDELEMENTS_ORGANIZATION_SECRET, so they stay out of the configuration.
provider "cloudelements" {
  base_url    = "https://api.cloud-elements.com/elements/api-v2" # the default
  max_retries = 4                                                # the default
}
