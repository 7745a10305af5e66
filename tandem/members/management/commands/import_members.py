from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tandem.members.services import ImportFailed, import_members


class Command(BaseCommand):
    help = (
        "Import DataCite members from a /providers JSON:API file (one page or several saved "
        "pages) or a CSV (all or nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=["auto", "json", "csv"], default="auto")

    def handle(self, path: Path, format: str, **options):
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("%(path)s: cannot read the file (%(error)s)")
                % {"path": path, "error": error.strerror or error}
            ) from error
        try:
            result = import_members(content, format)
        except ImportFailed as error:
            raise CommandError(
                _("Nothing imported:") + "\n  " + "\n  ".join(error.errors)
            ) from error
        self.stdout.write(result.summary)
