"""The publication policy, attacked from outside: the AG's outcomes reach the public only through
the Koordination's approval, and non-public content never reaches anyone who may not read it.

The module plants a unique marker ("LECK-<what>-<hex>") in every kind of non-public object, each
in exactly one non-public place: drafts, unpublished revisions and revisions in review; pages
behind a view restriction that menus, the register, result pages, agenda items and the members
page name; a non-public meeting, agenda item and consultation outcome; a withheld name and every
e-mail address; uploads that no approved content uses, in every collection; a live attachment
whose file and title an editor replaces afterwards; a document an editor moves out of a
restricted collection; a council body and a meeting place an editor creates but nobody
approved; images. Then it fetches every public output: every page reachable by same-site links,
the 404 page, the register with filters and its exports, the search for every marker, the
sitemap, every feed, the iCalendar files, the whole OParl API from /oparl/v1/system on, every
planted document and image address, and /media/ directly.

- Anonymously, no marker may appear anywhere (bodies, decoded, in escaped forms, and headers).
- As an AG member, the markers a member may read must appear somewhere (so that showing nothing
  cannot pass), and those nobody reads on the public site still must not.

The site is built once per module inside a transaction that is rolled back at the end; every
request runs in a savepoint of its own, so that an answer cannot change what the next one sees.
Documents are stored on disk as in production, so that the crawl reads their content.
"""

import datetime
import hashlib
import html
import json
import re
from collections import deque
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import parse_qsl, quote, quote_plus, unquote, urljoin, urlsplit

import pytest
import wagtail_factories
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction, Site

from tests import factories as f
from tests.moderation_support import submit
from workgroup.editorial.roles import EDITORS_GROUP, MEMBERS_GROUP, ensure_roles
from workgroup.models import Consultation, CouncilBody, Location, MeetingPage, Member, ResultPage

# The database must exist for the module's site; each test then runs in a savepoint of its own
# inside the module's transaction.
pytestmark = pytest.mark.django_db

# --- the markers ----------------------------------------------------------------------------------


def _tag(name):
    return hashlib.sha256(name.encode()).hexdigest()[:6]


def marker(name):
    return f"LECK-{name}-{_tag(name)}"


def file_marker(name):
    """A file name (without extension): lower-case, as file names are."""
    return f"leck-{name.lower()}-{_tag(name)}"


def email_marker(who):
    return f"leck-email-{who}-{_tag('EMAIL-' + who)}@example.org"


DRAFT_RESULT_TITLE = marker("ENTWURF-ERGEBNIS-TITEL")
DRAFT_RESULT_SUMMARY = marker("ENTWURF-ERGEBNIS-TEXT")
REVISION_TITLE = marker("NEUE-FASSUNG-TITEL")
REVISION_SUMMARY = marker("NEUE-FASSUNG-TEXT")
REVIEW_TITLE = marker("IN-FREIGABE-TITEL")
REVIEW_SUMMARY = marker("IN-FREIGABE-TEXT")
MENU_GROUP_PAGE = marker("MENUE-GRUPPE")
MENU_LOGIN_PAGE = marker("MENUE-ANMELDUNG")
MENU_PASSWORD_PAGE = marker("MENUE-PASSWORT")
RESTRICTED_TOPIC = marker("THEMA-GESCHUETZT")
RESTRICTED_MEETING = marker("SITZUNG-GESCHUETZT")
RESTRICTED_RESULT = marker("ERGEBNIS-GESCHUETZT")
GUEST_TOPIC = marker("GAST-THEMA-GESCHUETZT")
CLOSED_MEETING_ITEM = marker("NOE-SITZUNG-TOP")
CLOSED_MEETING_DECISION = marker("NOE-SITZUNG-BESCHLUSS")
CLOSED_MEETING_BODY = marker("NOE-SITZUNG-INFO")
NON_PUBLIC_ITEM_TITLE = marker("NOE-TOP-TITEL")
# Two markers carry characters that every output escapes its own way (HTML entities, JSON
# escapes, percent-encoding): the member pass must find them, which proves the escaped forms are
# looked for.
NON_PUBLIC_ITEM_DECISION = marker("NOE-TOP-BESCHLUSS") + " <Übergabe> & „Ablage“"
NON_PUBLIC_OUTCOME = marker("NOE-BERATUNG")
WITHHELD_NAME = marker("NAME-OHNE-EINWILLIGUNG") + " Jürgen „Jo“ O'Neill & Söhne"
EMAILS = {
    who: email_marker(who)
    for who in ("vorsitz", "vertreter", "stellvertreter", "vertreterin", "gast")
}
COLLECTIONS = ("ROOT", "OEFFENTLICH", "INTERN")
UPLOADS = {
    key: SimpleNamespace(
        title=marker(f"UPLOAD-{key}-TITEL"),
        file=file_marker(f"UPLOAD-{key}-DATEI"),
        content=marker(f"UPLOAD-{key}-INHALT"),
    )
    for key in COLLECTIONS
}
REPLACED_TITLE = marker("ERSETZT-TITEL")
REPLACED_FILE = file_marker("ERSETZT-DATEI")
REPLACED_CONTENT = marker("ERSETZT-INHALT")
MOVED_TITLE = marker("VERSCHOBEN-TITEL")
MOVED_FILE = file_marker("VERSCHOBEN-DATEI")
MOVED_CONTENT = marker("VERSCHOBEN-INHALT")
UNAPPROVED_BODY = marker("GREMIUM-OHNE-FREIGABE")
UNAPPROVED_LOCATION = marker("ORT-OHNE-FREIGABE")
IMAGE_INTERN_TITLE = marker("BILD-INTERN-TITEL")
IMAGE_INTERN_FILE = file_marker("BILD-INTERN-DATEI")
IMAGE_UNUSED_TITLE = marker("BILD-UNBENUTZT-TITEL")
IMAGE_UNUSED_FILE = file_marker("BILD-UNBENUTZT-DATEI")

# Public content: what the public must keep reading (the checks that nothing is shown at all).
PUBLIC_RESULT_TITLE = "Einführung der E-Akte in der Stadtverwaltung"
PUBLIC_MEETING_TITLE = "5. Sitzung der AG Digitalisierung"
PUBLIC_ITEM_TITLE = "Bericht zum Stand der E-Akte"
PUBLIC_OUTCOME = "Einstimmig empfohlen."
PUBLIC_TOPIC = "Digitale Verwaltung"
PUBLIC_MEMBER = "Dr. Anna Beispiel"
PUBLIC_BODY = "Verwaltungsausschuss"
PUBLIC_LOCATION_ROOM = "Ratssaal"
APPROVED_ATTACHMENT_TITLE = "Konzept zur Einführung der E-Akte"
APPROVED_ATTACHMENT_FILE = "konzept-e-akte"
APPROVED_ATTACHMENT_CONTENT = f"FREIGEGEBENE-ANLAGE-INHALT-{_tag('approved')}"
STABLE_ATTACHMENT_TITLE = "Zeitplan der E-Akte"
STABLE_ATTACHMENT_CONTENT = f"OEFFENTLICHER-ZEITPLAN-INHALT-{_tag('stable')}"
INVITATION_CONTENT = f"OEFFENTLICHE-EINLADUNG-INHALT-{_tag('invitation')}"
PASSWORD = "passwort-der-ag-1"

