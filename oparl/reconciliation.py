"""The API's change tracking checked against everything it exposes.

oparl.signals records, as each change happens, what it hides (a tombstone) and what comes back
into view with an older `modified` (an observed change). That eager diff is precise and cheap:
it reads only the objects one change can affect, inside the change's own transaction, so a
client synchronising by `modified_since` sees an approval or a depublication at once. It sees
only what goes through model signals, though: `QuerySet.update()`, raw SQL, `loaddata` (raw
saves) and a restored backup pass it by.

`reconcile()` closes that gap. It compares the set of objects the API exposed when it last ran
(`ServedObject`) with what the visibility policy exposes now, and records what the eager diff
missed: a tombstone for each object that left without one, an observed change for each object
that came into view with a `modified` older than the last run, and a change for the objects
embedding either. It reads every exposed object, so it runs from a schedule and after bulk
loads (`manage.py reconcile_oparl`), not after every commit. Its first run only records the set.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from oparl.kinds import KINDS
from oparl.models import Observation, ServedObject, Tombstone
from oparl.signals import Exposure, bury, touch
from oparl.visibility import OBSERVED_KINDS, Scope

# The Observation that holds when the last reconciliation ran; no object has this kind.
LAST_RUN = ("reconciliation", "")
BATCH = 2000


@dataclass(frozen=True)
class Outcome:
    exposed: int
    buried: int
    brought_back: int
    first_run: bool


def exposed_now(scope):
    """{(kind, key): (created, modified)} of every object the API exposes."""
    found = {}
    for name, kind in KINDS.items():
        rows = (
            kind.queryset(scope)
            .order_by()
            .values_list("pk", "oparl_created", "oparl_modified")
            .iterator(chunk_size=BATCH)
        )
        for pk, created, modified in rows:
            found[(name, str(pk))] = (created, modified)
    return found


def parents_of(scope, keys):
    """{(kind, key): ((kind, key) of the objects embedding it, …)} for the given objects."""
    by_kind = defaultdict(list)
    for kind, key in keys:
        by_kind[kind].append(int(key))
    parents = {}
    for kind, pks in by_kind.items():
        for pk, embedding in KINDS[kind].parents(scope, pks).items():
            parents[(kind, str(pk))] = tuple(embedding)
    return parents


def mark_changed(keys, now):
    """An observed change where `modified` reads observations; elsewhere the row's own change
    time moves (persons, organizations, memberships and locations are plain rows)."""
    touch([key for key in keys if key[0] in OBSERVED_KINDS], now)
    by_kind = defaultdict(list)
    for kind, key in keys:
        if kind not in OBSERVED_KINDS and kind in KINDS:
            by_kind[kind].append(int(key))
    for kind, pks in by_kind.items():
        model = KINDS[kind].queryset(Scope()).model
        model.objects.filter(pk__in=pks).update(updated_at=now)


@transaction.atomic
def reconcile(now=None):
    now = now or timezone.now()
    scope = Scope()
    current = exposed_now(scope)
    served, served_pks = {}, {}
    for pk, kind, key, created in ServedObject.objects.values_list("pk", "kind", "key", "created"):
        served[(kind, key)] = created
        served_pks[(kind, key)] = pk
    last_run = (
        Observation.objects.filter(kind=LAST_RUN[0], key=LAST_RUN[1])
        .values_list("last_changed", flat=True)
        .first()
    )
    gone, back = {}, []
    if last_run is not None:
        # The eager diff buried these already; burying again would move their deletion time.
        buried_since = set(
            Tombstone.objects.filter(deleted_at__gte=last_run).values_list("kind", "key")
        )
        gone_keys = served.keys() - current.keys() - buried_since
        parents = parents_of(scope, gone_keys)
        gone = {key: Exposure(served[key], None, tuple(parents.get(key, ()))) for key in gone_keys}
        back = [
            key
            for key in current.keys() - served.keys()
            if current[key][1] is not None and current[key][1] < last_run
        ]
    if gone:
        bury(gone)
    if back:
        parents = parents_of(scope, back)
        mark_changed([*back, *(parent for key in back for parent in parents.get(key, ()))], now)

    # In batches: SQLite refuses statements with more than 32,766 parameters.
    left = [pk for key, pk in served_pks.items() if key not in current]
    for start in range(0, len(left), BATCH):
        ServedObject.objects.filter(pk__in=left[start : start + BATCH]).delete()
    ServedObject.objects.bulk_create(
        [
            ServedObject(kind=kind, key=key, created=created or now)
            for (kind, key), (created, _modified) in current.items()
            if (kind, key) not in served
        ],
        batch_size=BATCH,
    )
    Observation.objects.update_or_create(
        kind=LAST_RUN[0],
        key=LAST_RUN[1],
        defaults={"last_changed": now},
        create_defaults={"first_seen": now, "last_changed": now},
    )
    return Outcome(len(current), len(gone), len(back), last_run is None)
