"""Nothing non-public leaks: crawl every public URL the site produces and look for markers.

The site below puts a distinctive marker string into every kind of non-public content: a
non-public agenda item of a public meeting, the agenda and body of a non-public meeting, a
non-public consultation outcome, the minutes of a non-public meeting (title, file name and file
content, in a collection restricted to AG-Mitglieder), an attachment in that collection, a
member's e-mail address, a name the member did not release, an unpublished draft of a published
result and pages that were never published. An anonymous crawl (every same-site link from the
home page on, plus every feed, export, iCalendar URL and a few searches) must find none of them;
the same crawl as an AG member must find those a member may read, and still not the e-mail
address or the drafts.
"""

import datetime
import html
import re
from collections import deque
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction, Page

from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    ConsultationFactory,
    CouncilBodyFactory,
    DocumentFactory,
    FactionFactory,
    LocationFactory,
    MeetingIndexPageFactory,
    MeetingPageFactory,
    MemberFactory,
    MembersPageFactory,
    ReportIndexPageFactory,
    ReportPageFactory,
    ResultAttachmentFactory,
    ResultIndexPageFactory,
    ResultPageFactory,
    StandardPageFactory,
    TopicAreaIndexPageFactory,
    TopicAreaPageFactory,
    UserFactory,
)
from workgroup.editorial.groups import MEMBERS_GROUP
from workgroup.models import AgendaItem, Consultation, MeetingPage, Member, ResultPage

pytestmark = pytest.mark.django_db

# Each marker sits in exactly one non-public field. Lower-case hex tails keep them unique.
NON_PUBLIC_ITEM_TITLE = "GEHEIM-TOP-7f3a"
NON_PUBLIC_ITEM_DECISION = "GEHEIM-BESCHLUSS-2b9c"
CLOSED_MEETING_ITEM = "GEHEIM-SITZUNG-TOP-5d1e"
CLOSED_MEETING_DECISION = "GEHEIM-SITZUNG-BESCHLUSS-a41c"
CLOSED_MEETING_BODY = "GEHEIM-SITZUNG-INFO-8c4d"
NON_PUBLIC_OUTCOME = "GEHEIM-BERATUNG-3e8f"
MINUTES_TITLE = "GEHEIM-NIEDERSCHRIFT-9a6b"
MINUTES_FILENAME = "geheim-niederschrift-9a6b"
MINUTES_CONTENT = "GEHEIM-DOKUMENTINHALT-4f2a"
RESTRICTED_ATTACHMENT = "GEHEIM-ANLAGE-e5f0"
HIDDEN_NAME = "GEHEIM-NAME-1c5b"
EMAIL = "geheim-adresse-6d7e@example.org"
DRAFT_TITLE = "GEHEIM-ENTWURF-0e3d"
DRAFT_SUMMARY = "GEHEIM-ENTWURF-TEXT-c2a9"
NEVER_PUBLISHED_RESULT = "GEHEIM-NIE-ERGEBNIS-7b2e"
NEVER_PUBLISHED_TOPIC = "GEHEIM-NIE-THEMA-d8f1"

# What an AG member may read on the site.
MEMBER_MARKERS = [
    NON_PUBLIC_ITEM_TITLE,
    NON_PUBLIC_ITEM_DECISION,
    CLOSED_MEETING_ITEM,
    CLOSED_MEETING_DECISION,
    CLOSED_MEETING_BODY,
    NON_PUBLIC_OUTCOME,
    MINUTES_TITLE,
    MINUTES_FILENAME,
    MINUTES_CONTENT,
    RESTRICTED_ATTACHMENT,
    HIDDEN_NAME,
]
# What nobody reads on the public site, members included.
NOBODY_MARKERS = [EMAIL, DRAFT_TITLE, DRAFT_SUMMARY, NEVER_PUBLISHED_RESULT, NEVER_PUBLISHED_TOPIC]
ALL_MARKERS = MEMBER_MARKERS + NOBODY_MARKERS


def restricted_collection():
    """A document collection that only AG-Mitglieder may download from."""
    collection = Collection.get_first_root_node().add_child(name="AG intern")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get_or_create(name=MEMBERS_GROUP)[0])
    return collection