MEMBERS = "members"  # AG members may read it on the site, the public never
NOBODY = "nobody"  # nobody reads it on the public site, members included
NOT_PUBLIC = "not-public"  # the public never; what members see is not this module's concern


@dataclass(frozen=True)
class Kind:
    id: str
    what: str
    markers: tuple
    audience: str


KINDS = [
    Kind(
        "draft-result",
        "a result page that was never published",
        (DRAFT_RESULT_TITLE, DRAFT_RESULT_SUMMARY),
        NOBODY,
    ),
    Kind(
        "unpublished-revision",
        "an unpublished new revision of a live result (title and summary)",
        (REVISION_TITLE, REVISION_SUMMARY),
        NOBODY,
    ),
    Kind(
        "revision-in-review",
        "a revision submitted to the approval workflow and not approved",
        (REVIEW_TITLE, REVIEW_SUMMARY),
        NOBODY,
    ),
    Kind(
        "menu-page-group-restricted",
        "the title of a page in the menu restricted to AG-Mitglieder",
        (MENU_GROUP_PAGE,),
        MEMBERS,
    ),
    Kind(
        "menu-page-login-restricted",
        "the title of a page in the menu restricted to logged-in users",
        (MENU_LOGIN_PAGE,),
        MEMBERS,
    ),
    Kind(
        "menu-page-password-restricted",
        "the title of a password-protected page in the menu",
        (MENU_PASSWORD_PAGE,),
        NOBODY,
    ),
    Kind(
        "restricted-topic-on-public-result",
        "a restricted topic area tagged on a public live result",
        (RESTRICTED_TOPIC,),
        MEMBERS,
    ),
    Kind(
        "restricted-source-meeting",
        "a restricted meeting named in a public result's source meetings",
        (RESTRICTED_MEETING,),
        MEMBERS,
    ),
    Kind(
        "restricted-result-on-agenda-item",
        "a restricted result linked from a public agenda item of a public meeting",
        (RESTRICTED_RESULT,),
        MEMBERS,
    ),
    Kind(
        "restricted-guest-topic",
        "a restricted topic area set as a topic guest's topic",
        (GUEST_TOPIC,),
        MEMBERS,
    ),
    Kind(
        "non-public-meeting",
        "the agenda and further information of a non-public meeting",
        (CLOSED_MEETING_ITEM, CLOSED_MEETING_DECISION, CLOSED_MEETING_BODY),
        MEMBERS,
    ),
    Kind(
        "non-public-agenda-item",
        "a non-public agenda item of a public meeting (title and decision)",
        (NON_PUBLIC_ITEM_TITLE, NON_PUBLIC_ITEM_DECISION),
        MEMBERS,
    ),
    Kind(
        "non-public-consultation-outcome",
        "the outcome of a non-public consultation of a public result",
        (NON_PUBLIC_OUTCOME,),
        MEMBERS,
    ),
    Kind(
        "withheld-member-name",
        "the name of a member who did not consent to its publication",
        (WITHHELD_NAME,),
        MEMBERS,
    ),
    Kind("email-addresses", "the members' e-mail addresses", tuple(EMAILS.values()), NOBODY),
    *(
        Kind(
            f"unapproved-upload-{key.lower()}",
            f"an upload that no approved content uses, in collection {key}",
            (UPLOADS[key].title, UPLOADS[key].file, UPLOADS[key].content),
            NOBODY,
        )
        for key in COLLECTIONS
    ),
    Kind(
        "replaced-attachment",
        "the new file and title an editor put on an approved attachment",
        (REPLACED_TITLE, REPLACED_FILE, REPLACED_CONTENT),
        NOBODY,
    ),
    Kind(
        "moved-document",
        "a document an editor moved from a restricted into a public collection",
        (MOVED_TITLE, MOVED_FILE, MOVED_CONTENT),
        NOT_PUBLIC,
    ),
    Kind(
        "unapproved-council-body",
        "a council body an editor created and nobody approved",
        (UNAPPROVED_BODY,),
        NOBODY,
    ),
    Kind(
        "unapproved-location",
        "a meeting place an editor created and nobody approved",
        (UNAPPROVED_LOCATION,),
        NOBODY,
    ),
    Kind(
        "image-in-restricted-collection",
        "an image in a restricted collection (title and file name)",
        (IMAGE_INTERN_TITLE, IMAGE_INTERN_FILE),
        NOBODY,
    ),
    Kind(
        "image-used-nowhere",
        "an image uploaded and used nowhere (title and file name)",
        (IMAGE_UNUSED_TITLE, IMAGE_UNUSED_FILE),
        NOBODY,
    ),
]
ALL_MARKERS = [m for kind in KINDS for m in kind.markers]
assert len(set(ALL_MARKERS)) == len(ALL_MARKERS), "every marker is unique"
assert not any(a != b and a.lower() in b.lower() for a in ALL_MARKERS for b in ALL_MARKERS)


def kind_params(*audiences):
    return [pytest.param(kind, id=kind.id) for kind in KINDS if kind.audience in audiences]


# --- fetching and looking -------------------------------------------------------------------------

SAME_SITE_HOSTS = {"", "testserver", "localhost"}
API = "/oparl/v1/"
NOT_CRAWLED = ("/admin/", "/static/")
LINK_PATTERNS = [
    re.compile(r"""(?:href|src|action)\s*=\s*["']([^"']+)["']""", re.IGNORECASE),
    re.compile(r"<loc>\s*([^<\s]+)\s*</loc>"),  # sitemap.xml
    re.compile(r"^URL(?:;[^:]*)?:(\S+)", re.MULTILINE),  # iCalendar
    re.compile(r"^Sitemap:\s*(\S+)", re.MULTILINE),  # robots.txt
    re.compile(r'"(?:url|accessUrl|downloadUrl|web|next|first|last)":\s*"([^"]+)"'),  # JSON
    re.compile(r"(https?://(?:testserver|localhost)(?::\d+)?/[^\s;\"'<>\\]*)"),  # anything else
]
TAG = re.compile(r"<[^>]*>")
TAIL = re.compile(r"-([0-9a-f]{6})(?![0-9a-f])")
IMAGE_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF")


def forms(needle):
    """The needle as a response may carry it: plain, HTML-, JSON- or URL-escaped."""
    return {
        needle.lower(),
        html.escape(needle).lower(),
        json.dumps(needle)[1:-1].lower(),
        json.dumps(needle, ensure_ascii=False)[1:-1].lower(),
        quote(needle).lower(),
        quote_plus(needle).lower(),
    }


