"""The editors' lists of members, factions, bodies and places (workgroup/wagtail_hooks.py):
menu, listing, search, filters and CSV export – which never carries an e-mail address."""

import csv
import io
import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import CouncilBodyFactory, FactionFactory, LocationFactory, MemberFactory
from workgroup.models import Member

pytestmark = pytest.mark.django_db

Role = Member.Role


def url(model, view="list", **params):
    base = reverse(f"wagtailsnippets_workgroup_{model}:{view}")
    if not params:
        return base
    return base + "?" + "&".join(f"{key}={value}" for key, value in params.items())


def listed(admin_client, model, **params):
    """The titles in the listing's results table, in order."""
    response = admin_client.get(url(model, "list_results", **params))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [cell.get_text(strip=True) for cell in soup.select("tbody td.title span[id]")]


def exported(admin_client, model, view="list_results", **params):
    """The CSV export as a list of rows (the first is the heading)."""
    response = admin_client.get(url(model, view, export="csv", **params))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    text = b"".join(response.streaming_content).decode("utf-8")
    return text, list(csv.reader(io.StringIO(text)))


@pytest.fixture
def people(db):
    cdu = FactionFactory(name="Fraktion CDU", short_name="CDU")
    spd = FactionFactory(name="Fraktion SPD/Initiative/Grüne", short_name="SPD/Ini/Grüne")
    vera = MemberFactory(
        role=Role.REPRESENTATIVE, faction=cdu, name="Vera Vertreterin", email="vera@cdu.example"
    )
    return {
        "cdu": cdu,
        "spd": spd,
        "chair": MemberFactory(
            role=Role.CHAIR,
            name="Steffen Zenner",
            function_title="Koordinator Digitalisierung",
            email="steffen.zenner@plauen.example",
        ),
        "vera": vera,
        "dora": MemberFactory(
            role=Role.DEPUTY,
            faction=cdu,
            principal=vera,
            name="Dora Deputy",
            is_expert_citizen=True,
            email="dora@cdu.example",
        ),
        "sam": MemberFactory(
            role=Role.REPRESENTATIVE, faction=spd, name="Sam Sozial", email="sam@spd.example"
        ),
    }


# --- the menu -----------------------------------------------------------------------------------


def test_menu_groups_the_ag_snippets(admin_client):
    response = admin_client.get(reverse("wagtailadmin_home"))

    soup = BeautifulSoup(response.content, "html.parser")
    props = json.loads(soup.find(id="wagtail-sidebar-props").string)
    menu = {}

    def collect(items):
        for item in items:
            if isinstance(item, dict) and item.get("_type") == "wagtail.sidebar.SubMenuItem":
                options, children = item["_args"]
                menu[options["name"]] = (options["label"], children)
            if isinstance(item, (dict, list)):
                collect(item.values() if isinstance(item, dict) else item)

    collect([props])
    label, children = menu["ag-digitalisierung"]
    assert label == "AG Digitalisierung"
    assert [(c["_args"][0]["label"], c["_args"][0]["url"]) for c in children] == [
        ("Mitglieder", url("member")),
        ("Fraktionen", url("faction")),
        ("Gremien", url("councilbody")),
        ("Sitzungsorte", url("location")),
    ]


# --- listings -----------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["member", "faction", "councilbody", "location"])
def test_listing_answers(admin_client, people, model):
    CouncilBodyFactory(name="Verwaltungsausschuss")
    LocationFactory(description="Rathaus Plauen")

    response = admin_client.get(url(model))

    assert response.status_code == 200


def test_member_listing_shows_all_members_and_their_columns(admin_client, people):
    assert sorted(listed(admin_client, "member")) == [
        "Dora Deputy",
        "Sam Sozial",
        "Steffen Zenner",
        "Vera Vertreterin",
    ]
    content = admin_client.get(url("member")).content.decode()
    assert "Koordinator Digitalisierung" in content
    assert "Fraktion CDU" in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Zenner", ["Steffen Zenner"]),
        ("Vertreterin", ["Vera Vertreterin"]),
        ("Koordinator", ["Steffen Zenner"]),
    ],
)
def test_member_search(admin_client, people, query, expected):
    assert listed(admin_client, "member", q=query) == expected


def test_member_filter_by_role(admin_client, people):
    assert sorted(listed(admin_client, "member", role=Role.REPRESENTATIVE)) == [
        "Sam Sozial",
        "Vera Vertreterin",
    ]
    assert listed(admin_client, "member", role=Role.CHAIR) == ["Steffen Zenner"]


def test_member_filter_by_faction(admin_client, people):
    assert sorted(listed(admin_client, "member", faction=people["cdu"].pk)) == [
        "Dora Deputy",
        "Vera Vertreterin",
    ]


def test_member_filter_by_expert_citizen(admin_client, people):
    assert listed(admin_client, "member", is_expert_citizen="true") == ["Dora Deputy"]


