"""What the OParl API has to remember beyond the AG's own rows.

OParl clients synchronise by `modified`, so the API must report deletions and changes that the
domain models cannot show: a deleted page leaves no row behind, and a document has no change time.
Both tables are keyed by the internal kind of an object (see `oparl.kinds`) and its key.
"""

from django.db import models


class Tombstone(models.Model):
    """An object that the API exposed and that has since been deleted, unpublished or hidden.

    It answers as `deleted: true` for as long as the object is not exposed again.
    """

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    created = models.DateTimeField()
    deleted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="oparl_tombstone_unique_object")
        ]

    def __str__(self):
        return f"{self.kind} {self.key} (gelöscht {self.deleted_at:%d.%m.%Y %H:%M})"


class Observation(models.Model):
    """When the API first saw an object and last saw it change, where the domain rows cannot tell.

    Documents have no change time of their own, pages created without publishing have no
    publication times, the configured Body has no row at all, the deletion of an embedded
    object changes its parent without touching the parent's row, and an object that comes back
    into view (a lifted view restriction) changes without a change to its row. One row that is
    no object's records when the marking of the AG's council body last changed
    (oparl.visibility.WORKGROUP_MARKING).
    """

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    first_seen = models.DateTimeField()
    last_changed = models.DateTimeField()
    # What the object looked like at `last_changed`, for objects whose changes the API detects
    # by comparison (documents, the configured Body and legislative terms).
    fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="oparl_observation_unique_object")
        ]

    def __str__(self):
        return f"{self.kind} {self.key} (geändert {self.last_changed:%d.%m.%Y %H:%M})"


class ServedObject(models.Model):
    """What the API exposed when `manage.py reconcile_oparl` last looked: the set it compares
    with what the visibility policy exposes now (see oparl.reconciliation)."""

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    created = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="oparl_served_unique_object")
        ]

    def __str__(self):
        return f"{self.kind} {self.key}"