def echoed(url):
    """What the request itself carried and contains a marker (a search term, a `next` address,
    the file name in a download address): an answer that repeats it leaks nothing. Only whole
    strings that contain a marker are taken out, so a short search term hides nothing."""
    parts = urlsplit(url)
    candidates = {url, parts.path, unquote(parts.path), unquote(url)}
    candidates |= {value for _key, value in parse_qsl(parts.query)}
    relevant = {c for c in candidates if any(m.lower() in c.lower() for m in ALL_MARKERS)}
    found = set()
    for candidate in relevant:
        found |= {candidate, quote(candidate), quote(candidate, safe=""), quote_plus(candidate)}
        found |= {html.escape(candidate), html.escape(quote(candidate))}
    return sorted(found, key=len, reverse=True)


@dataclass
class Fetched:
    status: int
    content_type: str
    location: str
    head: bytes
    original: str  # headers and body, decoded, without the request's own echo
    text: str  # the same in lower case
    plain: str  # the same without markup and entities
    via_link: bool = False

    def has(self, needle):
        return any(form in self.text or form in self.plain for form in forms(needle))

    def excerpt(self, needle):
        for haystack in (self.text, self.plain):
            for form in forms(needle):
                at = haystack.find(form)
                if at != -1:
                    return haystack[max(at - 80, 0) : at + len(form) + 40].replace("\n", " ")
        return ""


def read(response, url):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    text = body.decode("utf-8", errors="replace")
    if "calendar" in content_type:
        # Unfold iCalendar lines, so that a marker folded across two lines is still found.
        text = text.replace("\r\n ", "").replace("\r\n\t", "")
    headers = "\n".join(f"{key}: {value}" for key, value in response.items())
    raw = f"{headers}\n{text}"
    for echo in echoed(url):
        raw = re.sub(re.escape(echo), " ", raw, flags=re.IGNORECASE)
    return Fetched(
        status=response.status_code,
        content_type=content_type,
        location=response.get("Location", ""),
        head=body[:8],
        original=raw,
        text=raw.lower(),
        plain=html.unescape(TAG.sub("", raw)).lower(),
    )


def same_site(url, base):
    """The path and query of a same-site address, or None."""
    absolute = urljoin(base, html.unescape(url).strip())
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or parts.hostname not in SAME_SITE_HOSTS:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if path.startswith(NOT_CRAWLED) or "logout" in path:
        return None
    return path


class Pass:
    """Everything one visitor fetches: {url: Fetched}."""

    def __init__(self, who, client):
        self.who = who
        self.client = client
        self.client.raise_request_exception = False
        self.fetched = {}

    def get(self, url):
        # A savepoint per request: whatever an answer writes (or a failed query on PostgreSQL)
        # is undone before the next request.
        savepoint = transaction.savepoint()
        try:
            response = self.client.get(url)
            # Reading a streamed answer to its end closes it, as a WSGI server would; closing it
            # again here would fire request_finished, which closes the database connection.
            fetched = read(response, url)
        finally:
            transaction.savepoint_rollback(savepoint)
        self.fetched[url] = fetched
        return fetched

    def crawl(self, seeds, limit=5000):
        seeds = list(dict.fromkeys(seeds))
        queue = deque(seeds)
        linked = set()
        while queue and len(self.fetched) < limit:
            url = queue.popleft()
            if url in self.fetched:
                continue
            fetched = self.get(url)
            base = "http://testserver" + url
            found = []
            for pattern in LINK_PATTERNS:
                found += [same_site(raw, base) for raw in pattern.findall(fetched.original)]
            if fetched.location:
                found.append(same_site(fetched.location, base))
            for link in filter(None, found):
                linked.add(link)
                if link not in self.fetched:
                    queue.append(link)
        assert not queue, f"the crawl stopped at {limit} addresses"
        for url in linked & set(self.fetched):
            self.fetched[url].via_link = True

    def where(self, needle):
        return [url for url, fetched in self.fetched.items() if fetched.has(needle)]

    def report(self, needles):
        """{needle: "url: …excerpt…"} for every needle found, for failure messages."""
        found = {}
        for needle in needles:
            urls = self.where(needle)
            if urls:
                shown = [f"{url} [{self.fetched[url].status}]" for url in urls[:8]]
                more = f" and {len(urls) - 8} more" if len(urls) > 8 else ""
                first = self.fetched[urls[0]].excerpt(needle)
                found[needle] = f"{', '.join(shown)}{more}; e.g. …{first}…"
        return found


# --- the site ------------------------------------------------------------------------------------


def site_home():
    """The AG's home page as the default site's root (as the `site_root` fixture does)."""
    root = Page.get_first_root_node()
    home = f.HomePageFactory(parent=root, slug="ag-digitalisierung")
    site = Site.objects.get(is_default_site=True)
    old_root = site.root_page
    site.root_page = home
    site.save()
    if old_root.pk != home.pk and old_root.depth > 1:
        old_root.delete()
    return home


def restrict(page, restriction_type, group=None, password=""):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=restriction_type, password=password
    )
    if group is not None:
        restriction.groups.add(group)
    return restriction


def upload(title, filename, content, collection, user):
    """A document as the admin's upload leaves it: with size and hash, and its uploader."""
    document = f.DocumentFactory(
        title=title,
        collection=collection,
        uploaded_by_user=user,
        file=ContentFile(content.encode(), name=filename),
    )
    document.get_file_size()
    document.get_file_hash()
    return document


def image(title, filename, collection, user):
    picture = wagtail_factories.ImageFactory(
        title=title,
        collection=collection,
        uploaded_by_user=user,
        file__filename=filename,
        file__width=64,
        file__height=48,
        file__format="PNG",
    )
    return picture, picture.get_rendition("fill-32x32")


def at(year, month, day, hour=16):
    return datetime.datetime(year, month, day, hour, tzinfo=datetime.UTC)


def approve_everything_live(author):
    """Publish every live page through a revision, as the approval does: the live version is
    then an approved revision, not only a row."""
    for page in Page.objects.filter(live=True, depth__gt=1).order_by("path").specific():
        page.save_revision(user=author).publish(user=author, skip_permission_checks=True)


