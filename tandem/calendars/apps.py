from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "tandem.calendars"
    verbose_name = _("Calendars (.ics files and private feeds)")

    def ready(self) -> None:
        from .profile import register_profile_section

        register_profile_section()
