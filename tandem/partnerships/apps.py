from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "tandem.partnerships"
    verbose_name = "Partnership pairing"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the signal receivers)
        from .blocks import register_blocks

        register_blocks()