def test_member_search_and_filter_combine(admin_client, people):
    assert listed(admin_client, "member", q="Sozial", faction=people["cdu"].pk) == []
    assert listed(admin_client, "member", q="Sozial", faction=people["spd"].pk) == ["Sam Sozial"]


def test_faction_listing_search_and_filter(admin_client, people):
    FactionFactory(name="Fraktion Aufgelöst", is_active=False)

    assert sorted(listed(admin_client, "faction")) == [
        "Fraktion Aufgelöst",
        "Fraktion CDU",
        "Fraktion SPD/Initiative/Grüne",
    ]
    assert listed(admin_client, "faction", q="CDU") == ["Fraktion CDU"]
    assert listed(admin_client, "faction", is_active="false") == ["Fraktion Aufgelöst"]


def test_council_body_listing_search_and_filter(admin_client):
    CouncilBodyFactory(name="Verwaltungsausschuss", short_name="VA")
    CouncilBodyFactory(name="Ältestenrat", short_name="ÄR", sessions_public_by_default=False)
    CouncilBodyFactory(name="Stadtrat", short_name="SR")

    assert sorted(listed(admin_client, "councilbody")) == [
        "Stadtrat",
        "Verwaltungsausschuss",
        "Ältestenrat",
    ]
    assert listed(admin_client, "councilbody", q="Verwaltungsausschuss") == ["Verwaltungsausschuss"]
    assert listed(admin_client, "councilbody", sessions_public_by_default="false") == [
        "Ältestenrat"
    ]


def test_location_listing_search_and_filter(admin_client):
    LocationFactory(
        description="Rathaus Plauen", room="Ratssaal", street_address="Unterer Graben 1"
    )
    LocationFactory(
        description="Neues Rathaus", room="", street_address="Klostermarkt 1", locality="Plauen"
    )
    LocationFactory(
        description="Landratsamt", room="", street_address="Postplatz 5", locality="Oelsnitz"
    )

    assert listed(admin_client, "location", q="Klostermarkt") == ["Neues Rathaus"]
    assert listed(admin_client, "location", q="Landratsamt") == ["Landratsamt"]
    assert listed(admin_client, "location", locality="Oelsnitz") == ["Landratsamt"]


# --- CSV export ---------------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["list", "list_results"])
def test_member_export_has_every_member_and_no_email(admin_client, people, view):
    text, rows = exported(admin_client, "member", view=view)

    heading, *data = rows
    assert heading == [
        "Name",
        "Funktion",
        "Rolle in der AG",
        "Fraktion",
        "Vertritt",
        "Sachkundige/r Einwohner/in",
        "Mitglied seit",
        "Mitglied bis",
        "Name darf veröffentlicht werden",
    ]
    by_name = {row[0]: row for row in data}
    assert sorted(by_name) == ["Dora Deputy", "Sam Sozial", "Steffen Zenner", "Vera Vertreterin"]
    assert by_name["Dora Deputy"][3:5] == ["Fraktion CDU", "Vera Vertreterin"]
    assert by_name["Steffen Zenner"][1] == "Koordinator Digitalisierung"
    assert "@" not in text
    for member in Member.objects.all():
        assert member.email and member.email not in text


def test_member_export_follows_the_filter(admin_client, people):
    _text, rows = exported(admin_client, "member", faction=people["spd"].pk)

    assert [row[0] for row in rows[1:]] == ["Sam Sozial"]


def test_member_export_follows_the_search(admin_client, people):
    _text, rows = exported(admin_client, "member", q="Zenner")

    assert [row[0] for row in rows[1:]] == ["Steffen Zenner"]


def test_faction_body_and_location_exports(admin_client, people):
    CouncilBodyFactory(name="Verwaltungsausschuss", short_name="VA")
    LocationFactory(description="Rathaus Plauen", room="Ratssaal", postal_code="08523")

    _text, factions = exported(admin_client, "faction")
    assert sorted(row[:2] for row in factions[1:]) == [
        ["Fraktion CDU", "CDU"],
        ["Fraktion SPD/Initiative/Grüne", "SPD/Ini/Grüne"],
    ]
    _text, bodies = exported(admin_client, "councilbody")
    assert [row[:2] for row in bodies[1:]] == [["Verwaltungsausschuss", "VA"]]
    _text, locations = exported(admin_client, "location")
    assert [row[:2] + row[3:4] for row in locations[1:]] == [
        ["Rathaus Plauen", "Ratssaal", "08523"]
    ]


def test_export_file_names(admin_client, people):
    for model, filename in [
        ("member", "mitglieder"),
        ("faction", "fraktionen"),
        ("councilbody", "gremien"),
        ("location", "sitzungsorte"),
    ]:
        response = admin_client.get(url(model, "list_results", export="csv"))
        assert response["Content-Disposition"] == f'attachment; filename="{filename}.csv"'
