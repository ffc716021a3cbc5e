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

import html
import re
from collections import deque
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from wagtail.models import Page

from tests.factories import (
    UserFactory,
)
from tests.scenarios import (
    ALL_MARKERS,
    MEMBER_MARKERS,
    MINUTES_CONTENT,
    NOBODY_MARKERS,
    marked_site,
    store_documents_on_disk,
)
from workgroup.editorial.groups import MEMBERS_GROUP
from workgroup.models import AgendaItem, Consultation, MeetingPage, Member

pytestmark = pytest.mark.django_db

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


@pytest.fixture
def site(site_root, settings, tmp_path):
    store_documents_on_disk(settings, tmp_path)
    return marked_site(site_root)


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
