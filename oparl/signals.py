"""Bookkeeping that keeps `modified` and `deleted` truthful while the editors work.

When an object leaves the API (a page is unpublished or deleted, a member withdraws consent to
publish their name, a collection gets a view restriction), the API must answer for it as
`deleted` from then on. When an object comes into view without a change of its own (a view
restriction is lifted, an older document is attached to a paper), its `modified` must move all
the same, or clients that synchronise by `modified_since` never fetch it. Every change that can
hide or show objects is watched: just before it, the handlers note which of the objects it may
affect are exposed; just after it, those no longer exposed get a tombstone, those newly exposed
with an older `modified` an observed change, and the objects that embed either an observed
change too.

The domain app knows nothing of this: `oparl.apps` connects these handlers to its signals.
"""

import datetime
import hashlib
import json
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete, pre_save
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction
from wagtail.signals import page_slug_changed, post_page_move, pre_page_move

from oparl import configured, serializers
from oparl.kinds import KINDS
from oparl.models import Observation, Tombstone
from oparl.visibility import OBSERVED_KINDS, WORKGROUP_MARKING, Scope
from workgroup.models import (
    AgendaItem,
    Consultation,
    CouncilBody,
    Faction,
    Location,
    MeetingPage,
    Member,
    ResultAttachment,
    ResultPage,
)

PAGE_KINDS = {MeetingPage: "meeting", ResultPage: "paper"}

# Page moves hand different instances to their pre and post signals.
_moving = threading.local()


@dataclass(frozen=True)
class Exposure:
    created: datetime.datetime | None
    modified: datetime.datetime | None
    parents: tuple


def exposed(scope, candidates):
    """The candidates, as (kind, key) pairs, that the API exposes right now."""
    keys_by_kind = defaultdict(set)
    for kind, key in candidates:
        keys_by_kind[kind].add(key)
    found = {}
    for kind_name, keys in keys_by_kind.items():
        kind = KINDS[kind_name]
        times = {
            pk: (created, modified)
            for pk, created, modified in kind.queryset(scope)
            .filter(pk__in=keys)
            .values_list("pk", "oparl_created", "oparl_modified")
        }
        parents = kind.parents(scope, list(times)) if times else {}
        for key, (created, modified) in times.items():
            found[(kind_name, key)] = Exposure(created, modified, tuple(parents.get(key, ())))
    return found


def bury(gone):
    """Tombstones for objects that left the API, and a change for the objects embedding them."""
    now = timezone.now()
    Tombstone.objects.bulk_create(
        [
            # An object without any recorded time (never published, created by code) gets
            # its deletion time.
            Tombstone(kind=kind, key=str(key), created=exposure.created or now, deleted_at=now)
            for (kind, key), exposure in gone.items()
        ],
        update_conflicts=True,
        unique_fields=["kind", "key"],
        update_fields=["created", "deleted_at"],
    )
    touch([parent for exposure in gone.values() for parent in exposure.parents], now)


def touch(keys, now=None, first_seen_too=False):
    """Record a change of the objects (kind, key) that their own rows do not show. Only kinds
    whose `modified` reads observations take one."""
    now = now or timezone.now()
    Observation.objects.bulk_create(
        [
            Observation(kind=kind, key=str(key), first_seen=now, last_changed=now)
            for kind, key in set(keys)
            if kind in OBSERVED_KINDS
        ],
        update_conflicts=True,
        unique_fields=["kind", "key"],
        update_fields=["first_seen", "last_changed"] if first_seen_too else ["last_changed"],
    )


@dataclass(frozen=True)
class Pending:
    """A change about to happen: what it may hide or show, asked again afterwards because the
    change may bring new candidates (a new attachment), and which of them were exposed."""

    candidates: Callable[[], list]
    keys: frozenset
    before: dict
    began: datetime.datetime


def snapshot(candidates):
    """Before a change: which of the objects it may hide or show are exposed."""
    began = timezone.now()
    keys = frozenset(candidates())
    return Pending(candidates, keys, exposed(Scope(), keys) if keys else {}, began)


