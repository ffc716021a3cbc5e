"""The founding paper's rules for the AG's composition, on the model and in the admin.

One chair, one vice chair, one HR and one controlling seat, one representative per faction –
held one after the other, never at once; deputies belong to their principal's faction; a
faction only for faction roles, a principal only for deputies, a topic only for guests.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Revision

from tests.factories import (
    FactionFactory,
    MemberFactory,
    TopicAreaIndexPageFactory,
    TopicAreaPageFactory,
)
from workgroup.models import Member

pytestmark = pytest.mark.django_db

Role = Member.Role
D = datetime.date

SEAT_TAKEN = "ist im selben Zeitraum bereits mit"
FACTION_REQUIRED = "Vertreter/innen und Stellvertreter/innen brauchen eine Fraktion."
FACTION_FORBIDDEN = "Nur Vertreter/innen und Stellvertreter/innen gehören einer Fraktion an."
DEPUTY_OTHER_FACTION = (
    "Ein/e Stellvertreter/in gehört derselben Fraktion an wie die vertretene Person."
)
PRINCIPAL_ONLY_FOR_DEPUTIES = "Nur Stellvertreter/innen vertreten jemanden."
TOPIC_ONLY_FOR_GUESTS = "Ein Themenfeld gibt es nur für themenbezogene Gäste."
END_BEFORE_START = "Das Ende der Mitgliedschaft darf nicht vor ihrem Beginn liegen."


def clean_errors(member):
    """The message_dict of member.full_clean(), or {} when it passes."""
    try:
        member.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


def new_member(**kwargs):
    """An unsaved member with sensible defaults, like an editor's new entry."""
    kwargs.setdefault("name", "Neue Person")
    kwargs.setdefault("start_date", D(2024, 1, 1))
    return Member(**kwargs)


@pytest.fixture
def topic(site_root):
    return TopicAreaPageFactory(parent=TopicAreaIndexPageFactory(parent=site_root))


# --- single seats: chair, vice chair, HR, controlling -------------------------------------------


@pytest.mark.parametrize("role", Member.SINGLE_SEAT_ROLES)
def test_single_seat_cannot_be_held_twice_at_once(role):
    MemberFactory(role=role, name="Bisherige Besetzung", start_date=D(2022, 6, 1))

    errors = clean_errors(new_member(role=role, start_date=D(2024, 1, 1)))

    assert SEAT_TAKEN in errors["role"][0]
    assert "Bisherige Besetzung" in errors["role"][0]


@pytest.mark.parametrize("role", Member.SINGLE_SEAT_ROLES)
def test_single_seat_can_be_held_one_after_the_other(role):
    MemberFactory(role=role, start_date=D(2022, 6, 1), end_date=D(2023, 12, 31))

    assert clean_errors(new_member(role=role, start_date=D(2024, 1, 1))) == {}


def test_successor_may_also_be_entered_before_the_predecessor_in_time():
    MemberFactory(role=Role.CHAIR, start_date=D(2024, 1, 1))

    earlier = new_member(role=Role.CHAIR, start_date=D(2022, 6, 1), end_date=D(2023, 12, 31))

    assert clean_errors(earlier) == {}


def test_seats_overlap_when_handover_is_on_the_same_day():
    MemberFactory(role=Role.CHAIR, start_date=D(2022, 6, 1), end_date=D(2024, 1, 1))

    errors = clean_errors(new_member(role=Role.CHAIR, start_date=D(2024, 1, 1)))

    assert SEAT_TAKEN in errors["role"][0]


def test_open_ended_membership_without_dates_blocks_the_seat():
    MemberFactory(role=Role.VICE_CHAIR, start_date=None, end_date=None)

    errors = clean_errors(new_member(role=Role.VICE_CHAIR, start_date=D(2030, 1, 1)))

    assert SEAT_TAKEN in errors["role"][0]


def test_a_member_does_not_block_its_own_seat_when_edited():
    chair = MemberFactory(role=Role.CHAIR)
    chair.function_title = "Koordinator Digitalisierung"

    assert clean_errors(chair) == {}


