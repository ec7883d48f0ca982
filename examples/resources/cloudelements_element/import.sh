# Import a custom element by its key, or by its numeric id (the Element
# Builder shows both; so does list resource cloudelements_element):
terraform import cloudelements_element.crm mycrm
terraform import cloudelements_element.crm 12345
