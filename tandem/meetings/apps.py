from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "tandem.meetings"
    verbose_name = "Meetings & check-ins"

    def ready(self) -> None:
        from tandem.notifications import reminders

        from . import receivers  # noqa: F401  (connects the signal receivers)
        from .blocks import register_blocks
        from .calendar_events import register_calendar_events
        from .services import ReminderKind, plan_reminders

        register_blocks()
        register_calendar_events()
        reminders.register("meetings", plan_reminders, kinds=ReminderKind.choices)
