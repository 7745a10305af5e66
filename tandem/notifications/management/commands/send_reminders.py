from django.core.management.base import BaseCommand
from django.utils import timezone

from tandem.notifications import services
from tandem.notifications.tasks import send_reminders_task


class Command(BaseCommand):
    help = (
        "Send the due reminders of every app (idempotent). Run it hourly, e.g. from cron or a "
        "systemd timer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, send nothing.")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Enqueue the job for the task worker instead of running it.",
        )

    def handle(self, dry_run: bool, enqueue: bool, **options):
        if enqueue:
            result = send_reminders_task.enqueue()
            self.stdout.write(f"Enqueued job {result.id}.")
            return
        reminders = services.send_reminders(timezone.now(), dry_run=dry_run)
        for r in reminders:
            self.stdout.write(
                f"{'would send' if dry_run else 'sent'} {r.kind} to {r.to}: {r.subject}"
            )
        self.stdout.write(f"{len(reminders)} reminder(s) {'due' if dry_run else 'sent'}.")
