"""Which of the AG's content the API exposes, and when each object was created and modified.

The public website's rules decide: live pages outside view restrictions (for pages, Wagtail keeps
the live content in the page row and drafts in revisions; for the Member, Faction, CouncilBody and
Location snippets the row is the live version too), public agenda items of public meetings,
public consultations of approved (live) council bodies, members who agreed to have their name
published, live meeting places, documents outside restricted collections. What concerns council
bodies and places asks workgroup.visibility, the policy the website follows too.

Every queryset here is annotated with `oparl_created` and `oparl_modified` in SQL, so that the
lists filter and paginate in the database. `oparl_modified` includes every embedded object, as the
specification asks: a changed consultation changes its paper.
"""

from functools import cached_property

from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Greatest
from wagtail.documents import get_document_model
from wagtail.models import CollectionViewRestriction

from oparl.models import Observation
from workgroup import visibility as workgroup_visibility
from workgroup.models import (
    AgendaItem,
    Attendance,
    Consultation,
    Faction,
    MeetingPage,
    Member,
    ResultAttachment,
    ResultPage,
)


class Scope:
    """The view restrictions in force, read once per request or bookkeeping check."""

    @cached_property
    def private_pages(self):
        # Read fresh, not from the page cache's generation: the bookkeeping in oparl.signals
        # compares what is exposed just before and just after a change.
        return workgroup_visibility.hidden_from_public()

    @cached_property
    def restricted_documents(self):
        paths = CollectionViewRestriction.objects.values_list("collection__path", flat=True)
        query = Q(pk__in=[])
        for path in paths:
            query |= Q(collection__path__startswith=path)
        return query

    @cached_property
    def workgroup(self):
        """The council body that is the AG, or None while the editors have not marked one.
        Only an approved body can be the AG: a draft marked so names nothing yet."""
        return workgroup_bodies().only("pk").first()


def workgroup_bodies():
    """The live council body marked as the AG (at most one: a constraint keeps the mark unique)."""
    return workgroup_visibility.visible_council_bodies().filter(is_workgroup=True)


# Which council body is the AG decides what every meeting's `organization`, every paper's
# `underDirectionOf` and every person's AG membership name; oparl.signals records here when the
# marking changes, since marking one body or unmarking another leaves no row behind that says so.
WORKGROUP_MARKING = ("workgroup", "")

# The kinds whose `oparl_modified` reads their Observation, so that a change their rows cannot
# show (a lifted view restriction, a vanished embedded object) can be recorded for them.
OBSERVED_KINDS = frozenset(
    {"meeting", "paper", "agenda-item", "consultation", "file", WORKGROUP_MARKING[0]}
)


def observed(kind, key, field):
    """The Observation's `field` for the object of `kind` whose key is the expression `key`."""
    return Subquery(
        Observation.objects.filter(kind=kind, key=Cast(key, output_field=CharField())).values(
            field
        )[:1],
        output_field=DateTimeField(),
    )


def workgroup_marked():
    kind, key = WORKGROUP_MARKING
    return Subquery(
        Observation.objects.filter(kind=kind, key=key).values("last_changed")[:1],
        output_field=DateTimeField(),
    )


def latest(base, *others):
    """The latest of non-null `base` and the other times, any of which may be null."""
    return Greatest(base, *(Coalesce(other, base) for other in others))


def latest_child(model, parent_field, expression):
    """The latest `expression` among the rows of `model` that belong to the outer row."""
    return Subquery(
        model.objects.filter(**{parent_field: OuterRef("pk")})
        .order_by()
        .values(parent_field)
        .annotate(latest=Max(expression))
        .values("latest"),
        output_field=DateTimeField(),
    )


def document_modified(foreign_key=None):
    """A document has no change time of its own: it changes when the API notices a change
    (see oparl.signals). `foreign_key` names the document of a row that refers to one."""
    if foreign_key is None:
        return latest(F("created_at"), observed("file", OuterRef("pk"), "last_changed"))
    return latest(
        F(f"{foreign_key}__created_at"),
        observed("file", OuterRef(f"{foreign_key}_id"), "last_changed"),
    )


def live_pages(model, scope):
    return model.objects.live().exclude(scope.private_pages).defer_streamfields()


def _with_page_times(queryset, kind, *embedded_times):
    """Pages created by code rather than published have no publication times; the API then
    counts from when it first saw them."""
    queryset = queryset.annotate(
        oparl_created=Coalesce(
            "first_published_at",
            observed(kind, OuterRef("pk"), "first_seen"),
            "last_published_at",
            "latest_revision_created_at",
        )
    )
    return queryset.annotate(
        oparl_modified=latest(
            Coalesce("last_published_at", "oparl_created"),
            # A page may carry a first publication date later than its last one (imports).
            F("oparl_created"),
            observed(kind, OuterRef("pk"), "last_changed"),
            workgroup_marked(),
            *embedded_times,
        )
    )


