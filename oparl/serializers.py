"""One function per OParl type. Each serves the object on its own, in a list and embedded
in another object alike, so that every spelling of an object is the same.

Objects come from the querysets of `oparl.visibility`, with their prefetches (the `prefetch_*`
functions here) already run: serialising makes no queries of its own.
"""

from collections import defaultdict
from functools import cached_property

from django.db.models import Q, Subquery, Value
from django.db.models.functions import Coalesce

from core.site_url import absolute_url
from oparl import configured, visibility
from oparl.formats import format_date, format_datetime
from oparl.identifiers import (
    OPARL_VERSION,
    download_url,
    list_url,
    object_url,
    type_url,
)
from workgroup import visibility as workgroup_visibility
from workgroup.models import (
    Attendance,
    CouncilBody,
    MeetingPage,
    Member,
    ResultAttachment,
)

MEETING_STATES = {
    MeetingPage.Status.PLANNED: "terminiert",
    MeetingPage.Status.HELD: "durchgeführt",
    MeetingPage.Status.CANCELLED: "abgesagt",
}

# The founding paper names the standing members of the AG; deputies vote only when they stand
# in for their faction's representative, and topic guests are invited to advise.
VOTING_ROLES = (
    Member.Role.CHAIR,
    Member.Role.VICE_CHAIR,
    Member.Role.STAFF_HR,
    Member.Role.STAFF_CONTROLLING,
    Member.Role.REPRESENTATIVE,
)


class Context:
    """What serialising needs beyond the object: the request (for page URLs), the view
    restrictions in force, the `omit_internal` choice and the documents loaded so far."""

    def __init__(self, request=None, omit_internal=False, scope=None):
        self.request = request
        self.omit_internal = omit_internal
        self.scope = scope or visibility.Scope()
        self.documents = {}

    @cached_property
    def workgroup_url(self):
        workgroup = self.scope.workgroup
        return object_url("council-body", workgroup.pk) if workgroup else None

    @cached_property
    def configured_times(self):
        return configured.load_times()

    def load_documents(self, ids):
        missing = {pk for pk in ids if pk is not None} - self.documents.keys()
        if missing:
            for document in visibility.documents(self.scope).filter(pk__in=missing):
                self.documents[document.pk] = document


def web_url(ctx, page):
    """The page on the website under SITE_URL: its path from Wagtail, the address from the
    setting (page.get_url would look up the request's Site, a query per response)."""
    parts = page.get_url_parts(ctx.request)
    return absolute_url(parts[2]) if parts else None


def _finish(ctx, data, embedded_lists=()):
    """Leave out what is empty: the specification forbids null values, and empty optional
    lists are left out. `omit_internal` leaves the embedded lists out."""
    omitted = embedded_lists if ctx.omit_internal else ()
    return {
        key: value
        for key, value in data.items()
        if value is not None and value != [] and key not in omitted
    }


def _times(created, modified):
    return {"created": format_datetime(created), "modified": format_datetime(modified)}


def system(ctx):
    times = ctx.configured_times[("system", configured.SYSTEM_KEY)]
    return _finish(
        ctx,
        {
            "id": object_url("system"),
            "type": type_url("System"),
            "oparlVersion": OPARL_VERSION,
            "body": list_url("bodies"),
            "name": "AG Digitalisierung Plauen",
            "website": absolute_url("/"),
            **_times(times.created, times.modified),
        },
    )


def body(ctx):
    settings = configured.body_settings()
    times = ctx.configured_times[("body", configured.BODY_KEY)]
    data = _finish(
        ctx,
        {
            "id": object_url("body", configured.BODY_KEY),
            "type": type_url("Body"),
            "system": object_url("system"),
            "name": settings["name"],
            "shortName": settings.get("short_name"),
            "website": settings.get("website"),
            "organization": list_url("organization"),
            "person": list_url("person"),
            "meeting": list_url("meeting"),
            "paper": list_url("paper"),
            "agendaItem": list_url("agenda-item"),
            "consultation": list_url("consultation"),
            "file": list_url("file"),
            "locationList": list_url("location"),
            "legislativeTermList": list_url("legislative-term"),
            "membership": list_url("membership"),
            **_times(times.created, times.modified),
        },
    )
    # Required, so present even when empty and with omit_internal.
    data["legislativeTerm"] = [
        legislative_term(ctx, term) for term in configured.legislative_terms()
    ]
    return data


def legislative_term(ctx, term):
    times = ctx.configured_times[("legislative-term", term.key)]
    return _finish(
        ctx,
        {
            "id": object_url("legislative-term", term.key),
            "type": type_url("LegislativeTerm"),
            "body": object_url("body", configured.BODY_KEY),
            "name": term.name,
            "startDate": format_date(term.start_date) if term.start_date else None,
            "endDate": format_date(term.end_date) if term.end_date else None,
            **_times(times.created, times.modified),
        },
    )


