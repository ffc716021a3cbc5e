"""Who may see what: the one policy every output asks.

The site promises two things: the AG's outcomes reach the public only through the
Koordination's approval, and non-public content never reaches anyone who may not read it. Every
output (pages, menus, listings, the register and its exports, search, sitemap, feeds, iCal,
OParl, documents, images, e-mails) decides through the functions here, never by a condition of
its own in a template or view; templates call them through `visibility_tags`.

The rules, each proved by the test named in docs/architecture.md ("Sichtbarkeit und Freigabe"):
- Pages: only live pages, and only outside view restrictions (group, login or password, each
  inherited by its subtree) that the reader does not pass. Without a request, for feeds, the
  sitemap, OParl and the page cache, the reader is the anonymous public.
- Non-public parts (a closed meeting's agenda, attendance and documents, non-public agenda
  items, non-public consultation outcomes, names withheld by their members) only for readers
  with the permission `workgroup.view_confidential`, which the roles grant.
- Documents: served to a reader only while a live page that the reader may see refers to it in
  a part the reader may see, or to editors who handle documents in the admin. A document that
  approved content uses keeps its file, title and collection (`document_in_approved_use`), so
  what the public downloads is what the Koordination approved.
- Images: the public site shows none; image files go only to users who handle images in the
  admin.

The domain models are imported inside the functions: the page models themselves ask this module
for their listings, so it cannot import them while they load.
"""

from contextlib import suppress

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.models import Page, PageViewRestriction

from workgroup import page_cache

CONFIDENTIAL_PERMISSION = "workgroup.view_confidential"


# --- Readers -----------------------------------------------------------------------------------


def _user(request_or_user):
    """The user behind a request, or the user itself; None stands for the anonymous public."""
    if request_or_user is None:
        return None
    return getattr(request_or_user, "user", request_or_user)


def can_read_confidential(request_or_user):
    """Whether the reader may see the AG's non-public parts: a permission of the roles (AG
    members, editors, the Koordination), never of the public."""
    user = _user(request_or_user)
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(CONFIDENTIAL_PERMISSION)


# --- Pages -------------------------------------------------------------------------------------


def _restrictions():
    """Every page view restriction as (path, id, type, group ids), read once per content
    generation of the page cache, which every restriction change and page move replaces."""

    def read():
        # One row per restriction and group (the group is null for the other kinds).
        restrictions = {}
        for pk, path, kind, group_id in PageViewRestriction.objects.values_list(
            "pk", "page__path", "restriction_type", "groups"
        ):
            restrictions.setdefault((path, pk, kind), set())
            if group_id is not None:
                restrictions[(path, pk, kind)].add(group_id)
        return sorted((*key, frozenset(groups)) for key, groups in restrictions.items())

    return page_cache.per_generation("page-restrictions", read)


def _passes(restriction, request):
    """Whether the request passes one restriction, as Wagtail's own `accept_request` decides,
    but from the cached rows: a page with many relations would otherwise ask for every
    restriction's groups again."""
    _path, pk, kind, group_ids = restriction
    user = _user(request)
    if kind == PageViewRestriction.NONE:
        return True
    if kind == PageViewRestriction.PASSWORD:
        session = getattr(request, "session", None)
        passed = (
            session.get(PageViewRestriction.passed_view_restrictions_session_key, [])
            if (session is not None)
            else []
        )
        return pk in passed
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if kind == PageViewRestriction.LOGIN:
        return True
    if user.is_superuser:
        return True
    own_groups = getattr(user, "_visibility_group_ids", None)
    if own_groups is None:
        own_groups = frozenset(user.groups.values_list("pk", flat=True))
        user._visibility_group_ids = own_groups
    return bool(own_groups & group_ids)