def settle(pending):
    """After the change: bury what was exposed before and is no longer, and mark as changed what
    came into view with an older `modified`, together with the objects that now embed it."""
    if pending is None:
        return
    keys = pending.keys | set(pending.candidates())
    if not keys:
        return
    after = exposed(Scope(), keys)
    gone = {key: exposure for key, exposure in pending.before.items() if key not in after}
    if gone:
        bury(gone)
    back = {
        key: exposure
        for key, exposure in after.items()
        # Pages created by code may have no time at all yet.
        if key not in pending.before
        and (exposure.modified is None or exposure.modified < pending.began)
    }
    if back:
        touch([*back, *(parent for exposure in back.values() for parent in exposure.parents)])


def _begin(instance, candidates):
    instance._oparl_pending = snapshot(candidates)


def _settle(instance):
    settle(instance.__dict__.pop("_oparl_pending", None))


# What a change to one row may hide or show, read from the database before and after it.


def meeting_candidates(ids):
    ids = list(ids)
    candidates = [("meeting", pk) for pk in ids]
    candidates += [
        ("agenda-item", pk)
        for pk in AgendaItem.objects.filter(meeting_id__in=ids).values_list("pk", flat=True)
    ]
    for invitation_id, minutes_id in MeetingPage.objects.filter(pk__in=ids).values_list(
        "invitation_id", "minutes_id"
    ):
        candidates += [("file", pk) for pk in (invitation_id, minutes_id) if pk]
    return candidates


def paper_candidates(ids):
    ids = list(ids)
    candidates = [("paper", pk) for pk in ids]
    candidates += [
        ("consultation", pk)
        for pk in Consultation.objects.filter(result_id__in=ids).values_list("pk", flat=True)
    ]
    candidates += [
        ("file", pk)
        for pk in ResultAttachment.objects.filter(result_id__in=ids).values_list(
            "document_id", flat=True
        )
    ]
    return candidates


def subtree_candidates(page):
    in_subtree = {"path__startswith": page.path}
    return meeting_candidates(
        MeetingPage.objects.filter(**in_subtree).values_list("pk", flat=True)
    ) + paper_candidates(ResultPage.objects.filter(**in_subtree).values_list("pk", flat=True))


def _page_candidates(page):
    kind = PAGE_KINDS.get(page.specific_class)
    if kind == "meeting":
        candidates = meeting_candidates([page.pk]) if page.pk else []
        if isinstance(page, MeetingPage):
            # The documents about to be named: a closed meeting hides them everywhere.
            candidates += [("file", pk) for pk in (page.invitation_id, page.minutes_id) if pk]
        return candidates
    if kind == "paper":
        return paper_candidates([page.pk])
    return []


def _member_candidates(member):
    return [(kind, member.pk) for kind in ("person", "workgroup-membership", "faction-membership")]


def _faction_candidates(faction):
    members = Member.objects.filter(faction_id=faction.pk).values_list("pk", flat=True)
    return [("faction", faction.pk)] + [("faction-membership", pk) for pk in members]


def _council_body_candidates(body):
    """The body and its consultations (shown only while the body is live), and, for the AG, the
    seats in it (shown only while an approved body is marked as the AG)."""
    candidates = [("council-body", body.pk)]
    candidates += [
        ("consultation", pk)
        for pk in Consultation.objects.filter(body_id=body.pk).values_list("pk", flat=True)
    ]
    if body.is_workgroup or CouncilBody.objects.filter(pk=body.pk, is_workgroup=True).exists():
        members = Member.objects.values_list("pk", flat=True)
        candidates += [("workgroup-membership", pk) for pk in members]
    return candidates


def _attachment_candidates(attachment):
    """The attachment's document as saved and as about to be saved."""
    documents = {attachment.document_id}
    if attachment.pk is not None:
        documents.update(
            ResultAttachment.objects.filter(pk=attachment.pk).values_list("document_id", flat=True)
        )
    return [("file", pk) for pk in documents if pk is not None]


