from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "tandem.workshops"
    verbose_name = _("Training workshops")

    def ready(self) -> None:
        from tandem.notifications import reminders

        from .blocks import register_blocks
        from .calendar_events import register_calendar_events
        from .services import ReminderKind, plan_reminders

        register_blocks()
        register_calendar_events()
        reminders.register("workshops", plan_reminders, kinds=ReminderKind.choices)
