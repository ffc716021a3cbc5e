"""Nothing that the public website keeps back reaches the OParl API: not drafts, not what waits
for approval, not closed meetings' agendas, closed consultations, restricted pages or documents,
members' e-mail addresses or names they did not release. Not in lists, not embedded, not by id.

Every such thing carries the marker SECRET; a full crawl must not meet it anywhere.
"""

import datetime
import json

import pytest
from django.utils import timezone
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupApprovalTask,
    PageViewRestriction,
    Workflow,
    WorkflowTask,
)

from oparl.identifiers import base_url
from tests import factories
from tests.oparl.oparl_validation import Crawler, fetch
from tests.scenarios import publish
from workgroup.models import Consultation, MeetingPage, Member, ResultPage

pytestmark = pytest.mark.django_db

SECRET = "Geheimsache-7f3a"
API = "/oparl/v1/"
TZ = timezone.get_default_timezone()

CLOSED_MEETING_FIELDS = {
    "id",
    "type",
    "name",
    "meetingState",
    "cancelled",
    "start",
    "end",
    "location",
    "organization",
    "web",
    "created",
    "modified",
}


def secret_document(collection=None):
    extra = {"collection": collection} if collection else {}
    return factories.DocumentFactory(
        title=f"{SECRET} Dokument", file__filename=f"{SECRET.lower()}.pdf", **extra
    )


@pytest.fixture
def workflow():
    workflow = Workflow.objects.create(name="Freigabe")
    task = GroupApprovalTask.objects.create(name="Freigabe durch die Koordination")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


@pytest.fixture
def hidden(site_root, workflow):
    """Public content with something confidential in or next to each piece; returns the API
    paths that must not answer."""
    editor = factories.UserFactory()
    factories.CouncilBodyFactory(name="AG Digitalisierung", is_workgroup=True)
    mayor = factories.CouncilBodyFactory(
        name="Bürgermeisterberatung", sessions_public_by_default=False
    )
    council = factories.CouncilBodyFactory(name="Stadtrat")
    internal = Collection.get_first_root_node().add_child(name="Intern")
    CollectionViewRestriction.objects.create(
        collection=internal, restriction_type=CollectionViewRestriction.PASSWORD, password="x"
    )
    paths = []

    # Members: an unreleased name, an e-mail address each, a draft, a pending change.
    faction = factories.FactionFactory()
    factories.FactionFactory(name=f"{SECRET} Fraktion", live=False)
    representative = factories.MemberFactory(
        role=Member.Role.REPRESENTATIVE, faction=faction, email=f"{SECRET}@example.org"
    )
    unreleased = factories.MemberFactory(name=f"{SECRET} Name", name_is_public=False)
    draft_member = factories.MemberFactory(name=f"{SECRET} Entwurf", live=False)
    representative.name = f"{SECRET} Umbenennung"
    representative.save_revision(user=editor)
    workflow.start(representative, editor)
    for member in (unreleased, draft_member):
        paths += [f"person/{member.pk}", f"membership/workgroup/{member.pk}"]

    # Meetings: a closed item in a public meeting, a closed meeting, a pending draft.
    meetings = factories.MeetingIndexPageFactory(parent=site_root)
    public_meeting = factories.MeetingPageFactory(
        parent=meetings, invitation=secret_document(internal)
    )
    factories.AgendaItemFactory(meeting=public_meeting, title="Begrüßung", sort_order=0)
    closed_item = factories.AgendaItemFactory(
        meeting=public_meeting,
        title=f"{SECRET} TOP",
        decision=f"{SECRET} Beschluss",
        is_public=False,
        sort_order=1,
    )
    factories.AttendanceFactory(meeting=public_meeting, member=unreleased)
    publish(public_meeting)
    paths += [f"agenda-item/{closed_item.pk}", f"file/{public_meeting.invitation_id}"]

    closed_meeting = factories.MeetingPageFactory(
        parent=meetings,
        title="Sitzung ohne Öffentlichkeit",
        is_public=False,
        invitation=secret_document(),
        minutes=secret_document(),
    )
    closed_meeting_item = factories.AgendaItemFactory(
        meeting=closed_meeting, title=f"{SECRET} Tagesordnung", is_public=True
    )
    factories.AttendanceFactory(meeting=closed_meeting, member=representative)
    publish(closed_meeting)
    paths += [
        f"agenda-item/{closed_meeting_item.pk}",
        f"file/{closed_meeting.invitation_id}",
        f"file/{closed_meeting.invitation_id}/download",
        f"file/{closed_meeting.minutes_id}",
    ]

    public_meeting.agenda_items.create(title=f"{SECRET} Nachtrag", number="TOP 9", is_public=True)
    public_meeting.save_revision(user=editor)
    workflow.start(public_meeting, editor)

    # Papers: a closed consultation, a restricted attachment, drafts, review, a restricted page.
    results = factories.ResultIndexPageFactory(parent=site_root)
    paper = factories.ResultPageFactory(parent=results, title="Öffentlicher Titel")
    factories.ConsultationFactory(result=paper, body=council, sort_order=0)
    closed_consultation = factories.ConsultationFactory(
        result=paper, body=mayor, is_public=False, outcome=f"{SECRET} Ergebnis", sort_order=1
    )
    factories.ResultAttachmentFactory(result=paper)
    restricted = factories.ResultAttachmentFactory(result=paper, document=secret_document(internal))
    # The closed meeting's minutes, attached to a public paper too: still the AG's alone.
    factories.ResultAttachmentFactory(result=paper, document=closed_meeting.minutes)
    publish(paper)
    paths += [
        f"consultation/{closed_consultation.pk}",
        f"file/{restricted.document_id}",
        f"file/{restricted.document_id}/download",
    ]

    paper.title = f"{SECRET} Entwurfstitel"
    paper.summary = f"{SECRET} Zusammenfassung"
    paper.consultations.add(
        Consultation(body=council, date=datetime.date(2024, 5, 1), role="decision")
    )
    paper.save_revision(user=editor)
    workflow.start(paper, editor)

    never_published = factories.ResultPageFactory(
        parent=results, title=f"{SECRET} nie veröffentlicht", live=False
    )
    factories.ConsultationFactory(result=never_published, body=council)
    in_review = factories.ResultPageFactory(
        parent=results, title=f"{SECRET} in Freigabe", live=False
    )
    in_review.save_revision(user=editor)
    workflow.start(in_review, editor)
    draft_meeting = factories.MeetingPageFactory(
        parent=meetings,
        title=f"{SECRET} Sitzungsentwurf",
        live=False,
        is_public=False,
        invitation=secret_document(),
    )
    # A draft of a closed meeting names a document that the public paper attaches as well.
    factories.ResultAttachmentFactory(result=paper, document=draft_meeting.invitation)
    paths += [f"paper/{never_published.pk}", f"paper/{in_review.pk}", f"meeting/{draft_meeting.pk}"]
    paths += [f"file/{draft_meeting.invitation_id}", f"file/{draft_meeting.invitation_id}/download"]
    paths += [
        f"consultation/{pk}"
        for pk in Consultation.objects.filter(result=never_published).values_list("pk", flat=True)
    ]

    section = factories.StandardPageFactory(parent=site_root, title="Intern")
    PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    archive = factories.ResultIndexPageFactory(parent=section, slug="archiv")
    restricted_paper = factories.ResultPageFactory(parent=archive, title=f"{SECRET} Archiv")
    publish(restricted_paper)
    paths.append(f"paper/{restricted_paper.pk}")

    return {
        "paths": paths,
        "paper": paper,
        "public_meeting": public_meeting,
        "closed_meeting": closed_meeting,
        "representative": representative,
    }


