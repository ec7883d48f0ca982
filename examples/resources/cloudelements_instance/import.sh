# An instance is imported by its numeric id.
terraform import cloudelements_instance.crm 12345

# Everything the API returns is imported, and the next plan is empty for it.
# The API never returns secrets, so these cannot be imported: provider_data,
# sensitive_configuration (masked values) and event_notification.signature_key.
# The first apply after an import sends the configured secrets once and records
# provider_data without re-authenticating (an OAuth code works only once).
