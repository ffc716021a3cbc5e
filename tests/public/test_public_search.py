"""Site search: every page type, highlighted snippets, type filter, pagination, German stemming
on PostgreSQL, and answers for queries that find nothing or make no sense."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import (
    MeetingIndexPageFactory,
    MeetingPageFactory,
    ReportIndexPageFactory,
    ReportPageFactory,
    ResultIndexPageFactory,
    ResultPageFactory,
    StandardPageFactory,
    TopicAreaIndexPageFactory,
    TopicAreaPageFactory,
    UserFactory,
)
from workgroup.editorial.groups import MEMBERS_GROUP

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")


@pytest.fixture
def pages(site_root):
    topics = TopicAreaIndexPageFactory(parent=site_root)
    results = ResultIndexPageFactory(parent=site_root)
    meetings = MeetingIndexPageFactory(parent=site_root)
    reports = ReportIndexPageFactory(parent=site_root)
    return {
        "topic": TopicAreaPageFactory(
            parent=topics, title="Breitband", intro="Glasfaser für alle Ortsteile von Plauen."
        ),
        "result": ResultPageFactory(
            parent=results,
            title="WLAN für Grundschulen",
            summary="Die Arbeitsgruppe empfiehlt flächendeckendes WLAN in allen Grundschulen "
            "der Stadt, beginnend mit den Grundschulen im Stadtzentrum.",
        ),
        "meeting": MeetingPageFactory(
            parent=meetings, title="Sitzung zum Breitband-Ausbau", is_public=True
        ),
        "closed": MeetingPageFactory(
            parent=meetings,
            title="Nicht öffentliche Sitzung",
            is_public=False,
            body=[("paragraph", "<p>Vertrauliche Serverausschreibung Quantenrechner.</p>")],
        ),
        "report": ReportPageFactory(
            parent=reports,
            title="Halbjahresbericht Breitband",
            summary=[("paragraph", "<p>Der Breitbandausbau kommt voran.</p>")],
        ),
        "standard": StandardPageFactory(
            parent=site_root, title="Impressum", intro="Verantwortlich für Breitband-Texte."
        ),
        "draft": ResultPageFactory(parent=results, title="Entwurf Breitbandstrategie", live=False),
    }


def search(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return response, BeautifulSoup(response.content, "html.parser")


def hit_titles(soup):
    return [item.a.get_text() for item in soup.select(".search-results__item")]


def test_search_finds_every_page_type(client, pages):
    _response, soup = search(client, q="Breitband")

    titles = hit_titles(soup)
    assert "Breitband" in titles
    assert "Sitzung zum Breitband-Ausbau" in titles
    assert "Halbjahresbericht Breitband" in titles
    assert "Impressum" in titles
    assert "Entwurf Breitbandstrategie" not in titles
    types = {
        item.select_one(".search-results__type").get_text()
        for item in soup.select(".search-results__item")
    }
    assert {"Themenfeld", "Sitzung", "Halbjahresbericht", "Inhaltsseite"} <= types


def test_snippet_highlights_the_query(client, pages):
    _response, soup = search(client, q="Grundschulen")

    hit = soup.select_one(".search-results__item")
    assert hit.a.get_text() == "WLAN für Grundschulen"
    marks = [mark.get_text() for mark in hit.find_all("mark")]
    assert marks and all(mark.lower() == "grundschulen" for mark in marks)


def test_type_filter_narrows_the_hits(client, pages):
    _response, soup = search(client, q="Breitband", typ="themenfeld")

    assert hit_titles(soup) == ["Breitband"]
    assert soup.select_one("#search-type option[selected]")["value"] == "themenfeld"


def test_unknown_type_searches_everything_and_says_so(client, pages):
    response, soup = search(client, q="Breitband", typ="gibtsnicht")

    assert "Diesen Bereich gibt es nicht" in response.content.decode()
    assert "Breitband" in hit_titles(soup)


def test_pagination_keeps_query_and_type(client, site_root):
    topics = TopicAreaIndexPageFactory(parent=site_root)
    for number in range(23):
        TopicAreaPageFactory(parent=topics, title=f"Glasfaser Ortsteil {number}")

    _response, soup = search(client, q="Glasfaser", typ="themenfeld")
    assert len(hit_titles(soup)) == 20
    next_link = soup.select_one(".pagination a[rel=next]")["href"]
    assert next_link == "?q=Glasfaser&typ=themenfeld&page=2"

    _response, second = search(client, q="Glasfaser", typ="themenfeld", page=2)
    assert len(hit_titles(second)) == 3
    assert second.select_one(".search-results")["start"] == "21"


def test_query_that_matches_nothing_says_so(client, pages):
    response, soup = search(client, q="Zeppelinlandeplatz")

    assert hit_titles(soup) == []
    assert "Zu „Zeppelinlandeplatz“ wurde nichts gefunden." in response.content.decode()


def test_empty_query_explains_the_search(client, pages):
    response, _soup = search(client, q="   ")

    assert "Geben Sie einen Suchbegriff ein" in response.content.decode()


def test_very_long_query_is_shortened_with_a_message(client, pages):
    response, _soup = search(client, q="Breitband " * 500)

    content = response.content.decode()
    assert "wurde auf 200 Zeichen gekürzt" in content


@pytest.mark.parametrize(
    "query",
    [
        "\"'*-()&|!:<>~^[]{}",
        '"Breitband',
        "Breitband & | !",
        "-",
        "%_\\",
        "\u200b\u00a0\u2028",
        "ünïcödé 🚀 漢字",
        "<script>alert(1)</script>",
        "x" * 1000,
    ],
)
def test_odd_queries_answer_200_with_a_clear_message(client, pages, query):
    response, soup = search(client, q=query)

    content = response.content.decode()
    assert "<script>alert(1)</script>" not in content
    assert soup.select_one("[role=status]").get_text(strip=True)


def test_odd_characters_around_a_word_still_find_it(client, pages):
    _response, soup = search(client, q='"Breitband*')

    assert "Breitband" in hit_titles(soup)


def test_closed_meetings_content_is_not_searchable_for_the_public(client, pages):
    _response, soup = search(client, q="Quantenrechner")
    assert hit_titles(soup) == []

    member = Client()
    member.force_login(UserFactory(groups=[MEMBERS_GROUP]))
    _response, soup = search(member, q="Quantenrechner")
    assert hit_titles(soup) == ["Nicht öffentliche Sitzung"]


def test_unpublished_draft_text_is_not_searchable(client, pages):
    result = pages["result"]
    result.summary = "Entwurfstext mit Zauberwort Fernmeldeturm."
    result.save_revision()

    _response, soup = search(client, q="Fernmeldeturm")

    assert hit_titles(soup) == []


@pytest.mark.skipif(
    not settings.DATABASE_IS_POSTGRES, reason="German stemming needs PostgreSQL's text search"
)
def test_german_stemming_on_postgresql(client, pages):
    # „Grundschule“ finds „Grundschulen“, „Ortsteil“ finds „Ortsteile“.
    _response, soup = search(client, q="Grundschule")
    assert hit_titles(soup) == ["WLAN für Grundschulen"]

    _response, soup = search(client, q="Ortsteil")
    assert hit_titles(soup) == ["Breitband"]


def test_titles_are_highlighted_too_and_meetings_show_their_date(client, pages):
    meeting = pages["meeting"]
    meeting.status = "cancelled"
    meeting.save()
    _response, soup = search(client, q="Breitband", typ="sitzung")

    [hit] = soup.select(".search-results__item")
    assert [mark.get_text() for mark in hit.a.find_all("mark")] == ["Breitband"]
    assert hit.a.get_text() == "Sitzung zum Breitband-Ausbau"
    meta = hit.select_one(".meta").get_text(" ", strip=True)
    assert meta == f"Sitzung · {meeting.start.astimezone():%d.%m.%Y} · abgesagt"


def test_result_hits_show_reference_and_date(client, pages):
    _response, soup = search(client, q="Grundschulen", typ="ergebnis")

    result = pages["result"]
    meta = soup.select_one(".search-results__item .meta").get_text(" ", strip=True)
    assert meta == f"Ergebnis · {result.reference} · {result.result_date:%d.%m.%Y}"


def test_a_snippet_cut_from_a_long_text_starts_and_ends_with_whole_words(client, site_root):
    topics = TopicAreaIndexPageFactory(parent=site_root)
    # Every word the same length, so that any cut through one leaves a string not in the list.
    words = " ".join(f"Wort{number:04d}" for number in range(200))
    TopicAreaPageFactory(parent=topics, title="Lang", intro=f"{words} Glasfaserausbau {words}")

    _response, soup = search(client, q="Glasfaserausbau")

    snippet = soup.select_one(".search-results__item p").get_text()
    assert snippet.startswith("… Wort") and snippet.endswith(" …")
    inner = snippet.removeprefix("… ").removesuffix(" …").split()
    assert "Glasfaserausbau" in inner
    assert all(word == "Glasfaserausbau" or word.startswith("Wort") for word in inner)
    assert all(word in words.split() for word in inner if word != "Glasfaserausbau")


def test_marks_cover_the_inflected_forms_of_a_word(client, site_root):
    # PostgreSQL's German stemmer finds „Sitzung“ for „Sitzungen“; the marks follow it.
    topics = TopicAreaIndexPageFactory(parent=site_root)
    TopicAreaPageFactory(
        parent=topics,
        title="Gremienarbeit",
        intro="Eine Sitzung im Frühjahr, zwei Sitzungen im Herbst.",
    )

    _response, soup = search(client, q="Sitzungen")

    hit = soup.select_one(".search-results__item p")
    assert [mark.get_text() for mark in hit.find_all("mark")] == ["Sitzung", "Sitzungen"]
