"""Whether each faction has named one representative and at least one deputy (founding paper:
by 31.05.2022) – as a status, in the admin dashboard and on the public members page."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from tests.factories import FactionFactory, MemberFactory, MembersPageFactory
from workgroup.models import NOMINATION_DEADLINE, Member, NominationStatus

pytestmark = pytest.mark.django_db

Role = Member.Role
D = datetime.date
ON = D(2024, 3, 1)

LABEL_COMPLETE = "vollständig benannt"
LABEL_REPRESENTATIVE_MISSING = "Vertreter/in fehlt"
LABEL_DEPUTY_MISSING = "Stellvertreter/in fehlt"
LABEL_BOTH_MISSING = "Vertreter/in und Stellvertreter/in fehlen"


def representative(faction, **kwargs):
    return MemberFactory(role=Role.REPRESENTATIVE, faction=faction, **kwargs)


def deputy(faction, **kwargs):
    return MemberFactory(role=Role.DEPUTY, faction=faction, **kwargs)


# --- the status ---------------------------------------------------------------------------------


def test_faction_with_representative_and_deputy_is_complete():
    faction = FactionFactory()
    rep = representative(faction)
    dep = deputy(faction)

    status = faction.nomination_status(ON)

    assert status.code == NominationStatus.COMPLETE
    assert status.is_complete
    assert str(status.label) == LABEL_COMPLETE
    assert status.representatives == [rep]
    assert status.deputies == [dep]


def test_faction_with_only_deputies_misses_its_representative():
    faction = FactionFactory()
    deputy(faction)
    deputy(faction)

    status = faction.nomination_status(ON)

    assert status.code == NominationStatus.REPRESENTATIVE_MISSING
    assert not status.is_complete
    assert str(status.label) == LABEL_REPRESENTATIVE_MISSING
    assert len(status.deputies) == 2


def test_faction_with_only_a_representative_misses_its_deputy():
    faction = FactionFactory()
    representative(faction)

    status = faction.nomination_status(ON)

    assert status.code == NominationStatus.DEPUTY_MISSING
    assert str(status.label) == LABEL_DEPUTY_MISSING


def test_faction_without_anyone_misses_both():
    status = FactionFactory().nomination_status(ON)

    assert status.code == NominationStatus.BOTH_MISSING
    assert str(status.label) == LABEL_BOTH_MISSING
    assert status.representatives == []
    assert status.deputies == []


def test_other_factions_members_do_not_count():
    faction = FactionFactory()
    other = FactionFactory()
    representative(other)
    deputy(other)

    assert faction.nomination_status(ON).code == NominationStatus.BOTH_MISSING


def test_only_members_serving_on_the_date_count():
    faction = FactionFactory()
    representative(faction, start_date=D(2022, 6, 1), end_date=D(2023, 12, 31))
    deputy(faction, start_date=D(2024, 6, 1))

    assert faction.nomination_status(D(2023, 12, 31)).code == NominationStatus.DEPUTY_MISSING
    assert faction.nomination_status(ON).code == NominationStatus.BOTH_MISSING
    assert faction.nomination_status(D(2024, 6, 1)).code == (
        NominationStatus.REPRESENTATIVE_MISSING
    )


def test_only_live_members_count():
    faction = FactionFactory()
    representative(faction, live=False)
    deputy(faction)

    assert faction.nomination_status(ON).code == NominationStatus.REPRESENTATIVE_MISSING


def test_status_defaults_to_today():
    faction = FactionFactory()
    representative(faction, start_date=D(2022, 6, 1))

    status = faction.nomination_status()

    assert status.code == NominationStatus.DEPUTY_MISSING
    assert status.on_date == timezone.localdate()


def test_status_is_overdue_only_after_the_deadline():
    faction = FactionFactory()
    representative(faction, start_date=D(2022, 5, 1))

    assert D(2022, 5, 31) == NOMINATION_DEADLINE
    assert not faction.nomination_status(D(2022, 5, 31)).is_overdue
    assert faction.nomination_status(D(2022, 6, 1)).is_overdue
    assert faction.nomination_status(D(2022, 6, 1)).deadline == NOMINATION_DEADLINE


def test_complete_faction_is_never_overdue():
    faction = FactionFactory()
    representative(faction, start_date=D(2022, 5, 1))
    deputy(faction, start_date=D(2022, 5, 1))

    assert not faction.nomination_status(D(2030, 1, 1)).is_overdue


# --- all active factions ------------------------------------------------------------------------


def test_for_active_factions_leaves_out_inactive_and_unpublished_factions():
    active = FactionFactory(name="CDU")
    FactionFactory(name="Aufgelöste Fraktion", is_active=False)
    FactionFactory(name="Entwurf Fraktion", live=False)

    statuses = NominationStatus.for_active_factions(ON)

    assert [s.faction for s in statuses] == [active]


def test_for_active_factions_counts_only_live_members_serving_on_the_date():
    faction = FactionFactory()
    representative(faction, live=False)
    deputy(faction, end_date=D(2023, 12, 31))
    deputy(faction)

    [status] = NominationStatus.for_active_factions(ON)

    assert status.code == NominationStatus.REPRESENTATIVE_MISSING
    assert len(status.deputies) == 1


def test_for_active_factions_gives_each_faction_its_own_status():
    complete = FactionFactory(name="A-Fraktion")
    representative(complete)
    deputy(complete)
    FactionFactory(name="B-Fraktion")

    statuses = {s.faction.name: s.code for s in NominationStatus.for_active_factions(ON)}

    assert statuses == {
        "A-Fraktion": NominationStatus.COMPLETE,
        "B-Fraktion": NominationStatus.BOTH_MISSING,
    }


# --- where editors and the public see it --------------------------------------------------------


def composition_panel(response):
    soup = BeautifulSoup(response.content, "html.parser")
    panel = soup.find(id="ag-composition-content")
    assert panel is not None, "the composition panel is missing from the dashboard"
    rows = {}
    for row in panel.find("tbody").find_all("tr"):
        cells = [cell.get_text(strip=True) for cell in row.find_all("td")]
        if len(cells) == 4:
            name, representatives, deputies, label = cells
            rows[name] = (representatives, deputies, label)
    return rows


def test_dashboard_panel_shows_each_active_faction_with_its_status(admin_client, site_root):
    complete = FactionFactory(name="Fraktion CDU")
    representative(complete)
    deputy(complete)
    deputy(FactionFactory(name="Fraktion SPD/Initiative/Grüne"))
    representative(FactionFactory(name="Fraktion AfD"))
    FactionFactory(name="Fraktion Die Linke")
    FactionFactory(name="Fraktion außer Dienst", is_active=False)

    response = admin_client.get("/admin/")

    assert response.status_code == 200
    assert composition_panel(response) == {
        "Fraktion CDU": ("1", "1", LABEL_COMPLETE),
        "Fraktion SPD/Initiative/Grüne": ("0", "1", LABEL_REPRESENTATIVE_MISSING),
        "Fraktion AfD": ("1", "0", LABEL_DEPUTY_MISSING),
        "Fraktion Die Linke": ("0", "0", LABEL_BOTH_MISSING),
    }
    assert "31.05.2022" in response.content.decode()


def test_dashboard_panel_says_when_no_faction_exists(admin_client, site_root):
    response = admin_client.get("/admin/")

    assert composition_panel(response) == {}
    assert "Es sind noch keine Fraktionen erfasst." in response.content.decode()


def test_members_page_shows_each_active_factions_status(client, site_root):
    page = MembersPageFactory(parent=site_root)
    complete = FactionFactory(name="Fraktion CDU")
    representative(complete, name="Vera Vertreterin")
    deputy(complete, name="Stefan Stellvertreter")
    representative(FactionFactory(name="Fraktion FDP"), name="Rita Redlich")
    FactionFactory(name="Fraktion außer Dienst", is_active=False)

    response = client.get(page.url)

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    statuses = {
        heading.get_text(strip=True): heading.find_next_sibling("p").get_text(" ", strip=True)
        for heading in soup.find(id="factions-heading").parent.find_all("h3")
    }
    assert statuses == {
        "Fraktion CDU": f"Benennung: {LABEL_COMPLETE}",
        "Fraktion FDP": f"Benennung: {LABEL_DEPUTY_MISSING}",
    }
    text = soup.get_text(" ")
    for name in ("Vera Vertreterin", "Stefan Stellvertreter", "Rita Redlich"):
        assert name in text
    assert "Fraktion außer Dienst" not in response.content.decode()


def test_members_page_leaves_out_members_who_left_or_are_unpublished(client, site_root):
    page = MembersPageFactory(parent=site_root)
    faction = FactionFactory(name="Fraktion CDU")
    representative(faction, name="Ehemalige Vertreterin", end_date=D(2023, 12, 31))
    deputy(faction, name="Entwurf Stellvertreter", live=False)
    MemberFactory(role=Role.CHAIR, name="Steffen Zenner")

    response = client.get(page.url)

    html = response.content.decode()
    text = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
    assert "Steffen Zenner" in text
    assert "Ehemalige Vertreterin" not in html
    assert "Entwurf Stellvertreter" not in html
    assert f"Benennung: {LABEL_BOTH_MISSING}" in text
