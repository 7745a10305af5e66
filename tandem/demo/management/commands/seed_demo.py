from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.demo import seed as demo


class Command(BaseCommand):
    help = _(
        "Load the demo data set relative to today: fictional members, a finished 2024 cohort, "
        "a cohort in its second quarter and a cohort open for applications."
    )

    def add_arguments(self, parser):
        parser.add_argument("--applicants", type=int, default=60)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=_("Do nothing (successfully) when the database already has users."),
        )

    def handle(self, applicants: int, if_empty: bool, **options):
        if User.objects.exists():
            if if_empty:
                self.stdout.write(_("Demo data already present; nothing to do."))
                return
            raise CommandError(_("The database is not empty; seed_demo runs on a fresh database."))
        summary = demo.seed(n_applicants=applicants)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demo loaded: %(members)s members, %(applications)s applications, "
                    "cohorts %(cohorts)s."
                )
                % {
                    "members": summary["organizations"],
                    "applications": summary["applications"],
                    "cohorts": ", ".join(summary["cohorts"]),
                }
            )
        )
        self.stdout.write(
            _("  Current cohort: %(current)s (second quarter); open for applications: %(open)s")
            % summary
        )
        self.stdout.write(_("  Coordinator: %(coordinator)s / %(password)s") % summary)
        self.stdout.write(
            _("  Back office: %(admin)s / %(password)s (Django admin at /admin/)") % summary
        )
        self.stdout.write(
            _("  Participant: %(participant)s / %(password)s (a check-in to propose)") % summary
        )