def _collection_candidates(restriction):
    documents = get_document_model().objects.filter(
        collection__path__startswith=restriction.collection.path
    )
    return [("file", pk) for pk in documents.values_list("pk", flat=True)]


@dataclass(frozen=True)
class Watch:
    candidates: Callable
    # The fields whose change can hide or show something; None: every save can (a new
    # restriction).
    fields: tuple | None
    # Whether a new row can show something that was out of view (an older document, attached).
    on_create: bool = False


WATCHED = {
    AgendaItem: Watch(lambda item: [("agenda-item", item.pk)], ("is_public", "meeting_id")),
    Consultation: Watch(lambda item: [("consultation", item.pk)], ("is_public", "result_id")),
    ResultAttachment: Watch(_attachment_candidates, ("document_id", "result_id"), on_create=True),
    Member: Watch(_member_candidates, ("live", "name_is_public", "faction_id")),
    Faction: Watch(_faction_candidates, ("live",)),
    # Approving a body or place publishes it (saving the row with `live`), unpublishing hides it;
    # a new one is a draft or, created by code, live with new times.
    CouncilBody: Watch(_council_body_candidates, ("is_workgroup", "live")),
    Location: Watch(lambda place: [("location", place.pk)], ("live",)),
    get_document_model(): Watch(lambda document: [("file", document.pk)], ("collection_id",)),
    PageViewRestriction: Watch(lambda restriction: subtree_candidates(restriction.page), None),
    CollectionViewRestriction: Watch(_collection_candidates, None),
}
PAGE_FIELDS = {
    MeetingPage: ("live", "is_public", "invitation_id", "minutes_id"),
    ResultPage: ("live",),
}


def _may_change_view(model, instance, fields, on_create=False):
    """Whether saving `instance` changes a field that decides what the API shows. Most saves
    change none, and then cost this one query."""
    if fields is None:
        return True
    if instance.pk is None:
        return on_create
    if not fields:
        return False
    old = model.objects.filter(pk=instance.pk).values(*fields).first()
    if old is None:
        return on_create
    return any(old[field] != getattr(instance, field) for field in fields)


def before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    # Partial saves are Wagtail's bookkeeping (a new draft revision, a lock, a lazily computed
    # file hash); whatever can hide or show an object saves the whole row.
    if raw or update_fields is not None:
        return
    watch = WATCHED[sender]
    if _may_change_view(sender, instance, watch.fields, watch.on_create):
        _begin(instance, lambda: watch.candidates(instance))


def after_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw and update_fields is None:
        _settle(instance)


def before_delete(sender, instance, **kwargs):
    _begin(instance, lambda: WATCHED[sender].candidates(instance))


def after_delete(sender, instance, **kwargs):
    _settle(instance)


def before_page_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or update_fields is not None:
        return
    model = instance.specific_class
    if model not in PAGE_KINDS:
        return
    # A plain Page instance (Wagtail unpublishes some so) has only the page's own fields.
    fields = PAGE_FIELDS[model] if isinstance(instance, model) else ("live",)
    # Even a new draft meeting hides documents: those it names, if it is not public.
    on_create = model is MeetingPage
    if _may_change_view(type(instance), instance, fields, on_create):
        _begin(instance, lambda: _page_candidates(instance))


def after_page_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or update_fields is not None:
        return
    _settle(instance)
    kind = PAGE_KINDS.get(instance.specific_class)
    # Publishing saves the whole page; so do scripts that change live pages directly.
    if kind and instance.live:
        touch([(kind, instance.pk)], first_seen_too=created)


def before_page_delete(sender, instance, **kwargs):
    _begin(instance, lambda: _page_candidates(instance))


