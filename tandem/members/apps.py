from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "tandem.members"
    verbose_name = "DataCite members"
