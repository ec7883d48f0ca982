# An instance is imported by its numeric id.
terraform import cloudelements_instance.crm 12345
