"""`manage.py setup_roles`: the roles and the approval workflow, safe to run again."""

from django.core.management.base import BaseCommand

from workgroup.editorial.roles import TASK_NAME, WORKFLOW_NAME, ensure_roles


class Command(BaseCommand):
    help = (
        "Legt die Rollen Redaktion, Koordination und AG-Mitglieder mit ihren Rechten an und "
        "richtet den Workflow „Freigabe durch die Koordination“ ein. Ein erneuter Aufruf stellt "
        "die Rollen wieder so her, wie sie im Code festgelegt sind."
    )

    def handle(self, *args, **options):
        groups = ensure_roles()
        self.stdout.write(self.style.SUCCESS("Rollen eingerichtet: " + ", ".join(groups)))
        self.stdout.write(
            f"Workflow „{WORKFLOW_NAME}“ mit der Aufgabe „{TASK_NAME}“ gilt für alle Seiten, "
            "Mitglieder und Fraktionen."
        )
