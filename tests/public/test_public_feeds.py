"""Atom feeds of new results, overall and per topic area, and how pages link them."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageViewRestriction

from tests.factories import (
    ResultIndexPageFactory,
    ResultPageFactory,
    TopicAreaIndexPageFactory,
    TopicAreaPageFactory,
)
from workgroup.editorial.groups import MEMBERS_GROUP
from workgroup.models import ResultPage

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def results(site_root):
    topics = TopicAreaIndexPageFactory(parent=site_root)
    schools = TopicAreaPageFactory(parent=topics, title="Schulen")
    admin = TopicAreaPageFactory(parent=topics, title="Verwaltung")
    index = ResultIndexPageFactory(parent=site_root)
    wlan = ResultPageFactory(
        parent=index,
        title="WLAN an Schulen",
        kind=ResultPage.Kind.CONCEPT,
        reference="AG-DIG/2023/004",
        summary="Flächendeckendes WLAN in allen Grundschulen.",
    )
    wlan.topic_areas.set([schools])
    wlan.save()
    eakte = ResultPageFactory(parent=index, title="E-Akte", reference="AG-DIG/2024/001")
    eakte.topic_areas.set([admin])
    eakte.save()
    ResultPageFactory(parent=index, title="Noch nicht veröffentlicht", live=False)
    return {"index": index, "schools": schools, "admin": admin, "wlan": wlan, "eakte": eakte}


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entry_titles(feed):
    return [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]


def test_results_feed_parses_and_holds_the_published_results(client, results):
    feed = parse(client.get(reverse("feed_results")))

    assert feed.tag == f"{ATOM}feed"
    assert "neue Ergebnisse" in feed.find(f"{ATOM}title").text
    assert sorted(entry_titles(feed)) == [
        "Beschlussempfehlung AG-DIG/2024/001: E-Akte",
        "Konzept AG-DIG/2023/004: WLAN an Schulen",
    ]
    entry = next(e for e in feed.findall(f"{ATOM}entry") if "WLAN" in e.find(f"{ATOM}title").text)
    wlan = results["wlan"]
    assert entry.find(f"{ATOM}link").get("href") == "http://testserver" + wlan.url
    assert entry.find(f"{ATOM}id").text == f"urn:ag-digitalisierung-plauen:result:{wlan.pk}"
    assert entry.find(f"{ATOM}summary").text == "Flächendeckendes WLAN in allen Grundschulen."
    assert entry.find(f"{ATOM}updated").text


def test_newest_publication_comes_first(client, results):
    results["eakte"].save_revision().publish()
    results["wlan"].save_revision().publish()
    titles = entry_titles(parse(client.get(reverse("feed_results"))))
    assert titles == [
        "Konzept AG-DIG/2023/004: WLAN an Schulen",
        "Beschlussempfehlung AG-DIG/2024/001: E-Akte",
    ]

    later = ResultPage.objects.get(pk=results["eakte"].pk)
    later.first_published_at += datetime.timedelta(days=1)
    later.save()

    titles = entry_titles(parse(client.get(reverse("feed_results"))))
    assert titles[0].endswith("E-Akte")


def test_every_entry_has_a_date_even_without_wagtails_publish(client, results):
    # Pages made live directly (as an import does) have no first_published_at.
    feed = parse(client.get(reverse("feed_results")))

    for entry in feed.findall(f"{ATOM}entry"):
        assert entry.find(f"{ATOM}updated").text, "Atom requires atom:updated"
    assert feed.find(f"{ATOM}updated").text


def test_topic_feed_holds_only_that_topic_areas_results(client, results):
    feed = parse(client.get(reverse("feed_topic_results", args=[results["schools"].pk])))

    assert entry_titles(feed) == ["Konzept AG-DIG/2023/004: WLAN an Schulen"]
    assert "Schulen" in feed.find(f"{ATOM}title").text


def test_topic_feed_of_an_unpublished_or_unknown_topic_is_404(client, results):
    draft = TopicAreaPageFactory(parent=results["schools"].get_parent(), live=False)

    assert client.get(reverse("feed_topic_results", args=[draft.pk])).status_code == 404
    assert client.get(reverse("feed_topic_results", args=[999999])).status_code == 404


def test_drafts_and_restricted_results_stay_out_of_the_feed(client, results):
    results["eakte"].title = "Geänderter Entwurfstitel"
    results["eakte"].save_revision()
    restricted = ResultPageFactory(parent=results["index"], title="Nur für die AG")
    restriction = PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get_or_create(name=MEMBERS_GROUP)[0])

    content = client.get(reverse("feed_results")).content.decode()

    assert "Noch nicht veröffentlicht" not in content
    assert "Geänderter Entwurfstitel" not in content
    assert "Nur für die AG" not in content
    assert "E-Akte" in content


def test_pages_link_the_feeds_with_rel_alternate(client, results):
    home = BeautifulSoup(client.get("/").content, "html.parser")
    topic = BeautifulSoup(client.get(results["schools"].url).content, "html.parser")

    alternates = home.find_all("link", rel="alternate", type="application/atom+xml")
    assert [link["href"] for link in alternates] == [reverse("feed_results")]
    topic_feeds = {
        link["href"]
        for link in topic.find_all("link", rel="alternate", type="application/atom+xml")
    }
    assert topic_feeds == {
        reverse("feed_results"),
        reverse("feed_topic_results", args=[results["schools"].pk]),
    }
    for soup in (home, topic):
        for link in soup.find_all("link", rel="alternate"):
            assert link["title"], "a feed link names its feed"


def test_feeds_name_the_ag_as_author_and_have_stable_ids_of_their_own(client, results):
    overall = parse(client.get(reverse("feed_results")))
    topic = parse(client.get(reverse("feed_topic_results", args=[results["schools"].pk])))

    # RFC 4287: a feed whose entries name no author must name one itself.
    for feed in (overall, topic):
        assert feed.find(f"{ATOM}author/{ATOM}name").text == (
            "Stadt Plauen – Arbeitsgruppe Digitalisierung"
        )
        assert feed.find(f"{ATOM}author/{ATOM}email") is None
    assert overall.find(f"{ATOM}id").text == "urn:ag-digitalisierung-plauen:feed:results"
    assert topic.find(f"{ATOM}id").text == (
        f"urn:ag-digitalisierung-plauen:feed:topic:{results['schools'].pk}"
    )


def test_topic_feed_includes_the_results_of_nested_topic_areas(client, results):
    primary = TopicAreaPageFactory(parent=results["schools"], title="Grundschulen")
    tablets = ResultPageFactory(
        parent=results["index"], title="Tablets", reference="AG-DIG/2024/009"
    )
    tablets.topic_areas.set([primary])
    tablets.save()

    feed = parse(client.get(reverse("feed_topic_results", args=[results["schools"].pk])))

    assert sorted(entry_titles(feed)) == [
        "Beschlussempfehlung AG-DIG/2024/009: Tablets",
        "Konzept AG-DIG/2023/004: WLAN an Schulen",
    ]
