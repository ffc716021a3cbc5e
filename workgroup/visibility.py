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

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.models import Page

from core import page_cache
from core.page_visibility import hidden_from_public as hidden_from_public
from core.page_visibility import hidden_paths as hidden_paths
from core.page_visibility import only_visible as only_visible
from core.page_visibility import page_is_visible as page_is_visible
from core.page_visibility import public_pages as public_pages
from core.page_visibility import user_of
from core.page_visibility import visible_pages as visible_pages

CONFIDENTIAL_PERMISSION = "workgroup.view_confidential"


# --- Readers -----------------------------------------------------------------------------------


def can_read_confidential(request_or_user):
    """Whether the reader may see the AG's non-public parts: a permission of the roles (AG
    members, editors, the Koordination), never of the public."""
    user = user_of(request_or_user)
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(CONFIDENTIAL_PERMISSION)


# --- Pages -------------------------------------------------------------------------------------
# The rule by view restriction lives in core.page_visibility, below the domain, so that the
# navigation can ask it too; it is part of this policy, imported above and used from here.


def searchable_pages(pages, request=None):
    """The pages site search may find for the reader. A closed meeting is left out whole for
    readers of the public parts only: a hit on it would tell which words its agenda and
    further information contain."""
    from workgroup.models import MeetingPage

    pages = visible_pages(pages, request)
    if not can_read_confidential(request):
        pages = pages.exclude(pk__in=MeetingPage.objects.filter(is_public=False).values("pk"))
    return pages


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
    if handles_documents_in_admin(user_of(request)):
        return True
    return (
        page_is_visible(page, request)
        and _part_visible(page, model_path, request)
        and _document_open_to(document, request)
    )


def document_is_visible(document, request=None):
    """Whether the reader may fetch the document's file: approved content the reader sees refers
    to it. Uploading it, or moving it to another collection, makes nothing public."""
    if handles_documents_in_admin(user_of(request)):
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
    user = user_of(request_or_user)
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
