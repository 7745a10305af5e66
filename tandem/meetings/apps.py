from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "tandem.meetings"
    verbose_name = "Meetings & check-ins"
