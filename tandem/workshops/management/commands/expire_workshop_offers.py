from django.core.management.base import BaseCommand
from django.utils import timezone

from tandem.workshops import services
from tandem.workshops.tasks import expire_offers_task


class Command(BaseCommand):
    help = (
        "Expire lapsed offers of workshop seats and offer them to the next in the queue "
        "(idempotent). Run it every few minutes, e.g. from cron or a systemd timer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Enqueue the job for the task worker instead of running it.",
        )

    def handle(self, enqueue: bool, **options):
        if enqueue:
            result = expire_offers_task.enqueue()
            self.stdout.write(f"Enqueued job {result.id}.")
            return
        offers = services.expire_offers(timezone.now())
        self.stdout.write(f"{offers} seat(s) offered.")