def test_different_single_seats_do_not_block_each_other():
    MemberFactory(role=Role.CHAIR)
    MemberFactory(role=Role.STAFF_HR)

    assert clean_errors(new_member(role=Role.VICE_CHAIR)) == {}
    assert clean_errors(new_member(role=Role.STAFF_CONTROLLING)) == {}


def test_guests_have_no_seat_limit():
    MemberFactory(role=Role.GUEST)

    assert clean_errors(new_member(role=Role.GUEST)) == {}


# --- faction seats ------------------------------------------------------------------------------


def test_one_representative_per_faction_at_a_time():
    faction = FactionFactory()
    MemberFactory(role=Role.REPRESENTATIVE, faction=faction)

    errors = clean_errors(new_member(role=Role.REPRESENTATIVE, faction=faction))

    assert SEAT_TAKEN in errors["role"][0]


def test_representatives_of_different_factions_coexist():
    MemberFactory(role=Role.REPRESENTATIVE, faction=FactionFactory())

    assert clean_errors(new_member(role=Role.REPRESENTATIVE, faction=FactionFactory())) == {}


def test_representatives_of_one_faction_may_follow_each_other():
    faction = FactionFactory()
    MemberFactory(role=Role.REPRESENTATIVE, faction=faction, end_date=D(2023, 12, 31))

    assert clean_errors(new_member(role=Role.REPRESENTATIVE, faction=faction)) == {}


def test_a_faction_may_name_several_deputies():
    faction = FactionFactory()
    MemberFactory(role=Role.DEPUTY, faction=faction)

    assert clean_errors(new_member(role=Role.DEPUTY, faction=faction)) == {}


def test_deputy_belongs_to_the_principals_faction():
    principal = MemberFactory(role=Role.REPRESENTATIVE, faction=FactionFactory())

    errors = clean_errors(
        new_member(role=Role.DEPUTY, faction=FactionFactory(), principal=principal)
    )

    assert errors["principal"] == [DEPUTY_OTHER_FACTION]


def test_deputy_of_the_same_faction_is_valid():
    principal = MemberFactory(role=Role.REPRESENTATIVE, faction=FactionFactory())

    deputy = new_member(role=Role.DEPUTY, faction=principal.faction, principal=principal)

    assert clean_errors(deputy) == {}


def test_principal_must_be_a_representative():
    faction = FactionFactory()
    other_deputy = MemberFactory(role=Role.DEPUTY, faction=faction)

    errors = clean_errors(new_member(role=Role.DEPUTY, faction=faction, principal=other_deputy))

    assert "principal" in errors


@pytest.mark.parametrize("role", Member.FACTION_ROLES)
def test_faction_roles_need_a_faction(role):
    errors = clean_errors(new_member(role=role))

    assert errors["faction"] == [FACTION_REQUIRED]


@pytest.mark.parametrize(
    "role", [Role.CHAIR, Role.VICE_CHAIR, Role.STAFF_HR, Role.STAFF_CONTROLLING, Role.GUEST]
)
def test_other_roles_have_no_faction(role):
    errors = clean_errors(new_member(role=role, faction=FactionFactory()))

    assert errors["faction"] == [FACTION_FORBIDDEN]


@pytest.mark.parametrize("role", [Role.REPRESENTATIVE, Role.CHAIR, Role.GUEST])
def test_only_deputies_have_a_principal(role):
    faction = FactionFactory()
    principal = MemberFactory(role=Role.REPRESENTATIVE, faction=faction)
    member = new_member(
        role=role, faction=faction if role in Member.FACTION_ROLES else None, principal=principal
    )

    errors = clean_errors(member)

    assert errors["principal"] == [PRINCIPAL_ONLY_FOR_DEPUTIES]


def test_guest_topic_only_for_guests(topic):
    errors = clean_errors(new_member(role=Role.STAFF_HR, guest_topic=topic))

    assert errors["guest_topic"] == [TOPIC_ONLY_FOR_GUESTS]


def test_guest_with_topic_is_valid(topic):
    assert clean_errors(new_member(role=Role.GUEST, guest_topic=topic)) == {}


def test_end_date_not_before_start_date():
    errors = clean_errors(new_member(role=Role.GUEST, end_date=D(2023, 12, 31)))

    assert errors["end_date"] == [END_BEFORE_START]