def build_site(home):
    """A small but complete site: every page type, public and non-public content, markers.

    Returns the objects the tests refer to by name.
    """
    now = timezone.now()
    intern = restricted_collection()

    topics = TopicAreaIndexPageFactory(parent=home, show_in_menus=True)
    topic_admin = TopicAreaPageFactory(
        parent=topics,
        title="Digitale Verwaltung",
        slug="digitale-verwaltung",
        intro="Online-Dienste, E-Akte und digitale Abläufe im Rathaus.",
    )
    topic_schools = TopicAreaPageFactory(
        parent=topics,
        title="Digitale Schulen",
        slug="digitale-schulen",
        intro="Ausstattung und Netzanbindung der Plauener Schulen.",
    )
    TopicAreaPageFactory(
        parent=topic_schools, title="WLAN an Grundschulen", slug="wlan-grundschulen"
    )
    topic_never = TopicAreaPageFactory(
        parent=topics, title=NEVER_PUBLISHED_TOPIC, slug="nie-veroeffentlicht", live=False
    )

    faction = FactionFactory(name="Fraktion Bürger für Plauen", short_name="BfP")
    other_faction = FactionFactory(name="Fraktion Zukunft Vogtland", short_name="ZV")
    chair = MemberFactory(
        name="Dr. Anna Beispiel", role=Member.Role.CHAIR, function_title="Koordinatorin"
    )
    representative = MemberFactory(
        name="Bernd Muster", role=Member.Role.REPRESENTATIVE, faction=faction
    )
    hidden = MemberFactory(
        name=HIDDEN_NAME,
        role=Member.Role.DEPUTY,
        faction=faction,
        principal=representative,
        name_is_public=False,
        email=EMAIL,
    )
    MemberFactory(name="Clara Vorbild", role=Member.Role.REPRESENTATIVE, faction=other_faction)
    MemberFactory(name="Kreisschülerrat", role=Member.Role.GUEST, guest_topic=topic_schools)

    body_admin = CouncilBodyFactory(name="Verwaltungsausschuss", short_name="VA")
    body_council = CouncilBodyFactory(name="Stadtrat", short_name="SR")
    location = LocationFactory(description="Rathaus Plauen", room="Ratssaal")

    meetings = MeetingIndexPageFactory(parent=home, show_in_menus=True)
    held = MeetingPageFactory(
        parent=meetings,
        title="5. Sitzung der AG Digitalisierung",
        slug="5-sitzung",
        number=5,
        start=datetime.datetime(2024, 3, 12, 16, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2024, 3, 12, 18, 0, tzinfo=datetime.UTC),
        location=location,
        status=MeetingPage.Status.HELD,
        is_public=True,
        invitation=DocumentFactory(title="Einladung zur 5. Sitzung"),
    )
    AgendaItemFactory(
        meeting=held,
        number="TOP 1",
        title="Bericht zum Stand der E-Akte",
        is_public=True,
        topic_area=topic_admin,
        decision="Die AG nimmt den Bericht zur Kenntnis.",
    )
    AgendaItemFactory(
        meeting=held,
        number="TOP 2",
        title=NON_PUBLIC_ITEM_TITLE,
        is_public=False,
        topic_area=topic_admin,
        decision=NON_PUBLIC_ITEM_DECISION,
    )
    AttendanceFactory(meeting=held, member=chair)
    AttendanceFactory(meeting=held, member=hidden)

    closed = MeetingPageFactory(
        parent=meetings,
        title="6. Sitzung der AG Digitalisierung",
        slug="6-sitzung",
        number=6,
        start=datetime.datetime(2024, 6, 4, 16, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2024, 6, 4, 18, 0, tzinfo=datetime.UTC),
        location=location,
        status=MeetingPage.Status.HELD,
        is_public=False,
        minutes=DocumentFactory(
            title=MINUTES_TITLE,
            collection=intern,
            file=ContentFile(
                f"%PDF-1.4 {MINUTES_CONTENT}".encode(), name=f"{MINUTES_FILENAME}.pdf"
            ),
        ),
        body=[("paragraph", f"<p>{CLOSED_MEETING_BODY}</p>")],
    )
    # Public as an item, but the meeting is closed as a whole.
    AgendaItemFactory(
        meeting=closed,
        number="TOP 1",
        title=CLOSED_MEETING_ITEM,
        is_public=True,
        topic_area=topic_schools,
        decision=CLOSED_MEETING_DECISION,
    )
    AttendanceFactory(meeting=closed, member=representative)

    upcoming = MeetingPageFactory(
        parent=meetings,
        title="7. Sitzung der AG Digitalisierung",
        slug="7-sitzung",
        number=7,
        start=now + datetime.timedelta(days=10),
        location=location,
        is_public=True,
    )
    AgendaItemFactory(meeting=upcoming, number="TOP 1", title="Breitbandausbau", is_public=True)
    cancelled = MeetingPageFactory(
        parent=meetings,
        title="8. Sitzung der AG Digitalisierung",
        slug="8-sitzung",
        number=8,
        start=now + datetime.timedelta(days=40),
        status=MeetingPage.Status.CANCELLED,
        is_public=True,
    )

    results = ResultIndexPageFactory(parent=home, show_in_menus=True)
    result = ResultPageFactory(
        parent=results,
        title="Einführung der E-Akte in der Stadtverwaltung",
        slug="e-akte",
        reference="AG-DIG/2024/001",
        kind=ResultPage.Kind.RECOMMENDATION,
        progress=ResultPage.Progress.DECIDED,
        result_date=datetime.date(2024, 3, 12),
        summary="Die AG empfiehlt, die E-Akte schrittweise in allen Fachbereichen einzuführen.",
        easy_language_summary="Die Stadt will Akten am Computer führen. Das spart Papier.",
        body=[("paragraph", "<p>Die Einführung erfolgt in drei Stufen.</p>")],
    )
    result.topic_areas.set([topic_admin, topic_never])
    result.source_meetings.set([held, closed])
    result.save()
    ConsultationFactory(
        result=result,
        body=body_admin,
        date=datetime.date(2024, 4, 10),
        is_public=True,
        role=Consultation.Role.PRELIMINARY,
        outcome="Einstimmig empfohlen.",
    )
    ConsultationFactory(
        result=result,
        body=body_council,
        date=datetime.date(2024, 5, 2),
        is_public=False,
        role=Consultation.Role.DECISION,
        outcome=NON_PUBLIC_OUTCOME,
    )
    ResultAttachmentFactory(result=result, document=DocumentFactory(title="Konzept E-Akte"))
    ResultAttachmentFactory(
        result=result,
        document=DocumentFactory(title=RESTRICTED_ATTACHMENT, collection=intern),
    )
    # A pending draft on top of the live version: the public sees the live version only.
    draft = ResultPage.objects.get(pk=result.pk)
    draft.title = DRAFT_TITLE
    draft.summary = DRAFT_SUMMARY
    draft.save_revision()

    other = ResultPageFactory(
        parent=results,
        title="WLAN für alle Grundschulen",
        slug="wlan-grundschulen",
        reference="AG-DIG/2023/004",
        kind=ResultPage.Kind.CONCEPT,
        progress=ResultPage.Progress.IN_IMPLEMENTATION,
        result_date=datetime.date(2023, 11, 20),
        summary="Konzept für flächendeckendes WLAN in den Plauener Grundschulen.",
    )
    other.topic_areas.set([topic_schools])
    other.save()
    ResultPageFactory(
        parent=results,
        title=NEVER_PUBLISHED_RESULT,
        slug="nie-veroeffentlicht",
        reference="AG-DIG/2024/099",
        summary=NEVER_PUBLISHED_RESULT,
        live=False,
    )

    reports = ReportIndexPageFactory(parent=home, show_in_menus=True)
    report = ReportPageFactory(
        parent=reports,
        period_year=2024,
        period_half=1,
        presented_on=datetime.date(2024, 7, 15),
        summary=[
            (
                "paragraph",
                "<p>Die AG hat im ersten Halbjahr zweimal getagt. Siehe auch "
                '<a href="https://www.plauen.de/">www.plauen.de</a>.</p>',
            ),
        ],
    )
    members_page = MembersPageFactory(
        parent=home, show_in_menus=True, intro="Die Zusammensetzung nach der Gründungsvorlage."
    )
    imprint = StandardPageFactory(
        parent=home,
        title="Impressum",
        slug="impressum",
        intro="Angaben nach § 5 DDG.",
        body=[("paragraph", "<p>Stadtverwaltung Plauen, Unterer Graben 1, 08523 Plauen</p>")],
    )
    accessibility = StandardPageFactory(
        parent=home,
        title="Erklärung zur Barrierefreiheit",
        slug="barrierefreiheit",
        intro="Die Stadt Plauen ist bemüht, diese Website barrierefrei zugänglich zu machen.",
    )
    return {
        "home": home,
        "topics": topics,
        "topic_admin": topic_admin,
        "topic_schools": topic_schools,
        "meetings": meetings,
        "held": held,
        "closed": closed,
        "upcoming": upcoming,
        "cancelled": cancelled,
        "results": results,
        "result": result,
        "other_result": other,
        "reports": reports,
        "report": report,
        "members_page": members_page,
        "imprint": imprint,
        "accessibility": accessibility,
        "hidden_member": hidden,
    }


