from django.core.management.base import BaseCommand, CommandError

from tandem.accounts.models import User
from tandem.cohorts import demo


class Command(BaseCommand):
    help = "Load the demo data set (fictional members, ~60 applicants, a past and an open cohort)."

    def add_arguments(self, parser):
        parser.add_argument("--applicants", type=int, default=60)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (successfully) when the database already has users.",
        )

    def handle(self, applicants: int, if_empty: bool, **options):
        if User.objects.exists():
            if if_empty:
                self.stdout.write("Demo data already present; nothing to do.")
                return
            raise CommandError("The database is not empty; seed_demo runs on a fresh database.")
        summary = demo.seed(n_applicants=applicants)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {summary['organizations']} members, "
                f"{summary['applications']} applications, "
                f"cohorts {', '.join(summary['cohorts'])}."
            )
        )
        self.stdout.write(f"  Coordinator: {summary['coordinator']} / {summary['password']}")
        self.stdout.write(f"  Participant: {summary['participant']} / {summary['password']}")