def organization(ctx, group):
    """A council body (Gremium, the AG among them) or a faction."""
    if isinstance(group, CouncilBody):
        key = object_url("council-body", group.pk)
        kind_fields = (
            {"organizationType": "Arbeitsgruppe", "classification": "Arbeitsgruppe"}
            if group.is_workgroup
            else {"organizationType": "Gremium"}
        )
    else:
        key = object_url("faction", group.pk)
        kind_fields = {"organizationType": "Fraktion", "classification": "Fraktion"}
    return _finish(
        ctx,
        {
            "id": key,
            "type": type_url("Organization"),
            "body": object_url("body", configured.BODY_KEY),
            "name": group.name,
            "shortName": group.short_name or None,
            **kind_fields,
            **_times(group.oparl_created, group.oparl_modified),
        },
    )


def person(ctx, member):
    memberships = [membership(ctx, member, "workgroup-membership")] if ctx.workgroup_url else []
    if member.faction_id and member.faction.live:
        memberships.append(membership(ctx, member, "faction-membership"))
    status = [member.function_title] if member.function_title else []
    if member.is_expert_citizen:
        status.append("sachkundige/r Einwohner/in")
    return _finish(
        ctx,
        {
            "id": object_url("person", member.pk),
            "type": type_url("Person"),
            "body": object_url("body", configured.BODY_KEY),
            "name": member.name,
            "status": status,
            "membership": memberships,
            **_times(member.oparl_created, member.oparl_modified),
        },
        embedded_lists=("membership",),
    )


def membership(ctx, member, kind):
    """A member's seat in the AG (`workgroup-membership`), or their belonging to the faction
    that sent them (`faction-membership`)."""
    faction_url = (
        object_url("faction", member.faction_id)
        if member.faction_id and member.faction.live
        else None
    )
    if kind == "workgroup-membership":
        fields = {
            "organization": ctx.workgroup_url,
            "role": str(member.get_role_display()),
            "votingRight": member.role in VOTING_ROLES,
            "startDate": format_date(member.start_date) if member.start_date else None,
            "endDate": format_date(member.end_date) if member.end_date else None,
            "onBehalfOf": faction_url,
        }
    else:
        fields = {
            "organization": faction_url,
            "role": "sachkundige/r Einwohner/in" if member.is_expert_citizen else "Mitglied",
        }
    return _finish(
        ctx,
        {
            "id": object_url(kind, member.pk),
            "type": type_url("Membership"),
            "person": object_url("person", member.pk),
            **fields,
            **_times(member.oparl_created, member.oparl_modified),
        },
    )


def meeting(ctx, page):
    """A closed meeting shows only what the public website shows: name, time and place."""
    public = page.is_public
    documents = ctx.documents
    # A place still waiting for approval is left out, as on the meeting's web page.
    place = workgroup_visibility.meeting_location(page)
    return _finish(
        ctx,
        {
            "id": object_url("meeting", page.pk),
            "type": type_url("Meeting"),
            "name": page.title,
            "meetingState": MEETING_STATES[page.status],
            "cancelled": page.is_cancelled,
            "start": format_datetime(page.start),
            "end": format_datetime(page.end) if page.end else None,
            "location": location(ctx, place) if place else None,
            "organization": [ctx.workgroup_url] if ctx.workgroup_url else [],
            "participant": page.oparl_participants if public else [],
            "invitation": (
                file(ctx, documents[page.invitation_id])
                if public and page.invitation_id in documents
                else None
            ),
            "resultsProtocol": (
                file(ctx, documents[page.minutes_id])
                if public and page.minutes_id in documents
                else None
            ),
            "agendaItem": [agenda_item(ctx, item) for item in page.oparl_agenda_items],
            "web": web_url(ctx, page),
            **_times(page.oparl_created, page.oparl_modified),
        },
        embedded_lists=("agendaItem",),
    )


def agenda_item(ctx, item):
    return _finish(
        ctx,
        {
            "id": object_url("agenda-item", item.pk),
            "type": type_url("AgendaItem"),
            "meeting": object_url("meeting", item.meeting_id),
            "number": item.number,
            "order": item.oparl_order,
            "name": item.title,
            "public": True,
            "resolutionText": item.decision or None,
            **_times(item.oparl_created, item.oparl_modified),
        },
    )


