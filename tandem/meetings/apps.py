from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "tandem.meetings"
    verbose_name = "Meetings & check-ins"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the signal receivers)
        from .blocks import register_blocks

        register_blocks()
