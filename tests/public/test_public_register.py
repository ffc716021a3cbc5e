"""The results register: filters that filter, kept in the URL, pagination, CSV and JSON exports,
and the result page with its Beratungsfolge."""

import csv
import datetime
import io
import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import Collection, CollectionViewRestriction

from tests.factories import (
    ConsultationFactory,
    CouncilBodyFactory,
    DocumentFactory,
    MeetingIndexPageFactory,
    MeetingPageFactory,
    ResultAttachmentFactory,
    ResultIndexPageFactory,
    ResultPageFactory,
    TopicAreaIndexPageFactory,
    TopicAreaPageFactory,
    UserFactory,
)
from workgroup.editorial.groups import MEMBERS_GROUP
from workgroup.models import Consultation, ResultPage

pytestmark = pytest.mark.django_db

Kind = ResultPage.Kind
Progress = ResultPage.Progress


@pytest.fixture
def register(site_root):
    """Five results that differ in topic, kind, progress and year, plus one unpublished."""
    topics = TopicAreaIndexPageFactory(parent=site_root)
    schools = TopicAreaPageFactory(parent=topics, title="Schulen", slug="schulen")
    admin = TopicAreaPageFactory(parent=topics, title="Verwaltung", slug="verwaltung")
    index = ResultIndexPageFactory(parent=site_root)

    def result(title, day, kind, progress, *topic_areas):
        page = ResultPageFactory(
            parent=index, title=title, result_date=day, kind=kind, progress=progress
        )
        page.topic_areas.set(topic_areas)
        page.save()
        return page

    results = {
        "wlan": result(
            "WLAN an Schulen", datetime.date(2023, 2, 1), Kind.CONCEPT, Progress.DECIDED, schools
        ),
        "tablets": result(
            "Tablets für Lehrkräfte",
            datetime.date(2024, 5, 6),
            Kind.RECOMMENDATION,
            Progress.IN_CONSULTATION,
            schools,
        ),
        "eakte": result(
            "E-Akte", datetime.date(2024, 9, 1), Kind.RECOMMENDATION, Progress.DECIDED, admin
        ),
        "ozg": result(
            "OZG-Strategie",
            datetime.date(2022, 11, 30),
            Kind.PAPER,
            Progress.IMPLEMENTED,
            admin,
            schools,
        ),
        "bericht": result(
            "Bericht 2024", datetime.date(2024, 1, 15), Kind.REPORT, Progress.DECIDED
        ),
    }
    ResultPageFactory(parent=index, title="Unveröffentlichter Entwurf", live=False)
    return {"index": index, "schools": schools, "admin": admin, **results}