def paper(ctx, page):
    files = [file(ctx, ctx.documents[pk]) for pk in page.oparl_document_ids]
    return _finish(
        ctx,
        {
            "id": object_url("paper", page.pk),
            "type": type_url("Paper"),
            "body": object_url("body", configured.BODY_KEY),
            "name": page.title,
            "reference": page.reference,
            "date": format_date(page.result_date),
            "paperType": str(page.get_kind_display()),
            # The editors order the attachments; the first one is the paper itself.
            "mainFile": files[0] if files else None,
            "auxiliaryFile": files[1:],
            "underDirectionOf": [ctx.workgroup_url] if ctx.workgroup_url else [],
            "consultation": [consultation(ctx, item) for item in page.oparl_consultations],
            "web": web_url(ctx, page),
            **_times(page.oparl_created, page.oparl_modified),
        },
        embedded_lists=("auxiliaryFile", "consultation"),
    )


def consultation(ctx, item):
    return _finish(
        ctx,
        {
            "id": object_url("consultation", item.pk),
            "type": type_url("Consultation"),
            "paper": object_url("paper", item.result_id),
            "organization": [object_url("council-body", item.body_id)],
            "authoritative": item.is_authoritative,
            "role": str(item.get_role_display()),
            **_times(item.oparl_created, item.oparl_modified),
        },
    )


def file(ctx, document):
    return _finish(
        ctx,
        {
            "id": object_url("file", document.pk),
            "type": type_url("File"),
            "name": document.title,
            "fileName": document.filename,
            "mimeType": document.content_type,
            "size": document.file_size,
            "sha1Checksum": document.file_hash or None,
            "accessUrl": absolute_url(document.url),
            "downloadUrl": download_url(document.pk),
            **_times(document.oparl_created, document.oparl_modified),
        },
    )


def location(ctx, place):
    return _finish(
        ctx,
        {
            "id": object_url("location", place.pk),
            "type": type_url("Location"),
            "description": ", ".join(part for part in (str(place), place.address) if part),
            "streetAddress": place.street_address or None,
            "room": place.room or None,
            "postalCode": place.postal_code or None,
            "locality": place.locality or None,
            # An embedded location carries the times of its own row.
            **_times(place.created_at, place.updated_at),
        },
    )


def tombstone(ctx, oparl_type, grave):
    return {
        "id": object_url(grave.kind, grave.key),
        "type": type_url(oparl_type),
        **_times(grave.created, grave.deleted_at),
        "deleted": True,
    }


# Prefetches: each loads what a list of objects embeds, in a fixed number of queries.


def prefetch_meetings(ctx, pages):
    public_ids = [page.pk for page in pages if page.is_public]
    items = defaultdict(list)
    for item in (
        visibility.agenda_items(ctx.scope)
        .filter(meeting_id__in=public_ids)
        .order_by("oparl_position", "pk")
    ):
        items[item.meeting_id].append(item)

    public_persons = Subquery(visibility.persons(ctx.scope).values("pk"))
    attendances = (
        Attendance.objects.filter(meeting_id__in=public_ids)
        .filter(
            Q(status=Attendance.Status.PRESENT, member_id__in=public_persons)
            | Q(status=Attendance.Status.REPRESENTED, substitute_id__in=public_persons)
        )
        .order_by(Coalesce("sort_order", Value(-1)), "pk")
        .values_list("meeting_id", "status", "member_id", "substitute_id")
    )
    participants = defaultdict(list)
    for meeting_id, status, member_id, substitute_id in attendances:
        # Whoever stood in took part, not the member they represented.
        present = member_id if status == Attendance.Status.PRESENT else substitute_id
        url = object_url("person", present)
        if url not in participants[meeting_id]:
            participants[meeting_id].append(url)

    ctx.load_documents(
        [page.invitation_id for page in pages if page.is_public]
        + [page.minutes_id for page in pages if page.is_public]
    )
    for page in pages:
        page.oparl_agenda_items = items[page.pk]
        page.oparl_participants = participants[page.pk]


def prefetch_papers(ctx, pages):
    ids = [page.pk for page in pages]
    consultations = defaultdict(list)
    for item in (
        visibility.consultations(ctx.scope)
        .filter(result_id__in=ids)
        .order_by(Coalesce("sort_order", Value(-1)), "pk")
    ):
        consultations[item.result_id].append(item)

    attachments = defaultdict(list)
    for result_id, document_id in (
        ResultAttachment.objects.filter(result_id__in=ids)
        .order_by(Coalesce("sort_order", Value(-1)), "pk")
        .values_list("result_id", "document_id")
    ):
        attachments[result_id].append(document_id)
    ctx.load_documents(pk for pks in attachments.values() for pk in pks)

    for page in pages:
        page.oparl_consultations = consultations[page.pk]
        # Documents in a restricted collection stay out of the paper.
        page.oparl_document_ids = [pk for pk in attachments[page.pk] if pk in ctx.documents]