def plant(home):
    """The site: public content around every kind of non-public object, each with its marker.
    Returns what the passes and tests refer to."""
    ensure_roles()
    members_group = Group.objects.get(name=MEMBERS_GROUP)
    editor = f.UserFactory(username="redaktion-leck", groups=[EDITORS_GROUP])
    author = f.UserFactory(username="autorin-leck", groups=[EDITORS_GROUP])
    member_user = f.UserFactory(username="ag-mitglied-leck", groups=[MEMBERS_GROUP])

    root_collection = Collection.get_first_root_node()
    public_collection = root_collection.add_child(name="Öffentliche Unterlagen")
    intern = root_collection.add_child(name="AG intern")
    collection_restriction = CollectionViewRestriction.objects.create(
        collection=intern, restriction_type=CollectionViewRestriction.GROUPS
    )
    collection_restriction.groups.add(members_group)
    collections = {"ROOT": root_collection, "OEFFENTLICH": public_collection, "INTERN": intern}

    # Topic areas: a public one, a restricted one tagged on a public result, a restricted one
    # that a topic guest stands for.
    topics = f.TopicAreaIndexPageFactory(parent=home, show_in_menus=True)
    topic_public = f.TopicAreaPageFactory(
        parent=topics, title=PUBLIC_TOPIC, slug="digitale-verwaltung"
    )
    topic_restricted = f.TopicAreaPageFactory(
        parent=topics, title=RESTRICTED_TOPIC, slug="arbeitsstand"
    )
    restrict(topic_restricted, PageViewRestriction.GROUPS, members_group)
    topic_guest = f.TopicAreaPageFactory(parent=topics, title=GUEST_TOPIC, slug="schulnetz")
    restrict(topic_guest, PageViewRestriction.GROUPS, members_group)

    # The composition: every e-mail address a marker, one name withheld.
    faction = f.FactionFactory(name="Fraktion Bürger für Plauen", short_name="BfP")
    other_faction = f.FactionFactory(name="Fraktion Zukunft Vogtland", short_name="ZV")
    chair = f.MemberFactory(
        name=PUBLIC_MEMBER,
        role=Member.Role.CHAIR,
        function_title="Koordinatorin Digitalisierung",
        email=EMAILS["vorsitz"],
    )
    representative = f.MemberFactory(
        name="Bernd Muster",
        role=Member.Role.REPRESENTATIVE,
        faction=faction,
        email=EMAILS["vertreter"],
    )
    withheld = f.MemberFactory(
        name=WITHHELD_NAME,
        role=Member.Role.DEPUTY,
        faction=faction,
        principal=representative,
        name_is_public=False,
        email=EMAILS["stellvertreter"],
    )
    f.MemberFactory(
        name="Clara Vorbild",
        role=Member.Role.REPRESENTATIVE,
        faction=other_faction,
        email=EMAILS["vertreterin"],
    )
    f.MemberFactory(
        name="Kreisschülerrat",
        role=Member.Role.GUEST,
        guest_topic=topic_guest,
        is_expert_citizen=False,
        email=EMAILS["gast"],
    )

    f.CouncilBodyFactory(
        name="Arbeitsgruppe Digitalisierung", short_name="AG DIG", is_workgroup=True
    )
    body_admin = f.CouncilBodyFactory(name=PUBLIC_BODY, short_name="VA")
    body_council = f.CouncilBodyFactory(name="Stadtrat", short_name="SR")
    location = f.LocationFactory(description="Rathaus Plauen", room=PUBLIC_LOCATION_ROOM)

    # Meetings: a public one with a non-public item, a non-public one, a restricted one.
    meetings = f.MeetingIndexPageFactory(parent=home, show_in_menus=True)
    invitation = upload(
        "Einladung zur 5. Sitzung",
        "einladung-5-sitzung.pdf",
        f"%PDF-1.4 {INVITATION_CONTENT}",
        public_collection,
        author,
    )
    held = f.MeetingPageFactory(
        parent=meetings,
        title=PUBLIC_MEETING_TITLE,
        slug="5-sitzung",
        number=5,
        start=at(2024, 3, 12),
        end=at(2024, 3, 12, 18),
        location=location,
        status=MeetingPage.Status.HELD,
        is_public=True,
        invitation=invitation,
    )
    linking_item = f.AgendaItemFactory(
        meeting=held,
        number="TOP 1",
        title=PUBLIC_ITEM_TITLE,
        is_public=True,
        topic_area=topic_public,
        decision="Die AG nimmt den Bericht zur Kenntnis.",
    )
    hidden_item = f.AgendaItemFactory(
        meeting=held,
        number="TOP 2",
        title=NON_PUBLIC_ITEM_TITLE,
        is_public=False,
        topic_area=topic_public,
        decision=NON_PUBLIC_ITEM_DECISION,
    )
    f.AttendanceFactory(meeting=held, member=chair)
    f.AttendanceFactory(meeting=held, member=withheld)

    closed = f.MeetingPageFactory(
        parent=meetings,
        title="6. Sitzung der AG Digitalisierung",
        slug="6-sitzung",
        number=6,
        start=at(2024, 6, 4),
        end=at(2024, 6, 4, 18),
        location=location,
        status=MeetingPage.Status.HELD,
        is_public=False,
        body=[("paragraph", f"<p>{CLOSED_MEETING_BODY}</p>")],
    )
    closed_item = f.AgendaItemFactory(
        meeting=closed,
        number="TOP 1",
        title=CLOSED_MEETING_ITEM,
        is_public=True,
        decision=CLOSED_MEETING_DECISION,
    )
    f.AttendanceFactory(meeting=closed, member=representative)

    restricted_meeting = f.MeetingPageFactory(
        parent=meetings,
        title=RESTRICTED_MEETING,
        slug="klausurtagung",
        number=4,
        start=at(2024, 2, 20),
        end=at(2024, 2, 20, 18),
        location=location,
        status=MeetingPage.Status.HELD,
        is_public=True,
    )
    restrict(restricted_meeting, PageViewRestriction.GROUPS, members_group)

    upcoming = f.MeetingPageFactory(
        parent=meetings,
        title="7. Sitzung der AG Digitalisierung",
        slug="7-sitzung",
        number=7,
        start=timezone.now() + datetime.timedelta(days=10),
        location=location,
        is_public=True,
    )
    f.AgendaItemFactory(meeting=upcoming, number="TOP 1", title="Breitbandausbau", is_public=True)

    # Results: the public one names the restricted topic and meeting; a public agenda item
    # links the restricted result; two more live results get a draft and a review on top.
    results = f.ResultIndexPageFactory(parent=home, show_in_menus=True)
    restricted_result = f.ResultPageFactory(
        parent=results,
        title=RESTRICTED_RESULT,
        slug="zwischenstand",
        reference="AG-DIG/2024/050",
        result_date=datetime.date(2024, 4, 1),
        summary="Ein Zwischenstand für die Arbeitsgruppe.",
    )
    restrict(restricted_result, PageViewRestriction.GROUPS, members_group)
    linking_item.result = restricted_result
    linking_item.save()

    result = f.ResultPageFactory(
        parent=results,
        title=PUBLIC_RESULT_TITLE,
        slug="e-akte",
        reference="AG-DIG/2024/001",
        kind=ResultPage.Kind.RECOMMENDATION,
        progress=ResultPage.Progress.DECIDED,
        result_date=datetime.date(2024, 3, 12),
        summary="Die AG empfiehlt, die E-Akte schrittweise in allen Fachbereichen einzuführen.",
    )
    result.topic_areas.set([topic_public, topic_restricted])
    result.source_meetings.set([held, restricted_meeting])
    result.save()
    f.ConsultationFactory(
        result=result,
        body=body_admin,
        date=datetime.date(2024, 4, 10),
        is_public=True,
        role=Consultation.Role.PRELIMINARY,
        outcome=PUBLIC_OUTCOME,
    )
    hidden_consultation = f.ConsultationFactory(
        result=result,
        body=body_council,
        date=datetime.date(2024, 5, 2),
        is_public=False,
        role=Consultation.Role.DECISION,
        outcome=NON_PUBLIC_OUTCOME,
    )
    # The editor uploaded the attachment that the Koordination approved with the result.
    attachment = upload(
        APPROVED_ATTACHMENT_TITLE,
        f"{APPROVED_ATTACHMENT_FILE}.pdf",
        f"%PDF-1.4 {APPROVED_ATTACHMENT_CONTENT}",
        public_collection,
        editor,
    )
    f.ResultAttachmentFactory(result=result, document=attachment, title="")
    stable = upload(
        STABLE_ATTACHMENT_TITLE,
        "zeitplan-e-akte.pdf",
        f"%PDF-1.4 {STABLE_ATTACHMENT_CONTENT}",
        public_collection,
        author,
    )
    f.ResultAttachmentFactory(result=result, document=stable, title="")

    revised = f.ResultPageFactory(
        parent=results,
        title="Digitale Bürgerdienste im Rathaus",
        slug="buergerdienste",
        reference="AG-DIG/2024/002",
        result_date=datetime.date(2024, 2, 1),
        summary="Termine und Formulare online.",
    )
    reviewed = f.ResultPageFactory(
        parent=results,
        title="WLAN für alle Grundschulen",
        slug="wlan-grundschulen",
        reference="AG-DIG/2023/004",
        kind=ResultPage.Kind.CONCEPT,
        progress=ResultPage.Progress.IN_IMPLEMENTATION,
        result_date=datetime.date(2023, 11, 20),
        summary="Konzept für flächendeckendes WLAN in den Plauener Grundschulen.",
    )
    reviewed.topic_areas.set([topic_public])
    reviewed.save()

    reports = f.ReportIndexPageFactory(parent=home, show_in_menus=True)
    f.ReportPageFactory(parent=reports, period_year=2024, period_half=1)
    f.MembersPageFactory(parent=home, show_in_menus=True, intro="Die Zusammensetzung der AG.")
    f.StandardPageFactory(parent=home, title="Impressum", slug="impressum", intro="Angaben.")
    f.StandardPageFactory(
        parent=home, title="Erklärung zur Barrierefreiheit", slug="barrierefreiheit"
    )

    # Restricted pages in the menu: for AG-Mitglieder, for anyone logged in, by password.
    menu_group = f.StandardPageFactory(
        parent=home, title=MENU_GROUP_PAGE, slug="intern", show_in_menus=True
    )
    restrict(menu_group, PageViewRestriction.GROUPS, members_group)
    menu_login = f.StandardPageFactory(
        parent=home, title=MENU_LOGIN_PAGE, slug="nur-angemeldet", show_in_menus=True
    )
    restrict(menu_login, PageViewRestriction.LOGIN)
    menu_password = f.StandardPageFactory(
        parent=home, title=MENU_PASSWORD_PAGE, slug="mit-passwort", show_in_menus=True
    )
    restrict(menu_password, PageViewRestriction.PASSWORD, password=PASSWORD)

    approve_everything_live(author)

    # What waits: a draft on top of a live result, a revision in review, a page never published.
    draft = ResultPage.objects.get(pk=revised.pk)
    draft.title = REVISION_TITLE
    draft.summary = REVISION_SUMMARY
    draft.save_revision(user=author)
    in_review = ResultPage.objects.get(pk=reviewed.pk)
    in_review.title = REVIEW_TITLE
    in_review.summary = REVIEW_SUMMARY
    in_review.save_revision(user=author)
    submit(in_review, author)
    never = f.ResultPageFactory(
        parent=results,
        title=DRAFT_RESULT_TITLE,
        slug="in-arbeit",
        reference="AG-DIG/2024/099",
        summary=DRAFT_RESULT_SUMMARY,
        live=False,
    )
    never.save_revision(user=author)

    # Uploads nothing approved uses, one in every collection; a document to move; images.
    uploads = {
        key: upload(
            UPLOADS[key].title,
            f"{UPLOADS[key].file}.txt",
            f"{UPLOADS[key].content}\n",
            collections[key],
            editor,
        )
        for key in COLLECTIONS
    }
    to_move = upload(MOVED_TITLE, f"{MOVED_FILE}.txt", f"{MOVED_CONTENT}\n", intern, editor)
    images = {
        "intern": image(IMAGE_INTERN_TITLE, f"{IMAGE_INTERN_FILE}.png", intern, editor),
        "unused": image(IMAGE_UNUSED_TITLE, f"{IMAGE_UNUSED_FILE}.png", root_collection, editor),
    }

    return SimpleNamespace(
        home=home,
        editor=editor,
        member_user=member_user,
        collections=collections,
        topics=[topic_public, topic_restricted, topic_guest],
        topic_public=topic_public,
        meetings=meetings,
        meeting_pages=[held, closed, restricted_meeting, upcoming],
        held=held,
        closed=closed,
        restricted_meeting=restricted_meeting,
        results=results,
        result=result,
        result_pages=[result, restricted_result, revised, reviewed, never],
        hidden_item=hidden_item,
        closed_item=closed_item,
        hidden_consultation=hidden_consultation,
        withheld=withheld,
        attachment=attachment,
        stable=stable,
        invitation=invitation,
        uploads=uploads,
        to_move=to_move,
        images=images,
        restricted_pages=[
            topic_restricted,
            topic_guest,
            restricted_meeting,
            restricted_result,
            menu_group,
            menu_login,
            menu_password,
        ],
    )


