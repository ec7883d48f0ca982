# Import the account's resources on a catalog element by the element's key:
# every resource the account added to it is then managed.
terraform import cloudelements_element_extension.sfdc_extras sfdc
