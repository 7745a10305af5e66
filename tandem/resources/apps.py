from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "tandem.resources"
    verbose_name = "Resource library"

    def ready(self) -> None:
        from .blocks import register_blocks

        register_blocks()