def test_membership_of_a_single_day_is_valid():
    assert clean_errors(new_member(role=Role.GUEST, end_date=D(2024, 1, 1))) == {}


# --- the same rules through the Wagtail admin snippet forms -------------------------------------

ADD_URL = "wagtailsnippets_workgroup_member:add"
EDIT_URL = "wagtailsnippets_workgroup_member:edit"


def form_data(action="publish", **fields):
    """The POST data of the member form as an editor submits it (dates typed the German way).

    action: "publish" presses „Veröffentlichen“; "draft" the default „Entwurf speichern“ button,
    which sends no action key.
    """
    data = {
        "name": "Neue Person",
        "function_title": "",
        "role": Role.GUEST,
        "faction": "",
        "principal": "",
        "guest_topic": "",
        "start_date": "01.01.2024",
        "end_date": "",
        "email": "",
    }
    data.update({key: "" if value is None else value for key, value in fields.items()})
    if action == "publish":
        data["action-publish"] = "action-publish"
    return data


def assert_rejected(response, message, typed=()):
    """The form comes back (200) with the German message and the editor's input kept."""
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    for value in typed:
        assert f'value="{value}"' in content, value


def test_admin_add_form_offers_the_fields_the_rules_refer_to(admin_client):
    response = admin_client.get(reverse(ADD_URL))

    assert response.status_code == 200
    content = response.content.decode()
    for field in ("name", "role", "faction", "principal", "guest_topic", "start_date", "end_date"):
        assert f'name="{field}"' in content, field
    assert 'name="action-publish"' in content


@pytest.mark.parametrize("action", ["publish", "draft"])
def test_admin_saves_a_valid_member(admin_client, action):
    """The control case: the same form data without a broken rule is saved."""
    response = admin_client.post(
        reverse(ADD_URL), form_data(action=action, name="Gast Kreisschülerrat")
    )

    assert response.status_code == 302
    member = Member.objects.get(name="Gast Kreisschülerrat")
    assert member.start_date == D(2024, 1, 1)
    assert member.live is (action == "publish")


@pytest.mark.parametrize("action", ["publish", "draft"])
def test_admin_rejects_a_second_chair(admin_client, action):
    MemberFactory(role=Role.CHAIR, name="Steffen Zenner", start_date=D(2022, 4, 1))

    response = admin_client.post(
        reverse(ADD_URL), form_data(action=action, name="Zweiter Vorsitz", role=Role.CHAIR)
    )

    assert_rejected(response, SEAT_TAKEN, typed=["Zweiter Vorsitz", "01.01.2024"])
    assert "Steffen Zenner" in response.content.decode()
    assert Member.objects.count() == 1


def test_admin_accepts_a_new_chair_after_the_old_one_ended(admin_client):
    MemberFactory(role=Role.CHAIR, start_date=D(2022, 4, 1), end_date=D(2023, 12, 31))

    response = admin_client.post(reverse(ADD_URL), form_data(name="Neuer Vorsitz", role=Role.CHAIR))

    assert response.status_code == 302
    assert Member.objects.filter(role=Role.CHAIR).count() == 2


@pytest.mark.parametrize("role", [Role.VICE_CHAIR, Role.STAFF_HR, Role.STAFF_CONTROLLING])
def test_admin_rejects_a_second_holder_of_a_single_seat(admin_client, role):
    MemberFactory(role=role)

    response = admin_client.post(reverse(ADD_URL), form_data(name="Doppelt", role=role))

    assert_rejected(response, SEAT_TAKEN, typed=["Doppelt"])
    assert Member.objects.count() == 1


def test_admin_rejects_a_second_representative_of_a_faction(admin_client):
    representative = MemberFactory(role=Role.REPRESENTATIVE, faction=FactionFactory())

    response = admin_client.post(
        reverse(ADD_URL),
        form_data(
            name="Zweite Vertretung",
            role=Role.REPRESENTATIVE,
            faction=representative.faction.pk,
        ),
    )

    assert_rejected(response, SEAT_TAKEN, typed=["Zweite Vertretung"])
    assert Member.objects.count() == 1