def titles_on(client, url):
    response = client.get(url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [row.find("a").get_text() for row in soup.select("table.register tbody tr") if row.a]


def export_titles(client, url, params=""):
    response = client.get(url + params)
    assert response.status_code == 200
    if "csv" in url:
        text = response.content.decode("utf-8")
        assert text.startswith("\ufeff"), "the byte order mark tells spreadsheets it is UTF-8"
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
        assert rows[0] == [
            "Nummer",
            "Titel",
            "Art",
            "Bearbeitungsstand",
            "Datum",
            "Themenfelder",
            "Adresse",
        ]
        return [row[1] for row in rows[1:]]
    return [row["title"] for row in json.loads(response.content)["results"]]


# --- the list and its filters -------------------------------------------------------------------


def test_register_lists_every_published_result_newest_first(client, register):
    response = client.get(register["index"].url)
    content = response.content.decode()

    assert titles_on(client, register["index"].url) == [
        "E-Akte",
        "Tablets für Lehrkräfte",
        "Bericht 2024",
        "WLAN an Schulen",
        "OZG-Strategie",
    ]
    assert "Unveröffentlichter Entwurf" not in content
    row = BeautifulSoup(content, "html.parser").select("table.register tbody tr")[0]
    cells = [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
    assert cells == [
        "01.09.2024",
        "E-Akte",
        "Beschlussempfehlung",
        register["eakte"].reference,
        "Verwaltung",
        "beschlossen",
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("kind=recommendation", ["E-Akte", "Tablets für Lehrkräfte"]),
        ("progress=decided", ["E-Akte", "Bericht 2024", "WLAN an Schulen"]),
        ("year=2024", ["E-Akte", "Tablets für Lehrkräfte", "Bericht 2024"]),
        ("year=2022", ["OZG-Strategie"]),
        ("kind=recommendation&progress=decided", ["E-Akte"]),
        ("year=2024&progress=decided&kind=report", ["Bericht 2024"]),
        ("kind=statement", []),
    ],
)
def test_each_filter_filters_and_they_combine(client, register, params, expected):
    url = register["index"].url

    assert titles_on(client, f"{url}?{params}") == expected
    assert export_titles(client, url + "export/csv/", f"?{params}") == expected
    assert export_titles(client, url + "export/json/", f"?{params}") == expected


def test_topic_filter_and_its_combination_with_year(client, register):
    url = register["index"].url
    schools = register["schools"].pk

    assert titles_on(client, f"{url}?topic={schools}") == [
        "Tablets für Lehrkräfte",
        "WLAN an Schulen",
        "OZG-Strategie",
    ]
    assert titles_on(client, f"{url}?topic={schools}&year=2023") == ["WLAN an Schulen"]
    assert titles_on(client, f"{url}?topic={register['admin'].pk}") == ["E-Akte", "OZG-Strategie"]


def test_filters_stay_in_the_url_of_the_form_the_exports_and_the_pages(client, register):
    url = register["index"].url
    for number in range(30):
        ResultPageFactory(
            parent=register["index"],
            title=f"Empfehlung {number}",
            kind=Kind.RECOMMENDATION,
            result_date=datetime.date(2024, 2, 1) + datetime.timedelta(days=number),
        )

    response = client.get(f"{url}?kind=recommendation&year=2024")
    soup = BeautifulSoup(response.content, "html.parser")

    # The form shows what is filtered.
    assert soup.select_one("#id_kind option[selected]")["value"] == "recommendation"
    assert soup.select_one("#id_year option[selected]")["value"] == "2024"
    # Exports and the next page keep the filters.
    links = [a["href"] for a in soup.find_all("a")]
    assert f"{url}export/csv/?kind=recommendation&year=2024" in links
    assert f"{url}export/json/?kind=recommendation&year=2024" in links
    assert "?kind=recommendation&year=2024&page=2" in links
    # 32 recommendations of 2024: 25 on the first page, the rest on the second.
    assert len(titles_on(client, f"{url}?kind=recommendation&year=2024")) == 25
    page_two = titles_on(client, f"{url}?kind=recommendation&year=2024&page=2")
    assert page_two == [f"Empfehlung {number}" for number in range(6, -1, -1)]
    assert "32 Ergebnisse" in response.content.decode()
    # The export holds the whole filtered list, not one page of it.
    assert len(export_titles(client, url + "export/json/", "?kind=recommendation&year=2024")) == 32


def test_pagination_is_25_a_page_and_forgives_bad_page_numbers(client, register):
    url = register["index"].url
    for _number in range(25):
        ResultPageFactory(parent=register["index"], result_date=datetime.date(2021, 1, 1))

    assert len(titles_on(client, url)) == 25
    assert len(titles_on(client, f"{url}?page=2")) == 5
    assert titles_on(client, f"{url}?page=99") == titles_on(client, f"{url}?page=2")
    assert titles_on(client, f"{url}?page=abc") == titles_on(client, url)


def test_invalid_filter_values_answer_200_in_german_and_the_valid_ones_still_apply(
    client, register
):
    url = register["index"].url

    response = client.get(f"{url}?kind=unsinn&year=2024&topic=abc")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Einige Filterwerte sind ungültig und wurden nicht angewendet" in content
    assert "Art:" in content and "Themenfeld:" in content
    assert titles_on(client, f"{url}?kind=unsinn&year=2024&topic=abc") == [
        "E-Akte",
        "Tablets für Lehrkräfte",
        "Bericht 2024",
    ]
    assert export_titles(client, url + "export/csv/", "?kind=unsinn&year=2024") == [
        "E-Akte",
        "Tablets für Lehrkräfte",
        "Bericht 2024",
    ]


def test_every_filter_field_has_a_label(client, register):
    soup = BeautifulSoup(client.get(register["index"].url).content, "html.parser")
    form = soup.select_one("form.filter-form")

    fields = form.find_all(["select", "input"])
    assert {field["name"] for field in fields} == {"topic", "kind", "progress", "year"}
    for field in fields:
        assert form.find("label", attrs={"for": field["id"]}).get_text(strip=True)


def test_exports_hold_every_column(client, register):
    url = register["index"].url + "export/json/?topic=" + str(register["admin"].pk)

    rows = json.loads(client.get(url).content)["results"]

    assert rows[0] == {
        "reference": register["eakte"].reference,
        "title": "E-Akte",
        "kind": "Beschlussempfehlung",
        "progress": "beschlossen",
        "date": "2024-09-01",
        "topic_areas": ["Verwaltung"],
        "url": "http://testserver" + register["eakte"].url,
    }
    assert sorted(rows[1]["topic_areas"]) == ["Schulen", "Verwaltung"]

    response = client.get(register["index"].url + "export/csv/")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "ergebnisse.csv" in response["Content-Disposition"]


def test_unpublished_topic_areas_stay_out_of_register_exports_and_result_page(client, register):
    draft_topic = TopicAreaPageFactory(
        parent=register["schools"].get_parent(), title="Entwurfsthema", live=False
    )
    register["eakte"].topic_areas.add(draft_topic)
    register["eakte"].save()
    index = register["index"]

    for url in (index.url, index.url + "export/csv/", index.url + "export/json/"):
        assert "Entwurfsthema" not in client.get(url).content.decode(), url
    assert "Entwurfsthema" not in client.get(register["eakte"].url).content.decode()


# --- the result page ----------------------------------------------------------------------------


@pytest.fixture
def result(register):
    page = register["eakte"]
    page.summary = "Die E-Akte kommt in drei Stufen."
    page.body = [("paragraph", "<p>Stufe eins betrifft das Bürgerbüro.</p>")]
    page.easy_language_summary = "Die Stadt führt Akten am Computer."
    meetings = MeetingIndexPageFactory(parent=register["index"].get_parent())
    page.source_meetings.set(
        [MeetingPageFactory(parent=meetings, title="3. Sitzung der AG Digitalisierung")]
    )
    page.save_revision().publish()
    ConsultationFactory(
        result=page,
        body=CouncilBodyFactory(name="Verwaltungsausschuss"),
        date=datetime.date(2024, 9, 18),
        sort_order=0,
        role=Consultation.Role.PRELIMINARY,
        outcome="Einstimmig empfohlen.",
    )
    ConsultationFactory(
        result=page,
        body=CouncilBodyFactory(name="Ältestenrat"),
        date=datetime.date(2024, 10, 2),
        sort_order=1,
        is_public=False,
        role=Consultation.Role.DECISION,
        outcome="Vertraulich beraten.",
    )
    ResultAttachmentFactory(result=page, title="Stufenplan")
    intern = Collection.get_first_root_node().add_child(name="AG intern")
    restriction = CollectionViewRestriction.objects.create(
        collection=intern, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get_or_create(name=MEMBERS_GROUP)[0])
    ResultAttachmentFactory(
        result=page, document=DocumentFactory(title="Interne Kalkulation", collection=intern)
    )
    return page


def consultation_rows(client, page):
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    table = soup.find(id="consultations-heading").find_next("table")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in table.tbody("tr")]
    return headers, rows