# --- what the editor does in the admin afterwards ----------------------------------------------


@dataclass
class AdminAttempt:
    status: int | None
    error: str = ""
    messages: list = field(default_factory=list)


def admin_post(client, url, data):
    """Post the admin's real form; a failure of the view is recorded, not raised, and undone."""
    try:
        with transaction.atomic():
            response = client.post(url, data)
    except Exception as error:  # noqa: BLE001 - the outcome is what the tests look at
        return AdminAttempt(status=None, error=repr(error))
    errors = []
    context = getattr(response, "context", None)
    form = context.get("form") if context else None
    if form is not None and form.errors:
        errors = [str(message) for messages in form.errors.values() for message in messages]
    return AdminAttempt(status=response.status_code, messages=errors)


def document_state(document):
    document = get_document_model().objects.get(pk=document.pk)
    with document.file.open("rb") as stored:
        content = stored.read().decode("utf-8", errors="replace")
    return (document.title, document.file.name, document.collection_id, content)


def act_as_editor(site):
    """The editor, through the admin: replaces the file and title of the approved attachment,
    moves a document out of the restricted collection, creates a council body and a meeting
    place (saved as drafts where drafts exist)."""
    client = Client()
    client.force_login(site.editor)
    attempts = {}

    site.replaced_before = document_state(site.attachment)
    attempts["replace-attachment"] = admin_post(
        client,
        reverse("wagtaildocs:edit", args=[site.attachment.pk]),
        {
            "title": REPLACED_TITLE,
            "file": SimpleUploadedFile(
                f"{REPLACED_FILE}.pdf",
                f"%PDF-1.4 {REPLACED_CONTENT}".encode(),
                content_type="application/pdf",
            ),
            "collection": site.attachment.collection_id,
            "tags": "",
        },
    )
    site.replaced_after = document_state(site.attachment)

    attempts["move-document"] = admin_post(
        client,
        reverse("wagtaildocs:edit", args=[site.to_move.pk]),
        {
            "title": MOVED_TITLE,
            "collection": site.collections["OEFFENTLICH"].pk,
            "tags": "",
        },
    )
    site.moved_after = document_state(site.to_move)

    attempts["create-council-body"] = admin_post(
        client,
        reverse("wagtailsnippets_workgroup_councilbody:add"),
        {"name": UNAPPROVED_BODY, "short_name": "NG", "sessions_public_by_default": "on"},
    )
    attempts["create-location"] = admin_post(
        client,
        reverse("wagtailsnippets_workgroup_location:add"),
        {
            "description": UNAPPROVED_LOCATION,
            "room": "Raum 1",
            "street_address": "Topfmarkt 1",
            "postal_code": "08523",
            "locality": "Plauen",
        },
    )
    site.new_body = CouncilBody.objects.filter(name=UNAPPROVED_BODY).first()
    site.new_location = Location.objects.filter(description=UNAPPROVED_LOCATION).first()
    return attempts


