from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "tandem.meetings"
    verbose_name = "Meetings & check-ins"

    def ready(self) -> None:
        from .blocks import register_blocks

        register_blocks()
