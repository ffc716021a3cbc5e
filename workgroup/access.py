"""Who may read the AG's non-public content (nicht öffentliche Teile)."""

EDITORS_GROUP = "Redaktion"
COORDINATION_GROUP = "Koordination"
MEMBERS_GROUP = "AG-Mitglieder"

CONFIDENTIAL_READER_GROUPS = (EDITORS_GROUP, COORDINATION_GROUP, MEMBERS_GROUP)


def can_read_confidential(user):
    """AG members, editors and the coordination read non-public content; the public never does."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_can_read_confidential", None)
    if cached is None:
        cached = user.groups.filter(name__in=CONFIDENTIAL_READER_GROUPS).exists()
        user._can_read_confidential = cached
    return cached
