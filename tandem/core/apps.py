from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tandem.core"
    verbose_name = "Tandem core (activity log, time zones, home blocks)"

    def ready(self) -> None:
        from . import speedups

        speedups.apply()