def _with_row_times(queryset, kind):
    """Rows change their own `updated_at`; coming back into view (a lifted view restriction)
    leaves the row alone and is observed instead."""
    return queryset.annotate(
        oparl_created=F("created_at"),
        oparl_modified=latest(F("updated_at"), observed(kind, OuterRef("pk"), "last_changed")),
    )


def meetings(scope):
    participants_changed = Greatest(
        "member__updated_at", Coalesce("substitute__updated_at", "member__updated_at")
    )
    queryset = live_pages(MeetingPage, scope).select_related("location")
    return _with_page_times(
        queryset,
        "meeting",
        F("location__updated_at"),
        latest_child(AgendaItem, "meeting_id", "updated_at"),
        latest_child(Attendance, "meeting_id", participants_changed),
        document_modified("invitation"),
        document_modified("minutes"),
    ).order_by("pk")


def public_meeting_ids(scope):
    return live_pages(MeetingPage, scope).filter(is_public=True).values("pk")


def agenda_items(scope):
    # An item is public only within a public meeting: a closed meeting is closed whole.
    queryset = AgendaItem.objects.filter(
        is_public=True, meeting_id__in=Subquery(public_meeting_ids(scope))
    ).annotate(oparl_position=Coalesce("sort_order", Value(-1)))
    earlier = (
        AgendaItem.objects.filter(meeting_id=OuterRef("meeting_id"), is_public=True)
        .annotate(position=Coalesce("sort_order", Value(-1)))
        .filter(
            Q(position__lt=OuterRef("oparl_position"))
            | Q(position=OuterRef("oparl_position"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("meeting_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    # `order` is the item's position among the meeting's published items, as in Meeting.agendaItem.
    queryset = queryset.annotate(oparl_order=Coalesce(Subquery(earlier), Value(0)))
    return _with_row_times(queryset, "agenda-item").order_by("pk")


def papers(scope):
    attachment_changed = document_modified("document")
    return _with_page_times(
        live_pages(ResultPage, scope),
        "paper",
        latest_child(Consultation, "result_id", "updated_at"),
        latest_child(ResultAttachment, "result_id", attachment_changed),
    ).order_by("pk")


def consultations(scope):
    """Public consultations of live papers whose council body is approved. A consultation of a
    body still waiting for approval is left out whole, as on the paper's web page: an OParl
    Consultation must name its organisation, and that name is what awaits approval. It appears
    once the body goes live (oparl.signals records it as changed then)."""
    queryset = Consultation.objects.filter(
        is_public=True, result_id__in=Subquery(live_pages(ResultPage, scope).values("pk"))
    )
    queryset = workgroup_visibility.visible_consultations(queryset)
    return _with_row_times(queryset, "consultation").order_by("pk")


def documents(scope):
    """Documents that may be shown where a public object embeds them: outside restricted
    collections, and never the invitation or minutes of a non-public meeting, published or
    not, whatever else names them (the website serves those to the AG only, see
    workgroup.wagtail_hooks)."""
    closed_meetings = MeetingPage.objects.filter(is_public=False).filter(
        Q(invitation_id=OuterRef("pk")) | Q(minutes_id=OuterRef("pk"))
    )
    return (
        get_document_model()
        .objects.exclude(scope.restricted_documents)
        .exclude(Exists(closed_meetings))
        .annotate(oparl_created=F("created_at"), oparl_modified=document_modified())
        .order_by("pk")
    )


def files(scope):
    """Documents that a public object embeds: a public meeting's invitation and minutes,
    a public paper's attachments."""
    public_meetings = live_pages(MeetingPage, scope).filter(is_public=True)
    attachments = ResultAttachment.objects.filter(
        result_id__in=Subquery(live_pages(ResultPage, scope).values("pk"))
    )
    return documents(scope).filter(
        Q(pk__in=Subquery(public_meetings.values("invitation_id")))
        | Q(pk__in=Subquery(public_meetings.values("minutes_id")))
        | Q(pk__in=Subquery(attachments.values("document_id")))
    )


def _with_own_times(queryset):
    """Rows that are in view while they are live, which their row shows (factions, council
    bodies, places): their own times are the whole story, since publishing and unpublishing save
    the row."""
    return queryset.annotate(oparl_created=F("created_at"), oparl_modified=F("updated_at"))


def locations(scope):
    return _with_own_times(workgroup_visibility.visible_locations()).order_by("pk")


def council_bodies(scope):
    return _with_own_times(workgroup_visibility.visible_council_bodies()).order_by("pk")


def factions(scope):
    return _with_own_times(Faction.objects.filter(live=True)).order_by("pk")


def persons(scope):
    """Live members who agreed to have their name published. A person's memberships are
    embedded, and they name the faction and the AG, so their changes count too."""
    return (
        Member.objects.filter(live=True, name_is_public=True)
        .select_related("faction")
        .annotate(
            oparl_created=F("created_at"),
            oparl_modified=latest(
                F("updated_at"),
                F("faction__updated_at"),
                workgroup_marked(),
            ),
        )
        .order_by("pk")
    )


def workgroup_memberships(scope):
    return persons(scope).filter(Exists(workgroup_bodies()))


def faction_memberships(scope):
    return persons(scope).filter(faction__live=True)
