# Import a transformation as <element_key>/<object_name>:
terraform import cloudelements_transformation.contact_sfdc sfdc/myContact
