"""`manage.py generate_data`: a large synthetic data set for load tests (see bench/)."""

import time

from django.core.management.base import BaseCommand, CommandError

from demo.generator import DataGenerator


class Command(BaseCommand):
    help = (
        "Erzeugt einen großen, aus einer Startzahl reproduzierbaren Datensatz (Ergebnisse mit "
        "Beratungsfolge, Sitzungen mit Tagesordnung und Anwesenheit, Mitglieder, Fraktionen) "
        "in einer leeren Datenbank, für Last- und Leistungsmessungen."
    )

    def add_arguments(self, parser):
        parser.add_argument("--results", type=int, default=10_000, help="Anzahl der Ergebnisse")
        parser.add_argument("--meetings", type=int, default=1_000, help="Anzahl der Sitzungen")
        parser.add_argument("--seed", type=int, default=1, help="Startzahl des Zufallsgenerators")

    def handle(self, *args, results, meetings, seed, **options):
        started = time.monotonic()
        generator = DataGenerator(
            results=results, meetings=meetings, seed=seed, write=self.stdout.write
        )
        try:
            generator.run()
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{results} Ergebnisse und {meetings} Sitzungen in "
                f"{time.monotonic() - started:.0f} s erzeugt (Startzahl {seed})."
            )
        )
