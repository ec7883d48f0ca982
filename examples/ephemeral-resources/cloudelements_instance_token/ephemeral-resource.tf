terraform {
  # Ephemeral resources need Terraform 1.10 and write-only arguments 1.11
  # (OpenTofu 1.11 for both).
  required_version = ">= 1.11"
  required_providers {
    cloudelements = {
      source  = "cloudelements/cloudelements"
      version = "~> 0.1"
    }
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0" # secret_string_wo
    }
  }
}

# Read an instance's token for this run only: it never reaches the plan or
# the state. Terraform 1.10 or later (OpenTofu 1.11 or later).
ephemeral "cloudelements_instance_token" "crm" {
  id = cloudelements_instance.crm.id
}

# Hand it to a write-only argument of another provider (Terraform 1.11 or
# later), here the AWS provider's secret_string_wo, so the service that calls
# Cloud Elements finds the token in Secrets Manager. Write-only arguments are
# not stored either; bump the version to send the current token again, for
# example after re-authenticating the instance.
resource "aws_secretsmanager_secret" "crm_token" {
  name = "cloud-elements/crm-instance-token"
}

resource "aws_secretsmanager_secret_version" "crm_token" {
  secret_id                = aws_secretsmanager_secret.crm_token.id
  secret_string_wo         = ephemeral.cloudelements_instance_token.crm.token
  secret_string_wo_version = 1
}
