from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "tandem.notifications"
    verbose_name = _("Notifications (outbox, reminders)")

    def ready(self) -> None:
        from .profile import register_profile_section

        register_profile_section()