def hidden_paths(request=None):
    """The tree paths whose subtrees the reader may not see."""
    if request is None:
        return sorted({restriction[0] for restriction in _restrictions()})
    cached = getattr(request, "_visibility_hidden_paths", None)
    if cached is None:
        cached = sorted(
            {restriction[0] for restriction in _restrictions() if not _passes(restriction, request)}
        )
        # A user object or a read-only stand-in has nowhere to keep it; then it is read again.
        with suppress(AttributeError):
            request._visibility_hidden_paths = cached
    return cached


def _hidden_q(request=None):
    hidden = Q()
    for path in hidden_paths(request):
        hidden |= Q(path__startswith=path)
    return hidden


def hidden_from_public():
    """The pages no anonymous reader may see, as a condition read fresh from the database, for
    bookkeeping that must not wait for the page cache's next generation (OParl's change
    tracking compares just before and just after a change)."""
    hidden = Q(pk__in=[])
    for _pk, path in PageViewRestriction.objects.values_list("pk", "page__path"):
        hidden |= Q(path__startswith=path)
    return hidden


def visible_pages(pages, request=None):
    """The live pages of the queryset that the reader may see.

    Listings exclude the hidden subtrees by path prefix, as Wagtail's `public()` does, but from
    paths read once per content generation: `public()` reads every restriction on every call,
    and a correlated NOT EXISTS is planned per row (SQLite after ANALYZE took 20 s for the
    register of 10,000 results). With no restriction, no condition at all.
    """
    hidden = _hidden_q(request)
    pages = pages.filter(live=True)
    return pages.exclude(hidden) if hidden else pages


def public_pages(pages):
    """What the anonymous public, feeds, the sitemap and OParl may see of the queryset."""
    return visible_pages(pages, None)


def page_is_visible(page, request=None):
    """Whether the reader may see this page (live, outside restrictions the reader fails)."""
    if page is None or not page.live:
        return False
    return not any(page.path.startswith(path) for path in hidden_paths(request))


def searchable_pages(pages, request=None):
    """The pages site search may find for the reader. A closed meeting is left out whole for
    readers of the public parts only: a hit on it would tell which words its agenda and
    further information contain."""
    from workgroup.models import MeetingPage

    pages = visible_pages(pages, request)
    if not can_read_confidential(request):
        pages = pages.exclude(pk__in=MeetingPage.objects.filter(is_public=False).values("pk"))
    return pages


def only_visible(pages, request=None):
    """The pages of a list or relation the reader may see, in their order; for relations a
    page renders (topic areas, source meetings, linked results), without another query."""
    return [page for page in pages if page_is_visible(page, request)]


# --- Non-public parts of visible pages ---------------------------------------------------------


def meeting_details_visible(meeting, request_or_user=None):
    """A closed meeting shows the public its date, title and place; agenda, attendance, guests,
    documents and further information only to readers of confidential content."""
    return meeting.is_public or can_read_confidential(request_or_user)


def agenda_item_visible(item, request_or_user=None):
    """An agenda item is public only within a public meeting: a closed meeting is closed whole."""
    return item.is_publicly_visible or can_read_confidential(request_or_user)


def consultation_outcome_visible(consultation, request_or_user=None):
    """A non-public consultation shows the public its body and date, not its role and outcome."""
    return consultation.is_public or can_read_confidential(request_or_user)


def member_name(member, request_or_user=None):
    """The member's name, or a neutral stand-in unless the member agreed to its publication;
    AG members and the editors know who is who."""
    if member is None:
        return ""
    if can_read_confidential(request_or_user):
        return member.name
    return member.public_name


# --- Documents ---------------------------------------------------------------------------------


def _document_content_type():
    from wagtail.documents import get_document_model

    return ContentType.objects.get_for_model(get_document_model())


def _part_visible(page, model_path, request):
    """Whether the part of a visible page at model_path (e.g. "minutes", "attachments.item.
    document", "body.<id>.document") is open to the reader."""
    from workgroup.models import MeetingPage

    if isinstance(page, MeetingPage):
        # Everything of a meeting that can hold a document is a detail of the meeting.
        return meeting_details_visible(page, request)
    return True


