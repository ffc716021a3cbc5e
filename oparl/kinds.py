"""The kinds of objects the API serves from the database, and the Body's lists of them.

A kind is one source of one OParl type: organisations come from council bodies and from
factions, memberships from a member's seat in the AG and from their faction. Tombstones and
observations (oparl.models) are keyed by kind, and so are the object URLs (oparl.identifiers).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, Subquery

from oparl import serializers, visibility
from workgroup.models import (
    AgendaItem,
    Attendance,
    Consultation,
    MeetingPage,
    ResultAttachment,
    ResultPage,
)


def _no_prefetch(ctx, objects):
    pass


def _no_parents(scope, keys):
    return {}


@dataclass(frozen=True)
class Kind:
    name: str
    oparl_type: str
    # The exposed objects, annotated with oparl_created and oparl_modified, in a stable order.
    queryset: Callable[[visibility.Scope], Any]
    serialize: Callable[[serializers.Context, Any], dict]
    prefetch: Callable[[serializers.Context, list], None] = _no_prefetch
    # For exposed keys: the objects that embed or name each (kind, key), whose `modified` must
    # change when it goes or comes back.
    parents: Callable[[visibility.Scope, list], dict] = _no_parents


def _agenda_item_parents(scope, keys):
    rows = AgendaItem.objects.filter(pk__in=keys).values_list("pk", "meeting_id")
    return {pk: [("meeting", meeting_id)] for pk, meeting_id in rows}


def _consultation_parents(scope, keys):
    rows = Consultation.objects.filter(pk__in=keys).values_list("pk", "result_id")
    return {pk: [("paper", result_id)] for pk, result_id in rows}


def _person_parents(scope, keys):
    """A person is no embedded object, but public meetings name them as participants, and a
    deleted substitute vanishes from the attendance without a change to the meeting's rows."""
    parents = defaultdict(list)
    attendances = Attendance.objects.filter(
        Q(member_id__in=keys) | Q(substitute_id__in=keys),
        meeting_id__in=Subquery(visibility.public_meeting_ids(scope)),
    )
    for meeting_id, member_id, substitute_id in attendances.values_list(
        "meeting_id", "member_id", "substitute_id"
    ):
        for pk in {member_id, substitute_id} & set(keys):
            parents[pk].append(("meeting", meeting_id))
    return parents


def _file_parents(scope, keys):
    parents = defaultdict(list)
    public_meetings = visibility.live_pages(MeetingPage, scope).filter(is_public=True)
    for pk, invitation_id, minutes_id in public_meetings.filter(
        Q(invitation_id__in=keys) | Q(minutes_id__in=keys)
    ).values_list("pk", "invitation_id", "minutes_id"):
        for document_id in {invitation_id, minutes_id} & set(keys):
            parents[document_id].append(("meeting", pk))
    for result_id, document_id in ResultAttachment.objects.filter(
        document_id__in=keys,
        result_id__in=Subquery(visibility.live_pages(ResultPage, scope).values("pk")),
    ).values_list("result_id", "document_id"):
        parents[document_id].append(("paper", result_id))
    return parents


def _location_parents(scope, keys):
    parents = defaultdict(list)
    meetings = visibility.live_pages(MeetingPage, scope).filter(location_id__in=keys)
    for pk, location_id in meetings.values_list("pk", "location_id"):
        parents[location_id].append(("meeting", pk))
    return parents


def _serialize_membership(kind):
    return lambda ctx, member: serializers.membership(ctx, member, kind)


KINDS = {
    kind.name: kind
    for kind in (
        Kind(
            "council-body",
            "Organization",
            visibility.council_bodies,
            serializers.organization,
        ),
        Kind("faction", "Organization", visibility.factions, serializers.organization),
        Kind(
            "person",
            "Person",
            visibility.persons,
            serializers.person,
            parents=_person_parents,
        ),
        Kind(
            "workgroup-membership",
            "Membership",
            visibility.workgroup_memberships,
            _serialize_membership("workgroup-membership"),
        ),
        Kind(
            "faction-membership",
            "Membership",
            visibility.faction_memberships,
            _serialize_membership("faction-membership"),
        ),
        Kind(
            "meeting",
            "Meeting",
            visibility.meetings,
            serializers.meeting,
            prefetch=serializers.prefetch_meetings,
        ),
        Kind(
            "agenda-item",
            "AgendaItem",
            visibility.agenda_items,
            serializers.agenda_item,
            parents=_agenda_item_parents,
        ),
        Kind(
            "paper",
            "Paper",
            visibility.papers,
            serializers.paper,
            prefetch=serializers.prefetch_papers,
        ),
        Kind(
            "consultation",
            "Consultation",
            visibility.consultations,
            serializers.consultation,
            parents=_consultation_parents,
        ),
        Kind("file", "File", visibility.files, serializers.file, parents=_file_parents),
        Kind(
            "location",
            "Location",
            visibility.locations,
            serializers.location,
            parents=_location_parents,
        ),
    )
}

# The Body's external lists served from the database, by list name (oparl.identifiers), with
# the kinds each list holds in the order it lists them.
DATABASE_LISTS = {
    "organization": ("council-body", "faction"),
    "person": ("person",),
    "meeting": ("meeting",),
    "paper": ("paper",),
    "agenda-item": ("agenda-item",),
    "consultation": ("consultation",),
    "file": ("file",),
    "location": ("location",),
    "membership": ("workgroup-membership", "faction-membership"),
}

# Kinds served from settings, with their OParl type; see oparl.configured.
CONFIGURED_TYPES = {"system": "System", "body": "Body", "legislative-term": "LegislativeTerm"}


def oparl_type(kind_name):
    if kind_name in KINDS:
        return KINDS[kind_name].oparl_type
    return CONFIGURED_TYPES[kind_name]