# --- the addresses ------------------------------------------------------------------------------

OPARL_LISTS = [
    "bodies",
    "body/1",
    "body/1/organization",
    "body/1/person",
    "body/1/meeting",
    "body/1/paper",
    "body/1/agenda-item",
    "body/1/consultation",
    "body/1/file",
    "body/1/location",
    "body/1/legislative-term",
    "body/1/membership",
]
MISSING_PAGE = "/gibt-es-nicht-7c1d/"


def search_urls():
    urls = ["/suche/?q=E-Akte", "/suche/?q=Sitzung"]
    for needle in ALL_MARKERS:
        urls.append(f"/suche/?q={quote_plus(needle)}")
        # The tail alone: the answer does not repeat the marker, so a hit shows it unmarked.
        urls.append(f"/suche/?q={TAIL.search(needle).group(1)}")
    return urls


def register_urls(site):
    base = site.results.url
    queries = ["", "?kind=recommendation", "?progress=decided", "?year=2024", "?year=2023"]
    queries += [f"?topic={topic.pk}" for topic in site.topics]
    queries += [f"?topic={site.topic_public.pk}&year=2024", "?page=2"]
    urls = []
    for query in queries:
        urls += [base + query, f"{base}export/csv/{query}", f"{base}export/json/{query}"]
    return urls


def document_urls(site):
    documents = [site.attachment, site.stable, site.invitation, site.to_move]
    documents += list(site.uploads.values())
    urls = []
    for document in get_document_model().objects.filter(pk__in=[d.pk for d in documents]):
        urls += [document.url, f"/media/{document.file.name}"]
        urls += [f"{API}file/{document.pk}", f"{API}file/{document.pk}/download"]
    # The addresses before the editor's change, as the public page and OParl gave them out.
    urls.append(f"/dokumente/{site.attachment.pk}/{site.replaced_before[1].split('/')[-1]}")
    urls.append(f"/media/{site.replaced_before[1]}")
    return urls


def image_urls(site):
    urls = {}
    for name, (picture, rendition) in site.images.items():
        urls[f"{name}-original"] = picture.file.url
        urls[f"{name}-rendition"] = rendition.url
    return urls


def guessed_api_objects(site):
    """OParl objects by id, as anyone can enumerate them."""
    urls = [f"{API}meeting/{page.pk}" for page in site.meeting_pages]
    urls += [f"{API}paper/{page.pk}" for page in site.result_pages]
    urls += [f"{API}agenda-item/{item.pk}" for item in (site.hidden_item, site.closed_item)]
    urls += [f"{API}consultation/{site.hidden_consultation.pk}"]
    urls += [
        f"{API}{path}/{site.withheld.pk}"
        for path in ("person", "membership/workgroup", "membership/faction")
    ]
    if site.new_body is not None:
        urls.append(f"{API}organization/council-body/{site.new_body.pk}")
    if site.new_location is not None:
        urls.append(f"{API}location/{site.new_location.pk}")
    return urls


def seeds(site):
    pages = Page.objects.filter(depth__gt=1).specific().order_by("path")
    urls = ["/", MISSING_PAGE, "/sitemap.xml", "/robots.txt", reverse("feed_results")]
    urls += [page.url for page in pages]
    urls += [meeting.url + "kalender/" for meeting in site.meeting_pages]
    urls.append(site.meetings.url + "kalender/")
    urls += [reverse("feed_topic_results", args=[topic.pk]) for topic in site.topics]
    urls += register_urls(site)
    urls += search_urls()
    urls += [API + "system"] + [API + path for path in OPARL_LISTS]
    urls += guessed_api_objects(site)
    urls += document_urls(site)
    urls += list(image_urls(site).values())
    urls += [f"{API}gibt-es-nicht", "/dokumente/999999/nichts.pdf"]
    return urls


# --- the module's one site and its passes ---------------------------------------------------------


def observe(site):
    """The editor's changes, then the three visitors: anonymous, an AG member, an editor."""
    attempts = act_as_editor(site)
    caches["default"].clear()
    urls = seeds(site)

    anonymous = Pass("anonymous", Client())
    anonymous.crawl(urls)
    member_client = Client()
    member_client.force_login(site.member_user)
    member = Pass("AG member", member_client)
    member.crawl(urls)
    # The editor only fetches files: images are theirs to see, documents only via /dokumente/.
    editor_client = Client()
    editor_client.force_login(site.editor)
    editor = Pass("editor", editor_client)
    media_urls = [url for url in urls if url.startswith(settings.MEDIA_URL)]
    for url in media_urls:
        editor.get(url)

    return SimpleNamespace(
        site=site,
        attempts=attempts,
        seeds=urls,
        anonymous=anonymous,
        member=member,
        editor=editor,
        images=image_urls(site),
        # Refusing a file that is not there proves nothing: the files are in the storage.
        stored={
            url: default_storage.exists(unquote(url).removeprefix(settings.MEDIA_URL))
            for url in media_urls
        },
        public_pages=[
            page.url for page in Page.objects.live().public().filter(depth__gt=1).specific()
        ],
        document_files=[url for url in media_urls if url.startswith("/media/documents/")],
    )


