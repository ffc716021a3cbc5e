"""Rules for the AG's meetings: a meeting ends after it starts; an absent member is represented
only by a deputy of the same faction – on the model and through the admin page form."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.text import slugify
from wagtail.models import Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from tests.factories import (
    FactionFactory,
    MeetingIndexPageFactory,
    MeetingPageFactory,
    MemberFactory,
)
from tests.scenarios import aware
from workgroup.models import Attendance, MeetingPage, Member

pytestmark = pytest.mark.django_db

Role = Member.Role
Status = Attendance.Status

END_NOT_AFTER_START = "Das Ende der Sitzung muss nach ihrem Beginn liegen."
SUBSTITUTE_MISSING = "Bitte geben Sie an, wer das Mitglied vertreten hat."
SUBSTITUTE_OTHER_FACTION = "Vertreten kann nur ein/e Stellvertreter/in derselben Fraktion."
SUBSTITUTE_WITHOUT_REPRESENTED = "Eine Vertretung gibt es nur bei der Teilnahme „vertreten“."


def clean_errors(obj):
    try:
        obj.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


@pytest.fixture
def meeting_index(site_root):
    return MeetingIndexPageFactory(parent=site_root)


@pytest.fixture
def meeting(meeting_index):
    return MeetingPageFactory(
        parent=meeting_index,
        title="3. Sitzung",
        start=aware(2025, 3, 10, 16, 0),
        end=aware(2025, 3, 10, 18, 0),
    )


@pytest.fixture
def cdu():
    faction = FactionFactory(name="Fraktion CDU")
    representative = MemberFactory(
        role=Role.REPRESENTATIVE, faction=faction, name="Vera Vertreterin"
    )
    deputy = MemberFactory(
        role=Role.DEPUTY, faction=faction, principal=representative, name="Dora Deputy"
    )
    return faction, representative, deputy


@pytest.fixture
def spd_deputy():
    return MemberFactory(role=Role.DEPUTY, faction=FactionFactory(), name="Sven Stellvertreter")


# --- meeting times ------------------------------------------------------------------------------


def test_meeting_end_before_start_is_rejected(meeting):
    meeting.end = aware(2025, 3, 10, 15, 0)

    assert clean_errors(meeting)["end"] == [END_NOT_AFTER_START]


def test_meeting_end_equal_to_start_is_rejected(meeting):
    meeting.end = meeting.start

    assert clean_errors(meeting)["end"] == [END_NOT_AFTER_START]


def test_meeting_without_end_or_with_later_end_is_valid(meeting):
    assert clean_errors(meeting) == {}
    meeting.end = None
    assert clean_errors(meeting) == {}


# --- attendance and representation --------------------------------------------------------------


def attendance(meeting, member, status, substitute=None):
    return Attendance(meeting=meeting, member=member, status=status, substitute=substitute)


def test_represented_needs_a_substitute(meeting, cdu):
    _faction, representative, _deputy = cdu

    errors = clean_errors(attendance(meeting, representative, Status.REPRESENTED))

    assert errors["substitute"] == [SUBSTITUTE_MISSING]


def test_represented_by_a_deputy_of_the_same_faction_is_valid(meeting, cdu):
    _faction, representative, deputy = cdu

    assert clean_errors(attendance(meeting, representative, Status.REPRESENTED, deputy)) == {}


def test_deputy_of_another_faction_cannot_represent(meeting, cdu, spd_deputy):
    _faction, representative, _deputy = cdu

    errors = clean_errors(attendance(meeting, representative, Status.REPRESENTED, spd_deputy))

    assert errors["substitute"] == [SUBSTITUTE_OTHER_FACTION]


def test_member_without_faction_cannot_be_represented_by_a_deputy(meeting, cdu):
    _faction, _representative, deputy = cdu
    chair = MemberFactory(role=Role.CHAIR)

    errors = clean_errors(attendance(meeting, chair, Status.REPRESENTED, deputy))

    assert errors["substitute"] == [SUBSTITUTE_OTHER_FACTION]


def test_substitute_must_be_a_deputy(meeting, cdu):
    faction, representative, _deputy = cdu
    former = MemberFactory(
        role=Role.REPRESENTATIVE,
        faction=faction,
        start_date=datetime.date(2022, 6, 1),
        end_date=datetime.date(2022, 12, 31),
    )
    representative.start_date = datetime.date(2023, 1, 1)
    representative.save()

    errors = clean_errors(attendance(meeting, representative, Status.REPRESENTED, former))

    assert "substitute" in errors


@pytest.mark.parametrize("status", [Status.PRESENT, Status.EXCUSED, Status.ABSENT])
def test_substitute_only_when_represented(meeting, cdu, status):
    _faction, representative, deputy = cdu

    errors = clean_errors(attendance(meeting, representative, status, deputy))

    assert errors["substitute"] == [SUBSTITUTE_WITHOUT_REPRESENTED]


@pytest.mark.parametrize("status", [Status.PRESENT, Status.EXCUSED, Status.ABSENT])
def test_other_statuses_without_substitute_are_valid(meeting, cdu, status):
    _faction, representative, _deputy = cdu

    assert clean_errors(attendance(meeting, representative, status)) == {}


# --- through the admin page form ----------------------------------------------------------------


def meeting_form(title="4. Sitzung", start="10.03.2025 16:00", end="10.03.2025 18:00", **extra):
    """The meeting page form's POST data, as the editor's browser sends it on „Veröffentlichen“."""
    data = {
        "title": title,
        "slug": slugify(title),
        "number": "4",
        "start": start,
        "end": end,
        "location": "",
        "status": MeetingPage.Status.PLANNED,
        "is_public": "on",
        "agenda_items": inline_formset([]),
        "attendances": inline_formset([]),
        "invitation": "",
        "minutes": "",
        "body": streamfield([]),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "action-publish": "action-publish",
    }
    data.update(extra)
    return nested_form_data(data)


def add_url(meeting_index):
    return reverse("wagtailadmin_pages:add", args=["workgroup", "meetingpage", meeting_index.pk])


def test_admin_creates_a_valid_meeting_with_a_representation(admin_client, meeting_index, cdu):
    """The control case: the same form data, correct, is published."""
    _faction, representative, deputy = cdu

    response = admin_client.post(
        add_url(meeting_index),
        meeting_form(
            attendances=inline_formset(
                [
                    {
                        "member": representative.pk,
                        "status": Status.REPRESENTED,
                        "substitute": deputy.pk,
                    }
                ]
            )
        ),
    )

    assert response.status_code == 302
    meeting = MeetingPage.objects.get(title="4. Sitzung")
    assert meeting.live
    assert meeting.end - meeting.start == datetime.timedelta(hours=2)
    [saved] = meeting.attendances.all()
    assert (saved.member, saved.status, saved.substitute) == (
        representative,
        Status.REPRESENTED,
        deputy,
    )


def test_admin_rejects_a_new_meeting_ending_before_it_starts(admin_client, meeting_index):
    response = admin_client.post(
        add_url(meeting_index), meeting_form(start="10.03.2025 16:00", end="10.03.2025 15:00")
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert END_NOT_AFTER_START in content
    assert 'value="10.03.2025 15:00"' in content
    assert 'value="4. Sitzung"' in content
    assert not MeetingPage.objects.exists()


def test_admin_edit_cannot_move_the_end_before_the_start(admin_client, meeting):
    revisions_before = Revision.objects.count()

    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[meeting.pk]),
        meeting_form(
            title="3. Sitzung", slug=meeting.slug, start="10.03.2025 16:00", end="10.03.2025 12:00"
        ),
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert END_NOT_AFTER_START in content
    assert 'value="10.03.2025 12:00"' in content
    meeting.refresh_from_db()
    assert meeting.end == aware(2025, 3, 10, 18, 0)
    assert Revision.objects.count() == revisions_before


@pytest.mark.parametrize(
    ("status", "substitute", "message"),
    [
        (Status.REPRESENTED, None, SUBSTITUTE_MISSING),
        (Status.REPRESENTED, "spd_deputy", SUBSTITUTE_OTHER_FACTION),
        (Status.EXCUSED, "deputy", SUBSTITUTE_WITHOUT_REPRESENTED),
    ],
)
def test_admin_rejects_a_wrong_representation(
    admin_client, meeting_index, cdu, spd_deputy, status, substitute, message
):
    _faction, representative, deputy = cdu
    substitute_pk = {"deputy": deputy.pk, "spd_deputy": spd_deputy.pk, None: ""}[substitute]

    response = admin_client.post(
        add_url(meeting_index),
        meeting_form(
            attendances=inline_formset(
                [{"member": representative.pk, "status": status, "substitute": substitute_pk}]
            )
        ),
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MeetingPage.objects.exists()
    assert not Attendance.objects.exists()