def before_page_move(sender, instance, **kwargs):
    if not hasattr(_moving, "pages"):
        _moving.pages = {}
    # After the move the instance's path is stale; the moved page is read again.
    page_id = instance.pk
    _moving.pages[page_id] = snapshot(
        lambda: subtree_candidates(Page.objects.only("path").get(pk=page_id))
    )


def after_page_move(sender, instance, **kwargs):
    settle(getattr(_moving, "pages", {}).pop(instance.pk, None))
    touch_subtree(instance)


def after_slug_change(sender, instance, **kwargs):
    touch_subtree(instance)


def touch_subtree(page):
    """A page's new place changes the `web` address of every page below it."""
    keys = [
        (kind, pk)
        for model, kind in PAGE_KINDS.items()
        for pk in model.objects.filter(path__startswith=page.path).values_list("pk", flat=True)
    ]
    if keys:
        touch(keys)


def _names_workgroup(body):
    """Whether the body, as it is about to be saved, is the AG for the API: only a live one is."""
    return body.is_workgroup and body.live


def before_council_body_save(sender, instance, raw=False, update_fields=None, **kwargs):
    # Saving a draft of a live body writes only Wagtail's bookkeeping fields, while the instance
    # carries the draft's values; only a save that writes the marking or `live` can change it.
    if raw or (update_fields is not None and not {"is_workgroup", "live"} & set(update_fields)):
        return
    was_workgroup = (
        instance.pk is not None
        and CouncilBody.objects.filter(pk=instance.pk, is_workgroup=True, live=True).exists()
    )
    instance._oparl_remarked = was_workgroup != _names_workgroup(instance)


def after_council_body_save(sender, instance, raw=False, **kwargs):
    if instance.__dict__.pop("_oparl_remarked", False):
        touch([WORKGROUP_MARKING])


def after_council_body_delete(sender, instance, **kwargs):
    if _names_workgroup(instance):
        touch([WORKGROUP_MARKING])


def document_saved(sender, instance, created, raw=False, **kwargs):
    """Documents have no change time: the API notices a change by what a File shows of them."""
    if raw:
        return
    fingerprint = _fingerprint(
        [instance.title, instance.file.name, instance.file_size, instance.file_hash]
    )
    observation = Observation.objects.filter(kind="file", key=str(instance.pk)).first()
    if created or observation is None:
        # A document from before the OParl app may have changed unseen.
        changed = instance.created_at if created else timezone.now()
        Observation.objects.update_or_create(
            kind="file",
            key=str(instance.pk),
            defaults={
                "first_seen": instance.created_at,
                "last_changed": changed,
                "fingerprint": fingerprint,
            },
        )
    elif observation.fingerprint != fingerprint:
        observation.last_changed = timezone.now()
        observation.fingerprint = fingerprint
        observation.save(update_fields=["last_changed", "fingerprint"])


def _fingerprint(value):
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


class _PlaceholderTimes(dict):
    """Times for serialising configured objects before they are recorded; the fingerprint
    leaves them out."""

    def __missing__(self, key):
        now = timezone.now()
        return configured.Times(now, now)


def record_configuration_after_migrate(using="default", plan=None, **kwargs):
    """`flush` sends post_migrate too, without a migration plan. It empties the database, and
    whatever is loaded next (a test's serialized data, a restored backup) brings its own
    observations, which rows written here would collide with. Until the next `migrate` the
    configured objects count from the installation (oparl.configured.load_times)."""
    if plan is not None:
        record_configuration(using)