def test_result_page_shows_summary_body_attachments_meetings_and_easy_language(client, result):
    content = client.get(result.url).content.decode()

    for text in (
        "<h1>E-Akte</h1>",
        "Beschlussempfehlung",
        result.reference,
        "01.09.2024",
        "beschlossen",
        "Die E-Akte kommt in drei Stufen.",
        "Stufe eins betrifft das Bürgerbüro.",
        "In Leichter Sprache",
        "Die Stadt führt Akten am Computer.",
        "Stufenplan",
        "3. Sitzung der AG Digitalisierung",
    ):
        assert text in content, text


def test_easy_language_section_only_when_the_editors_wrote_one(client, register):
    assert "In Leichter Sprache" not in client.get(register["wlan"].url).content.decode()


def test_beratungsfolge_hides_a_non_public_outcome_from_the_public(client, result):
    headers, rows = consultation_rows(client, result)

    assert headers == ["Gremium", "Termin", "Öffentlichkeit", "Zuständigkeit", "Ergebnis"]
    assert rows == [
        [
            "Verwaltungsausschuss",
            "18.09.2024",
            "öffentlich",
            "Vorberatung",
            "Einstimmig empfohlen.",
        ],
        [
            "Ältestenrat",
            "02.10.2024",
            "nicht öffentlich",
            "Zuständigkeit und Ergebnis werden nicht veröffentlicht.",
        ],
    ]
    content = client.get(result.url).content.decode()
    assert "Vertraulich beraten." not in content
    assert "Interne Kalkulation" not in content


