from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from operations.backup import BackupError, write_backup


class Command(BaseCommand):
    help = "Sichert Datenbankinhalt und Mediendateien in ein Archiv (.tar.gz)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="Zieldatei; Vorgabe: backups/ag-digitalisierung-<Zeitstempel>.tar.gz",
        )

    def handle(self, *args, output=None, **options):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        target = output or f"backups/ag-digitalisierung-{stamp}.tar.gz"
        try:
            manifest = write_backup(target)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Sicherung geschrieben: {target} (Datenbank: {manifest['database']}, "
                f"Mediendateien: {manifest['media_files']})"
            )
        )