def record_configuration(using="default"):
    """After every `migrate`: note changes to the configured System, Body and legislative
    terms, bury removed terms, and give live pages that have no time of their own a first one."""
    now = timezone.now()
    ctx = serializers.Context()
    ctx.configured_times = _PlaceholderTimes()
    current = {("system", configured.SYSTEM_KEY): serializers.system(ctx)}
    current[("body", configured.BODY_KEY)] = serializers.body(ctx)
    for term in configured.legislative_terms():
        current[("legislative-term", term.key)] = serializers.legislative_term(ctx, term)

    observations = Observation.objects.using(using)
    recorded = {
        (observation.kind, observation.key): observation
        for observation in observations.filter(kind__in=configured.CONFIGURED_KINDS)
    }
    for (kind, key), data in current.items():
        fingerprint = _fingerprint(_without_times(data))
        observation = recorded.get((kind, key))
        if observation is None:
            observations.create(
                kind=kind, key=key, first_seen=now, last_changed=now, fingerprint=fingerprint
            )
        elif observation.fingerprint != fingerprint:
            observation.last_changed = now
            observation.fingerprint = fingerprint
            observation.save(using=using, update_fields=["last_changed", "fingerprint"])
    for (kind, key), observation in recorded.items():
        if (kind, key) not in current:
            Tombstone.objects.using(using).update_or_create(
                kind=kind,
                key=key,
                defaults={"created": observation.first_seen, "deleted_at": now},
            )
            observation.delete()

    for model, kind in PAGE_KINDS.items():
        untimed = model.objects.using(using).filter(
            live=True,
            first_published_at__isnull=True,
            last_published_at__isnull=True,
            latest_revision_created_at__isnull=True,
        )
        seen = set(observations.filter(kind=kind).values_list("key", flat=True))
        observations.bulk_create(
            [
                Observation(kind=kind, key=str(pk), first_seen=now, last_changed=now)
                for pk in untimed.values_list("pk", flat=True)
                if str(pk) not in seen
            ]
        )


def _without_times(data):
    """The object as the fingerprint sees it: its content, not its own created/modified."""
    if isinstance(data, dict):
        return {
            key: _without_times(value)
            for key, value in data.items()
            if key not in ("created", "modified")
        }
    if isinstance(data, list):
        return [_without_times(value) for value in data]
    return data


def connect(app_config):
    for model in WATCHED:
        pre_save.connect(before_save, sender=model, dispatch_uid=f"oparl-pre-save-{model.__name__}")
        post_save.connect(
            after_save, sender=model, dispatch_uid=f"oparl-post-save-{model.__name__}"
        )
    for model in WATCHED:
        pre_delete.connect(
            before_delete, sender=model, dispatch_uid=f"oparl-pre-del-{model.__name__}"
        )
        post_delete.connect(
            after_delete, sender=model, dispatch_uid=f"oparl-post-del-{model.__name__}"
        )
    # Wagtail saves a page as its specific class, but unpublishes some as a plain Page.
    for model in (Page, *PAGE_KINDS):
        pre_save.connect(
            before_page_save, sender=model, dispatch_uid=f"oparl-pre-save-{model.__name__}"
        )
        post_save.connect(
            after_page_save, sender=model, dispatch_uid=f"oparl-post-save-{model.__name__}"
        )
    # Deleting a page deletes its specific row too, which sends these.
    for model in PAGE_KINDS:
        pre_delete.connect(
            before_page_delete, sender=model, dispatch_uid=f"oparl-pre-del-{model.__name__}"
        )
        post_delete.connect(
            after_delete, sender=model, dispatch_uid=f"oparl-post-del-{model.__name__}"
        )
    pre_save.connect(
        before_council_body_save, sender=CouncilBody, dispatch_uid="oparl-pre-save-marking"
    )
    post_save.connect(
        after_council_body_save, sender=CouncilBody, dispatch_uid="oparl-post-save-marking"
    )
    post_delete.connect(
        after_council_body_delete, sender=CouncilBody, dispatch_uid="oparl-post-del-marking"
    )
    pre_page_move.connect(before_page_move, dispatch_uid="oparl-pre-move")
    post_page_move.connect(after_page_move, dispatch_uid="oparl-post-move")
    page_slug_changed.connect(after_slug_change, dispatch_uid="oparl-slug")
    post_save.connect(document_saved, sender=get_document_model(), dispatch_uid="oparl-document")
    post_migrate.connect(
        record_configuration_after_migrate, sender=app_config, dispatch_uid="oparl-configuration"
    )
