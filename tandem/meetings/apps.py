from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "tandem.meetings"
    verbose_name = "Meetings & check-ins"

    def ready(self) -> None:
        from tandem.notifications import reminders

        from . import receivers  # noqa: F401  (connects the signal receivers)
        from .blocks import register_blocks
        from .profile import register_profile_section
        from .services import ReminderKind, plan_reminders

        register_blocks()
        register_profile_section()
        reminders.register("meetings", plan_reminders, kinds=ReminderKind.choices)
