# Import a common resource by its name:
terraform import cloudelements_common_resource.contact myContact
