# Provider functions need Terraform 1.8 or later (OpenTofu 1.7), and the
# provider must be listed in required_providers to be called.
terraform {
  required_version = ">= 1.8"
  required_providers {
    cloudelements = {
      source  = "cloudelements/cloudelements"
      version = "~> 0.1"
    }
  }
}

# The signature Cloud Elements puts in Elements-Webhook-Signature for a body,
# for example to test that a receiver accepts it.
variable "signature_key" {
  type      = string
  sensitive = true
}

locals {
  sample_event = jsonencode({
    message = {
      instanceId = 12345
      events     = [{ eventType = "CREATED", objectType = "contacts", objectId = "42" }]
    }
  })
}

output "expected_signature" {
  value     = provider::cloudelements::webhook_signature(local.sample_event, var.signature_key)
  sensitive = true
}