def closed_meeting_documents():
    """The ids of every invitation and minutes of a non-public meeting, published or not:
    those are for the AG whatever else refers to them, so that attaching them to public
    content cannot publish them. Read once per content generation of the page cache."""

    def read():
        from workgroup.models import MeetingPage

        ids = set()
        for invitation, minutes in MeetingPage.objects.filter(is_public=False).values_list(
            "invitation_id", "minutes_id"
        ):
            ids.update((invitation, minutes))
        ids.discard(None)
        return frozenset(ids)

    return page_cache.per_generation("closed-meeting-documents", read)


def _document_open_to(document, request):
    """What every document a reader fetches or sees linked must pass: the collection's view
    restriction, and for a closed meeting's papers the right to read non-public parts."""
    if document.pk in closed_meeting_documents() and not can_read_confidential(request):
        return False
    return _collection_passed(document, request)


def handles_documents_in_admin(user):
    """Editors and the Koordination choose and check documents in the admin, drafts included."""
    from wagtail.documents import get_document_model
    from wagtail.permissions import policy_registry

    permission_policy = policy_registry.get_by_type(get_document_model())
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return permission_policy.user_has_any_permission(user, ["add", "change", "choose"])


def referring_pages(document, *, live=True):
    """The pages (specific) whose stored content refers to the document, each with the paths of
    its references. For a published page the rows hold the published content, not a later
    draft, which lives in a revision.

    The AG's own document fields are read directly: they are what most documents hang on, and
    they stay right where the reference index is not kept (`generate_data` leaves it out for
    speed, fixtures skip it). Wagtail's reference index adds what only it can find: document
    blocks in StreamFields and document links in rich text.
    """
    from wagtail.models import ReferenceIndex

    from workgroup.models import MeetingPage, ResultAttachment

    paths_by_page = {}

    def add(page_id, model_path):
        paths_by_page.setdefault(int(page_id), []).append(model_path)

    for result_id in ResultAttachment.objects.filter(document=document).values_list(
        "result_id", flat=True
    ):
        add(result_id, "attachments")
    for field in ("invitation", "minutes"):
        for meeting_id in MeetingPage.objects.filter(**{field: document}).values_list(
            "pk", flat=True
        ):
            add(meeting_id, field)
    for object_id, model_path in ReferenceIndex.objects.filter(
        to_content_type=_document_content_type(),
        to_object_id=str(document.pk),
        base_content_type=ContentType.objects.get_for_model(Page),
    ).values_list("object_id", "model_path"):
        add(object_id, model_path)
    if not paths_by_page:
        return []
    pages = Page.objects.filter(pk__in=paths_by_page)
    if live:
        pages = pages.filter(live=True)
    return [(page, paths_by_page[page.pk]) for page in pages.specific()]


def _collection_passed(document, request):
    """A document in a collection with a view restriction (inherited by sub-collections) goes
    only to readers who pass it; Wagtail checks the same again when the file is fetched."""
    restrictions = document.collection.get_view_restrictions()
    if request is None or not hasattr(request, "session"):
        return not restrictions.exists()
    return all(restriction.accept_request(request) for restriction in restrictions)


def document_visible_on(page, model_path, document, request=None):
    """Whether a page may show the reader the document it refers to at model_path: the page is
    one the reader sees, the part is open to the reader, and so is the document's collection.
    Editors handling documents see every link, previews of drafts included."""
    if handles_documents_in_admin(_user(request)):
        return True
    return (
        page_is_visible(page, request)
        and _part_visible(page, model_path, request)
        and _document_open_to(document, request)
    )


def document_is_visible(document, request=None):
    """Whether the reader may fetch the document's file: approved content the reader sees refers
    to it. Uploading it, or moving it to another collection, makes nothing public."""
    if handles_documents_in_admin(_user(request)):
        return True
    if not _document_open_to(document, request):
        return False
    return any(
        page_is_visible(page, request) and _part_visible(page, model_path, request)
        for page, model_paths in referring_pages(document)
        for model_path in model_paths
    )


