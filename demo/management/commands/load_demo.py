"""`manage.py load_demo`: the demo site from the AG's founding paper, safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from demo.content import DEMO_USERS, build_demo


class Command(BaseCommand):
    help = (
        "Legt die Demo-Inhalte der AG Digitalisierung an: Seiten, Gremien, Fraktionen, "
        "Mitglieder, Sitzungen, Ergebnisse, Dokumente und Demo-Benutzerkonten. Was die "
        "Redaktion umbenannt, bearbeitet oder gelöscht hat, bleibt so."
    )

    def handle(self, *args, **options):
        if not settings.DEMO_CONTENT_ALLOWED:
            # Demo users have published passwords; they must never reach the live site.
            raise CommandError(
                "load_demo legt Demo-Benutzerkonten mit bekannten Passwörtern an und läuft "
                "deshalb nicht, wo DEMO_CONTENT_ALLOWED aus ist (Produktionseinstellungen)."
            )
        # All or nothing: a half-built demo would be taken for a finished one on the next run.
        with transaction.atomic():
            ledger = build_demo()
        self.report_created(ledger)
        self.report_logins(ledger)

    def report_created(self, ledger):
        if not ledger.created:
            self.stdout.write(
                "Die Demo-Inhalte sind bereits angelegt; was die Redaktion geändert oder gelöscht "
                "hat, bleibt so."
            )
        else:
            self.stdout.write(self.style.SUCCESS("Demo-Inhalte angelegt:"))
            for label, count in sorted(ledger.created.items()):
                self.stdout.write(f"  {label}: {count}")
        if ledger.skipped:
            self.stdout.write("Nicht angelegt, weil die Redaktion Inhalte geändert hat:")
            for key, reason in ledger.skipped:
                self.stdout.write(f"  {key}: {reason}")

    def report_logins(self, ledger):
        self.stdout.write("")
        # AG members have no admin access; they sign in on the site to read closed content.
        self.stdout.write(
            f"Demo-Zugänge – Verwaltung unter {reverse('wagtailadmin_home')}, nicht öffentliche "
            f"Inhalte der Website nach Anmeldung unter {reverse('wagtailcore_login')}:"
        )
        rows = [("Benutzername", "Passwort", "Rolle")]
        for user in DEMO_USERS:
            role = user.label
            if user.username in ledger.existing_users:
                role += " (Konto bestand bereits; Passwort wurde nicht zurückgesetzt)"
            rows.append((user.username, user.password, role))
        name_width, password_width = (max(len(row[i]) for row in rows) for i in (0, 1))
        for name, password, role in rows:
            self.stdout.write(f"  {name:<{name_width}}  {password:<{password_width}}  {role}")
