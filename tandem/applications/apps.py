from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "tandem.applications"
    verbose_name = "Applications"

    def ready(self) -> None:
        from .blocks import register_blocks

        register_blocks()