@pytest.fixture(scope="module")
def policy(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("publication-policy-media")
    storages = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media)},
        },
    }
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media), STORAGES=storages),
        transaction.atomic(),
    ):
        try:
            caches["default"].clear()
            yield observe(plant(site_home()))
        finally:
            # Nothing of this module's site outlives it.
            transaction.set_rollback(True)
    caches["default"].clear()


# --- the public sees no marker --------------------------------------------------------------------


@pytest.mark.parametrize("kind", kind_params(MEMBERS, NOBODY, NOT_PUBLIC))
def test_anonymous_visitors_find_no_marker(policy, kind):
    leaks = policy.anonymous.report(kind.markers)
    assert leaks == {}, f"{kind.what} reached the public: {leaks}"


# --- members read what members may read, and nothing else ----------------------------------------


@pytest.mark.parametrize("kind", kind_params(MEMBERS))
def test_ag_members_read_what_members_may_read(policy, kind):
    missing = [needle for needle in kind.markers if not policy.member.where(needle)]
    assert missing == [], f"an AG member should read {kind.what}, but nothing showed {missing}"


@pytest.mark.parametrize("kind", kind_params(NOBODY))
def test_ag_members_find_no_marker_that_nobody_may_read(policy, kind):
    leaks = policy.member.report(kind.markers)
    assert leaks == {}, f"{kind.what} reached an AG member on the public site: {leaks}"


# --- the passes really covered the public outputs ------------------------------------------------


def _fetched(pass_, url):
    assert url in pass_.fetched, f"{url} was not fetched"
    return pass_.fetched[url]


def _ok(pass_, urls, *needles):
    """The problems with urls: not 200, or without the needles."""
    problems = []
    for url in urls:
        fetched = _fetched(pass_, url)
        if fetched.status != 200:
            problems.append(f"{url} answered {fetched.status}")
        problems += [f"{url} lacks {n!r}" for n in needles if not fetched.has(n)]
    return problems


def check_pages(policy):
    problems = []
    for url in policy.public_pages:
        fetched = _fetched(policy.anonymous, url)
        if fetched.status != 200 or not fetched.via_link:
            problems.append(
                f"{url}: status {fetched.status}, reached by a link: {fetched.via_link}"
            )
    return problems


def check_missing_page(policy):
    fetched = _fetched(policy.anonymous, MISSING_PAGE)
    ok = fetched.status == 404 and fetched.has("Seite nicht gefunden")
    return [] if ok else [f"the 404 page answered {fetched.status}"]


def check_register(policy):
    site = policy.site
    problems = _ok(policy.anonymous, [site.results.url], PUBLIC_RESULT_TITLE)
    problems += _ok(policy.anonymous, [u for u in register_urls(site) if "/export/" not in u])
    return problems


def check_exports(policy):
    base = policy.site.results.url
    problems = _ok(
        policy.anonymous,
        [f"{base}export/csv/", f"{base}export/json/"],
        PUBLIC_RESULT_TITLE,
        PUBLIC_TOPIC,
    )
    return problems + _ok(
        policy.anonymous, [u for u in register_urls(policy.site) if "/export/" in u]
    )


def check_search(policy):
    problems = _ok(policy.anonymous, ["/suche/?q=E-Akte"], PUBLIC_RESULT_TITLE)
    return problems + _ok(policy.anonymous, search_urls())


def check_sitemap(policy):
    return _ok(policy.anonymous, ["/sitemap.xml"], "<loc>", policy.site.result.url)


def check_feeds(policy):
    site = policy.site
    problems = _ok(policy.anonymous, [reverse("feed_results")], PUBLIC_RESULT_TITLE)
    topic_feed = reverse("feed_topic_results", args=[site.topic_public.pk])
    return problems + _ok(policy.anonymous, [topic_feed], "<feed")


def check_ical(policy):
    site = policy.site
    urls = [site.meetings.url + "kalender/", site.held.url + "kalender/"]
    return _ok(policy.anonymous, urls, "BEGIN:VCALENDAR", PUBLIC_MEETING_TITLE, PUBLIC_ITEM_TITLE)


def check_oparl_lists(policy):
    problems = _ok(policy.anonymous, [API + "system"] + [API + p for p in OPARL_LISTS])
    filled = {
        "body/1/organization": PUBLIC_BODY,
        "body/1/person": PUBLIC_MEMBER,
        "body/1/meeting": PUBLIC_MEETING_TITLE,
        "body/1/paper": PUBLIC_RESULT_TITLE,
        "body/1/agenda-item": PUBLIC_ITEM_TITLE,
        "body/1/consultation": "/oparl/v1/consultation/",
        "body/1/file": STABLE_ATTACHMENT_TITLE,
        "body/1/location": PUBLIC_LOCATION_ROOM,
        "body/1/membership": "/oparl/v1/membership/",
    }
    for path, needle in filled.items():
        problems += _ok(policy.anonymous, [API + path], needle)
    return problems


def check_oparl_objects(policy):
    """The walk reached every object type by following the API's own links."""
    problems = []
    for kind in (
        "organization/council-body/",
        "organization/faction/",
        "person/",
        "membership/",
        "meeting/",
        "agenda-item/",
        "paper/",
        "consultation/",
        "file/",
        "location/",
    ):
        reached = [
            url
            for url, fetched in policy.anonymous.fetched.items()
            if url.startswith(API + kind) and fetched.via_link and fetched.status == 200
        ]
        if not reached:
            problems.append(f"no {kind} object was reached by following the API's links")
    return problems


def check_documents(policy):
    site = policy.site
    problems = _ok(policy.anonymous, [site.stable.url], STABLE_ATTACHMENT_CONTENT)
    problems += _ok(policy.anonymous, [site.invitation.url], INVITATION_CONTENT)
    problems += _ok(policy.anonymous, [f"{API}file/{site.stable.pk}/download"])
    return problems


OUTPUT_CHECKS = {
    "pages-by-links": check_pages,
    "404-page": check_missing_page,
    "register-with-filters": check_register,
    "register-exports": check_exports,
    "search": check_search,
    "sitemap": check_sitemap,
    "feeds": check_feeds,
    "ical": check_ical,
    "oparl-lists": check_oparl_lists,
    "oparl-objects": check_oparl_objects,
    "public-documents": check_documents,
}


@pytest.mark.parametrize("output", list(OUTPUT_CHECKS))
def test_the_anonymous_pass_read_every_public_output(policy, output):
    """Each output answered and showed its public content: a site that showed nothing, or a
    crawl that reached nothing, would pass the marker tests for the wrong reason."""
    problems = OUTPUT_CHECKS[output](policy)
    assert problems == [], f"{output}: {problems}"