def test_admin_rejects_a_deputy_of_another_faction(admin_client):
    principal = MemberFactory(role=Role.REPRESENTATIVE, faction=FactionFactory())
    other_faction = FactionFactory()

    response = admin_client.post(
        reverse(ADD_URL),
        form_data(
            name="Falsche Stellvertretung",
            role=Role.DEPUTY,
            faction=other_faction.pk,
            principal=principal.pk,
        ),
    )

    assert_rejected(response, DEPUTY_OTHER_FACTION, typed=["Falsche Stellvertretung"])
    assert not Member.objects.filter(role=Role.DEPUTY).exists()


@pytest.mark.parametrize("role", Member.FACTION_ROLES)
def test_admin_rejects_a_faction_role_without_faction(admin_client, role):
    response = admin_client.post(reverse(ADD_URL), form_data(name="Ohne Fraktion", role=role))

    assert_rejected(response, FACTION_REQUIRED, typed=["Ohne Fraktion"])
    assert not Member.objects.exists()


def test_admin_rejects_a_faction_for_the_chair(admin_client):
    faction = FactionFactory()

    response = admin_client.post(
        reverse(ADD_URL),
        form_data(name="Vorsitz mit Fraktion", role=Role.CHAIR, faction=faction.pk),
    )

    assert_rejected(response, FACTION_FORBIDDEN, typed=["Vorsitz mit Fraktion"])
    assert not Member.objects.exists()


def test_admin_rejects_a_principal_for_a_guest(admin_client):
    principal = MemberFactory(role=Role.REPRESENTATIVE, faction=FactionFactory())

    response = admin_client.post(
        reverse(ADD_URL), form_data(name="Gast", role=Role.GUEST, principal=principal.pk)
    )

    assert_rejected(response, PRINCIPAL_ONLY_FOR_DEPUTIES, typed=["Gast"])
    assert Member.objects.count() == 1


def test_admin_rejects_a_guest_topic_for_a_non_guest(admin_client, topic):
    response = admin_client.post(
        reverse(ADD_URL),
        form_data(name="Controlling", role=Role.STAFF_CONTROLLING, guest_topic=topic.pk),
    )

    assert_rejected(response, TOPIC_ONLY_FOR_GUESTS, typed=["Controlling"])
    assert not Member.objects.exists()


def test_admin_rejects_an_end_before_the_start(admin_client):
    response = admin_client.post(
        reverse(ADD_URL),
        form_data(name="Rückwärts", start_date="01.06.2024", end_date="31.05.2024"),
    )

    assert_rejected(response, END_BEFORE_START, typed=["Rückwärts", "01.06.2024", "31.05.2024"])
    assert not Member.objects.exists()


def test_admin_edit_cannot_reopen_an_ended_chair_over_the_successor(admin_client):
    old_chair = MemberFactory(
        role=Role.CHAIR, name="Alter Vorsitz", start_date=D(2022, 4, 1), end_date=D(2023, 12, 31)
    )
    MemberFactory(role=Role.CHAIR, name="Neuer Vorsitz", start_date=D(2024, 1, 1))
    revisions_before = Revision.objects.count()

    response = admin_client.post(
        reverse(EDIT_URL, args=[old_chair.pk]),
        form_data(name="Alter Vorsitz", role=Role.CHAIR, start_date="01.04.2022", end_date=""),
    )

    assert_rejected(response, SEAT_TAKEN, typed=["Alter Vorsitz", "01.04.2022"])
    assert "Neuer Vorsitz" in response.content.decode()
    old_chair.refresh_from_db()
    assert old_chair.end_date == D(2023, 12, 31)
    assert Revision.objects.count() == revisions_before


def test_admin_edit_saves_a_valid_change(admin_client):
    """The control case for the edit form: a change that breaks no rule is published."""
    chair = MemberFactory(role=Role.CHAIR, start_date=D(2022, 4, 1))

    response = admin_client.post(
        reverse(EDIT_URL, args=[chair.pk]),
        form_data(name=chair.name, role=Role.CHAIR, start_date="01.04.2022", end_date="31.12.2025"),
    )

    assert response.status_code == 302
    chair.refresh_from_db()
    assert chair.end_date == D(2025, 12, 31)