def test_a_full_crawl_meets_no_secret(client, hidden):
    for query in ("", "?modified_since=2000-01-01T00:00:00%2B01:00"):
        crawler = Crawler(client, base_url())
        crawler.crawl(query)
        text = json.dumps(crawler.answers, ensure_ascii=False).lower()
        assert SECRET.lower() not in text
        assert "@example.org" not in text


def test_hidden_objects_do_not_answer_by_id(client, hidden):
    for path in hidden["paths"]:
        fetch(client, API + path, status=404)


def test_a_published_page_shows_its_published_state_while_a_draft_waits(client, hidden):
    paper = fetch(client, API + f"paper/{hidden['paper'].pk}")
    assert paper["name"] == "Öffentlicher Titel"
    assert [c["role"] for c in paper["consultation"]] == ["Vorberatung"]
    assert ResultPage.objects.get(pk=hidden["paper"].pk).has_unpublished_changes

    meeting = fetch(client, API + f"meeting/{hidden['public_meeting'].pk}")
    assert [item["name"] for item in meeting["agendaItem"]] == ["Begrüßung"]


def test_a_member_with_a_pending_change_shows_the_published_one(client, hidden):
    member = hidden["representative"]
    person = fetch(client, API + f"person/{member.pk}")
    assert person["name"] == Member.objects.get(pk=member.pk).name
    assert SECRET not in person["name"]


def test_a_closed_meeting_shows_only_name_time_and_place(client, hidden):
    meeting = fetch(client, API + f"meeting/{hidden['closed_meeting'].pk}")
    assert meeting["name"] == "Sitzung ohne Öffentlichkeit"
    assert set(meeting) <= CLOSED_MEETING_FIELDS
    listed = fetch(client, API + "body/1/meeting")["data"]
    assert next(m for m in listed if m["id"] == meeting["id"]) == meeting


def test_participants_are_only_people_whose_names_are_public(client, hidden):
    meeting = fetch(client, API + f"meeting/{hidden['public_meeting'].pk}")
    assert "participant" not in meeting
    assert MeetingPage.objects.get(pk=hidden["public_meeting"].pk).attendances.exists()