def test_public_content_stays_public_where_markers_sit_beside_it(policy):
    """The pages that carry the non-public parts still show their public parts."""
    site = policy.site
    problems = _ok(
        policy.anonymous, [site.result.url], PUBLIC_RESULT_TITLE, PUBLIC_OUTCOME, PUBLIC_TOPIC
    )
    problems += _ok(
        policy.anonymous, [site.held.url], PUBLIC_ITEM_TITLE, "Name nicht veröffentlicht"
    )
    problems += _ok(policy.anonymous, ["/mitglieder/"], PUBLIC_MEMBER, "Kreisschülerrat")
    assert problems == [], f"public content went missing: {problems}"


# --- uploads nothing approved uses ----------------------------------------------------------------


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_an_unapproved_upload_is_not_downloadable_anonymously(policy, collection):
    document = policy.site.uploads[collection]
    fetched = _fetched(policy.anonymous, document.url)
    assert fetched.status != 200, f"{document.url} served the upload in {collection} to anyone"
    assert not fetched.has(UPLOADS[collection].content), f"{document.url} served its content"
    elsewhere = policy.anonymous.where(UPLOADS[collection].content)
    assert elsewhere == [], f"the upload's content was served at {elsewhere}"


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_an_unapproved_upload_is_not_downloadable_by_ag_members(policy, collection):
    document = policy.site.uploads[collection]
    fetched = _fetched(policy.member, document.url)
    assert not (fetched.status == 200 and fetched.has(UPLOADS[collection].content)), (
        f"{document.url} served an upload nothing approved uses to an AG member"
    )


# --- the replaced attachment ----------------------------------------------------------------------


def test_the_editors_attempt_to_replace_an_approved_file_reached_the_admin(policy):
    """The editor posted the admin's real form: it answered (refusing or accepting), and a
    refusal left the document exactly as approved."""
    attempt = policy.attempts["replace-attachment"]
    assert attempt.status in (200, 302, 403), f"the document editor answered {attempt}"
    if attempt.status != 302:
        assert policy.site.replaced_after == policy.site.replaced_before, (
            f"the admin refused ({attempt}) but the document changed anyway"
        )
    if attempt.status == 200:
        assert attempt.messages, "a refusal says why, on the form"


def test_the_public_keeps_receiving_the_approved_attachment(policy):
    site = policy.site
    result_page = _fetched(policy.anonymous, site.result.url)
    assert result_page.has(APPROVED_ATTACHMENT_TITLE), "the result page lost its approved title"
    served = [
        url
        for url in policy.anonymous.where(APPROVED_ATTACHMENT_CONTENT)
        if url.startswith("/dokumente/")
    ]
    assert served, "no /dokumente/ address serves the approved attachment to the public any more"
    linked = [url for url in served if policy.anonymous.fetched[url].via_link]
    assert linked, f"the approved file is not what the public pages link to: {served}"


def test_oparl_keeps_the_approved_attachment(policy):
    site = policy.site
    file_object = _fetched(policy.anonymous, f"{API}file/{site.attachment.pk}")
    assert file_object.status == 200, "the approved attachment vanished from OParl"
    assert file_object.has(APPROVED_ATTACHMENT_TITLE), "OParl's File lost the approved title"
    assert file_object.has(APPROVED_ATTACHMENT_FILE), "OParl's File lost the approved file name"
    download = _fetched(policy.anonymous, f"{API}file/{site.attachment.pk}/download")
    assert download.status == 200 and download.has(APPROVED_ATTACHMENT_CONTENT), (
        "OParl's downloadUrl no longer serves the approved file"
    )
    access = [
        url
        for url in policy.anonymous.where(APPROVED_ATTACHMENT_CONTENT)
        if url.startswith("/dokumente/") and file_object.has(url)
    ]
    assert access, "OParl's accessUrl no longer serves the approved file"


# --- the moved document ---------------------------------------------------------------------------


def test_a_document_moved_out_of_a_restricted_collection_stays_non_public(policy):
    attempt = policy.attempts["move-document"]
    assert attempt.status in (200, 302, 403), f"the document editor answered {attempt}"
    document = policy.site.to_move
    fetched = _fetched(policy.anonymous, get_document_model().objects.get(pk=document.pk).url)
    assert fetched.status != 200, "the moved document is downloadable by anyone"
    assert not fetched.has(MOVED_CONTENT), "the moved document's content reached the public"


# --- council bodies and meeting places wait for approval -----------------------------------------


@pytest.mark.parametrize(
    "snippet, attempt_name, attribute",
    [
        ("council body", "create-council-body", "new_body"),
        ("meeting place", "create-location", "new_location"),
    ],
    ids=["council-body", "location"],
)
def test_the_editor_created_a_snippet_that_waits_for_approval(
    policy, snippet, attempt_name, attribute
):
    attempt = policy.attempts[attempt_name]
    created = getattr(policy.site, attribute)
    assert attempt.status == 302, f"the editor could not save the {snippet}: {attempt}"
    assert created is not None, f"the admin saved no {snippet}"
    if hasattr(created, "live"):
        assert created.live is False, f"an editor's new {snippet} went live without approval"


# --- images and /media/ ---------------------------------------------------------------------------

IMAGE_FILES = ["intern-original", "intern-rendition", "unused-original", "unused-rendition"]


@pytest.mark.parametrize("role", ["anonymous", "member"])
@pytest.mark.parametrize("name", IMAGE_FILES)
def test_image_files_are_not_served_to_the_public(policy, role, name):
    url = policy.images[name]
    assert policy.stored[url], f"{url} is not in the storage, so refusing it proves nothing"
    fetched = _fetched(getattr(policy, role), url)
    assert fetched.status in (403, 404), f"{url} answered {fetched.status} to {role}"
    assert not fetched.head.startswith(IMAGE_SIGNATURES), f"{url} served the image to {role}"


@pytest.mark.parametrize("name", IMAGE_FILES)
def test_editors_fetch_image_files_through_the_application(policy, name):
    url = policy.images[name]
    fetched = _fetched(policy.editor, url)
    assert fetched.status == 200, f"{url} answered {fetched.status} to an editor"
    assert fetched.head.startswith(IMAGE_SIGNATURES), f"{url} is no image: {fetched.head!r}"


@pytest.mark.parametrize("role", ["anonymous", "member", "editor"])
def test_media_never_serves_a_document_file_directly(policy, role):
    pass_ = getattr(policy, role)
    assert policy.document_files, "the documents' files were fetched under /media/documents/"
    # The approved attachment's file from before the editor's change may be gone (Wagtail
    # deletes a replaced file); its address is still asked for, and must not answer either.
    before = f"/media/{policy.site.replaced_before[1]}"
    missing = [url for url in policy.document_files if not policy.stored[url] and url != before]
    assert missing == [], f"not in the storage, so refusing them proves nothing: {missing}"
    served = {
        url: pass_.fetched[url].status
        for url in policy.document_files
        if pass_.fetched[url].status != 404
    }
    assert served == {}, f"/media/documents/ answered {role} with {served}"
