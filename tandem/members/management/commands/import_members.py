from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tandem.members.services import ImportFailed, import_members


class Command(BaseCommand):
    help = "Import DataCite members from a /providers JSON:API file or a CSV (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=["auto", "json", "csv"], default="auto")

    def handle(self, path: Path, format: str, **options):
        try:
            result = import_members(path.read_bytes(), format)
        except FileNotFoundError as error:
            raise CommandError(f"{path}: no such file") from error
        except ImportFailed as error:
            raise CommandError("Nothing imported:\n  " + "\n  ".join(error.errors)) from error
        self.stdout.write(f"Imported {result.created} new and {result.updated} updated member(s).")
