from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "tandem.cohorts"
    verbose_name = "Cohorts"

    def ready(self) -> None:
        from .blocks import register_blocks

        register_blocks()
