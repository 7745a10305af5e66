from django.core.management.base import BaseCommand, CommandError

from tandem.accounts.models import User
from tandem.api.models import ApiToken


class Command(BaseCommand):
    help = "Issue an API token for a user (printed once; only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="integration")

    def handle(self, email: str, name: str, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user with e-mail {email}.")
        _, key = ApiToken.objects.model.issue(user, name)
        self.stdout.write(key)