def visible_documents(documents, request=None):
    """The documents of the queryset that the reader may fetch (for lists such as OParl's)."""
    return [document for document in documents if document_is_visible(document, request)]


def document_in_approved_use(document):
    """Whether approved content uses the document: a live page refers to it, or a version
    waiting for approval or for its go-live date does. Such a document keeps its file, title
    and collection; a new version is a new upload, which goes online with the next approval."""
    from wagtail.models import ReferenceIndex, Revision, TaskState

    if any(True for _page in referring_pages(document, live=True)):
        return True
    document_type = _document_content_type().pk
    pending = Revision.objects.filter(
        Q(approved_go_live_at__isnull=False)
        | Q(
            pk__in=TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS).values(
                "revision_id"
            )
        )
    )
    for revision in pending:
        # The reference index holds stored rows only; a version under review is a revision.
        references = ReferenceIndex._extract_references_from_object(revision.as_object())
        if any(
            content_type == document_type and object_id == str(document.pk)
            for content_type, object_id, _model_path, _content_path in references
        ):
            return True
    return False


# --- Images ------------------------------------------------------------------------------------


def image_file_is_visible(request_or_user=None):
    """The public site shows no images (no page type or block places one), so nothing an
    editor uploads can reach the public by way of an image; their files, originals and
    renditions alike, go only to users who handle images in the admin."""
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    permission_policy = policy_registry.get_by_type(get_image_model())
    user = _user(request_or_user)
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return permission_policy.user_has_any_permission(user, ["add", "change", "choose"])


# --- Council bodies and locations ------------------------------------------------------------
#
# Council bodies and meeting places are snippets under the approval workflow. Their row holds the
# live version (DraftStateMixin), or the draft while one was never published; a live one's later
# edits wait in revisions until approved. The website and OParl therefore show a body or place
# only while it is live, and then with its row's values. This holds for every reader: what is not
# approved is the admin's business, where the editors see drafts and previews.


def is_live_snippet(obj):
    """Whether a snippet under the workflow (body, place) is approved and online."""
    return obj is not None and bool(obj.live)


def visible_council_bodies(bodies=None):
    """The council bodies outputs may name or list (OParl's organisations): the live ones."""
    if bodies is None:
        from workgroup.models import CouncilBody

        bodies = CouncilBody.objects.all()
    return bodies.filter(live=True)


def visible_locations(locations=None):
    """The meeting places outputs may name or list (OParl's locations): the live ones."""
    if locations is None:
        from workgroup.models import Location

        locations = Location.objects.all()
    return locations.filter(live=True)


def meeting_location(meeting):
    """The meeting's place as every output shows it (page, home page, iCal, OParl), or None
    while the place waits for approval: the meeting then appears without a place."""
    location = meeting.location if meeting.location_id else None
    return location if is_live_snippet(location) else None


def consultation_is_visible(consultation):
    """A step of the Beratungsfolge names its body, so it appears only once the body is approved.

    The step is left out whole, not shown without a body: a row without its body says nothing,
    and the body's name is exactly what awaits approval. Once the body is approved, the step
    appears (in OParl as a newly exposed consultation of the paper). Whether its role and outcome
    are shown is a separate rule (`consultation_outcome_visible`)."""
    return is_live_snippet(consultation.body)


def visible_consultations(consultations):
    """The steps of a Beratungsfolge whose body is approved. A queryset stays a queryset
    (OParl filters and paginates in SQL); anything else, such as a preview's in-memory relation,
    becomes a list in its order."""
    from django.db.models import QuerySet

    if isinstance(consultations, QuerySet):
        return consultations.filter(body__live=True)
    return [consultation for consultation in consultations if consultation_is_visible(consultation)]
