"""The editorial roles as Django groups: Redaktion drafts, Koordination approves, AG-Mitglieder read."""

from django.contrib.auth.models import Group

from workgroup.access import COORDINATION_GROUP, EDITORS_GROUP, MEMBERS_GROUP


def ensure_roles():
    """Create the role groups (idempotent) and return them by name."""
    return {
        name: Group.objects.get_or_create(name=name)[0]
        for name in (EDITORS_GROUP, COORDINATION_GROUP, MEMBERS_GROUP)
    }