# --- the crawler --------------------------------------------------------------------------------

LINK_PATTERNS = [
    re.compile(r"""(?:href|src|action)\s*=\s*["']([^"']+)["']""", re.IGNORECASE),
    re.compile(r"<loc>\s*([^<\s]+)\s*</loc>"),  # sitemap.xml
    re.compile(r"^URL(?:;[^:]*)?:(\S+)", re.MULTILINE),  # iCalendar
    re.compile(r"^Sitemap:\s*(\S+)", re.MULTILINE),  # robots.txt
    re.compile(r'"url":\s*"([^"]+)"'),  # JSON export
    re.compile(r"(https?://testserver/[^\s;\"'<>]*)"),  # CSV export and anything else
]
NOT_CRAWLED = ("/admin/", "/static/")


def response_text(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    headers = "\n".join(f"{key}: {value}" for key, value in response.items())
    # Unfold iCalendar lines so that a marker split across a fold is still found.
    text = content.decode("utf-8", errors="replace").replace("\r\n ", "").replace("\n ", "")
    return headers + "\n" + text


def same_site_links(text, base):
    for pattern in LINK_PATTERNS:
        for raw in pattern.findall(text):
            url = urljoin(base, html.unescape(raw).strip())
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or parts.netloc not in ("", "testserver"):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if not path.startswith(NOT_CRAWLED):
                yield path


def crawl(client, seeds, limit=3000):
    """Breadth-first over every same-site URL reachable from the seeds; {url: (status, text)}."""
    seen = {}
    queue = deque(seeds)
    # A server error is a finding like any other: record it and crawl on.
    client.raise_request_exception = False
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        text = response_text(response)
        seen[url] = (response.status_code, text)
        base = "http://testserver" + url
        found = list(same_site_links(text, base))
        if response.status_code in (301, 302) and "Location" in response:
            found.append(urljoin(base, response["Location"]))
        queue.extend(link for link in found if link not in seen)
    assert not queue, f"crawl stopped at {limit} URLs"
    return seen


def optional_api_seeds():
    """The OParl API's entry point, where the site has one: its JSON links to everything else."""
    try:
        return [reverse("oparl_system")]
    except NoReverseMatch:
        return []


def feed_and_export_seeds(site):
    """The machine-readable URLs: feeds, exports, iCalendar, sitemap, robots, searches."""
    seeds = [
        "/",
        "/sitemap.xml",
        "/robots.txt",
        reverse("feed_results"),
        site["meetings"].url + "kalender/",
        site["results"].url + "export/csv/",
        site["results"].url + "export/json/",
        "/suche/?q=GEHEIM",
        "/suche/?q=geheim+sitzung",
        "/suche/?q=7f3a",
        "/suche/?q=Beratung",
        "/suche/?q=Niederschrift",
    ]
    for meeting in MeetingPage.objects.live():
        seeds.append(meeting.url + "kalender/")
    seeds += optional_api_seeds()
    for topic in (site["topic_admin"], site["topic_schools"]):
        seeds.append(reverse("feed_topic_results", args=[topic.pk]))
    return seeds


def hits(pages, markers):
    """{marker: [urls where it appears]}, case-insensitive (file names are lower-case)."""
    found = {}
    for url, (_status, text) in pages.items():
        lowered = text.lower()
        for marker in markers:
            if marker.lower() in lowered:
                found.setdefault(marker, []).append(url)
    return found


def store_documents_on_disk(settings, directory):
    """Documents as in production: files on disk, served by Wagtail's view after its
    collection check, so that a crawl reads their content. (The test settings keep files in
    memory, which Wagtail's document view cannot serve.)"""
    settings.MEDIA_ROOT = str(directory)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def site(site_root, settings, tmp_path):
    store_documents_on_disk(settings, tmp_path)
    return build_site(site_root)


@pytest.fixture
def member(client):
    user = UserFactory(groups=[MEMBERS_GROUP])
    client.force_login(user)
    return user


def test_anonymous_crawl_finds_no_marker(client, site):
    pages = crawl(client, feed_and_export_seeds(site))

    leaks = hits(pages, ALL_MARKERS)
    assert leaks == {}, f"non-public content leaked: {leaks}"
    broken = {url: status for url, (status, _text) in pages.items() if status != 200}
    assert broken == {}, "every public link should work"
    # The crawl really covered the site: every page type, feed, export and calendar.
    crawled = set(pages)
    for page in Page.objects.live().public().exclude(depth=1):
        assert page.url in crawled, f"{page.url} was not reached by following links"
    for seed in feed_and_export_seeds(site):
        assert seed in crawled
    print(f"anonymous crawl: {len(pages)} URLs, 0 marker hits")


def test_anonymous_crawl_cannot_download_restricted_documents(client, site):
    minutes = site["closed"].minutes

    response = client.get(minutes.url)

    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert MINUTES_CONTENT not in response_text(response)


def test_member_crawl_finds_what_members_may_read(client, site, member):
    pages = crawl(client, feed_and_export_seeds(site))

    found = hits(pages, ALL_MARKERS)
    assert sorted(found) == sorted(MEMBER_MARKERS), "members read non-public content"
    for marker in NOBODY_MARKERS:
        assert marker not in found, f"{marker} must not appear even to members"
    # Members read the restricted minutes themselves, not just a link.
    assert any(MINUTES_CONTENT in text for _status, text in pages.values())
    # Feeds, iCalendar and exports stay the public version for everyone: a subscribed
    # calendar or feed reader is not logged in.
    for url, (_status, text) in pages.items():
        if "/kalender/" in url or "/feeds/" in url or "/export/" in url:
            assert not any(m.lower() in text.lower() for m in ALL_MARKERS), url
    print(f"member crawl: {len(pages)} URLs, markers found: {sorted(found)}")


# --- the demo content ---------------------------------------------------------------------------


def confidential_demo_strings():
    """Non-public texts of the demo that appear nowhere public in their own right."""
    public_texts = [
        item.title for item in AgendaItem.objects.filter(is_public=True, meeting__is_public=True)
    ]
    public_texts += [page.title for page in Page.objects.live().public()]
    candidates = set()
    closed_items = AgendaItem.objects.filter(Q(is_public=False) | Q(meeting__is_public=False))
    for item in closed_items:
        candidates.update([item.title, item.decision])
    candidates.update(
        Consultation.objects.filter(is_public=False)
        .exclude(outcome="")
        .values_list("outcome", flat=True)
    )
    # A generic title such as „Verschiedenes“ may stand in a public agenda too; only
    # texts that are confidential in every place they occur can prove a leak.
    return {
        text.strip()
        for text in candidates
        if len(text.strip()) >= 12 and not any(text.strip() in public for public in public_texts)
    }


def test_anonymous_crawl_of_the_demo_content_leaks_nothing(client, db, settings, tmp_path):
    store_documents_on_disk(settings, tmp_path)
    call_command("load_demo", stdout=StringIO())

    confidential = confidential_demo_strings()
    emails = set(Member.objects.exclude(email="").values_list("email", flat=True))
    hidden_names = set(Member.objects.filter(name_is_public=False).values_list("name", flat=True))
    seeds = ["/", "/sitemap.xml", "/robots.txt", reverse("feed_results")]
    pages = crawl(client, seeds)

    assert confidential, "the demo should have non-public agenda items to protect"
    leaks = hits(pages, confidential | emails | hidden_names)
    assert leaks == {}, f"demo content leaked: {leaks}"
    broken = {url: status for url, (status, _text) in pages.items() if status != 200}
    assert broken == {}
    print(f"demo crawl: {len(pages)} URLs, {len(confidential)} confidential texts, 0 hits")