def test_beratungsfolge_in_full_for_ag_members(result):
    member = Client()
    member.force_login(UserFactory(groups=[MEMBERS_GROUP]))

    _headers, rows = consultation_rows(member, result)

    assert rows[1] == [
        "Ältestenrat",
        "02.10.2024",
        "nicht öffentlich",
        "Entscheidung",
        # Marked for members (the badge, with its meaning for screen readers).
        "nicht öffentlich – nur für Mitglieder der Arbeitsgruppe, nicht weitergeben "
        "Vertraulich beraten.",
    ]
    assert "Interne Kalkulation" in member.get(result.url).content.decode()


# --- nested topic areas -------------------------------------------------------------------------


@pytest.fixture
def nested(register):
    """„Grundschulen“ nested in „Schulen“, with a result tagged with the sub-area only and one
    tagged with both."""
    primary = TopicAreaPageFactory(parent=register["schools"], title="Grundschulen")
    only_sub = ResultPageFactory(
        parent=register["index"],
        title="Tafeln für Grundschulen",
        result_date=datetime.date(2024, 7, 1),
    )
    only_sub.topic_areas.set([primary])
    only_sub.save()
    register["wlan"].topic_areas.add(primary)
    register["wlan"].save()
    return {**register, "primary": primary}


def test_topic_filter_includes_the_results_of_nested_topic_areas(client, nested):
    url = nested["index"].url
    schools = f"?topic={nested['schools'].pk}"
    expected = [
        "Tafeln für Grundschulen",
        "Tablets für Lehrkräfte",
        "WLAN an Schulen",
        "OZG-Strategie",
    ]

    # Tagged with „Schulen“ and „Grundschulen“, „WLAN an Schulen“ is still listed once.
    assert titles_on(client, url + schools) == expected
    assert export_titles(client, url + "export/csv/", schools) == expected
    assert export_titles(client, url + "export/json/", schools) == expected
    assert titles_on(client, f"{url}?topic={nested['primary'].pk}") == [
        "Tafeln für Grundschulen",
        "WLAN an Schulen",
    ]
    assert titles_on(client, f"{url}?topic={nested['admin'].pk}") == ["E-Akte", "OZG-Strategie"]


def test_topic_choices_show_the_nesting(client, nested):
    soup = BeautifulSoup(client.get(nested["index"].url).content, "html.parser")

    options = {o["value"]: o.get_text() for o in soup.select("#id_topic option")}
    assert options[str(nested["schools"].pk)] == "Schulen"
    assert options[str(nested["primary"].pk)] == "\u2003Grundschulen"


def test_consultation_without_outcome_says_whether_it_is_still_to_come(client, result):
    ConsultationFactory(
        result=result,
        body=CouncilBodyFactory(name="Stadtrat"),
        date=datetime.date.today() + datetime.timedelta(days=30),
        sort_order=2,
        outcome="",
    )
    ConsultationFactory(
        result=result,
        body=CouncilBodyFactory(name="Bürgermeisterberatung"),
        date=datetime.date(2024, 8, 20),
        sort_order=3,
        outcome="",
    )

    _headers, rows = consultation_rows(client, result)

    assert rows[2][0] == "Stadtrat" and rows[2][-1] == "Die Beratung steht noch bevor."
    assert rows[3][0] == "Bürgermeisterberatung"
    assert rows[3][-1] == "Noch kein Ergebnis eingetragen."
