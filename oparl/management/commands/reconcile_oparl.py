from django.core.management.base import BaseCommand

from oparl.reconciliation import reconcile


class Command(BaseCommand):
    help = (
        "Gleicht die Änderungsverfolgung der OParl-Schnittstelle mit allem ab, was sie zeigt: "
        "meldet Objekte als gelöscht oder geändert, die an den Modellsignalen vorbei "
        "(QuerySet.update, loaddata, Wiederherstellung) verschwunden oder aufgetaucht sind."
    )

    def handle(self, *args, **options):
        outcome = reconcile()
        if outcome.first_run:
            self.stdout.write(f"Erster Abgleich: {outcome.exposed} Objekte erfasst.")
            return
        self.stdout.write(
            f"Abgeglichen: {outcome.exposed} Objekte sichtbar, {outcome.buried} als gelöscht "
            f"gemeldet, {outcome.brought_back} wieder sichtbar geworden."
        )
