from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Spielt eine mit `backup` erstellte Sicherung in eine leere Datenbank zurück."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Pfad der Sicherung (.tar.gz)")

    def handle(self, *args, archive, **options):
        try:
            result = restore_backup(archive)
        except (BackupError, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Sicherung vom {result['created']} zurückgespielt "
                f"({result['media_restored']} Mediendateien)."
            )
        )
