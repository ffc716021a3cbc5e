"""Synchronisation: `modified` follows every change, embedded objects included, and whatever
leaves the API answers as deleted and shows up under `modified_since`."""

import datetime
import io
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import override_settings
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
)

from oparl.models import Observation, Tombstone
from oparl.signals import record_configuration
from tests import factories
from tests.oparl.oparl_validation import Validator, fetch
from tests.scenarios import publish
from workgroup import models

pytestmark = pytest.mark.django_db

API = "/oparl/v1/"
HOUR = datetime.timedelta(hours=1)


def backdate(delta=HOUR):
    """Moves every recorded time into the past, so that a test's changes stand out by time."""
    Page.objects.update(
        first_published_at=F("first_published_at") - delta,
        last_published_at=F("last_published_at") - delta,
        latest_revision_created_at=F("latest_revision_created_at") - delta,
    )
    for model in (
        models.AgendaItem,
        models.Consultation,
        models.CouncilBody,
        models.Faction,
        models.Location,
        models.Member,
    ):
        model.objects.update(created_at=F("created_at") - delta, updated_at=F("updated_at") - delta)
    get_document_model().objects.update(created_at=F("created_at") - delta)
    Observation.objects.update(
        first_seen=F("first_seen") - delta, last_changed=F("last_changed") - delta
    )
    Tombstone.objects.update(created=F("created") - delta, deleted_at=F("deleted_at") - delta)


def since(moment):
    """The filter value for a moment, to the second as clients read times."""
    text = timezone.localtime(moment).replace(microsecond=0).isoformat()
    return quote(text, safe="")


def listed(client, list_name, **filters):
    """{id: object} of every object of a list, across its pages."""
    query = "&".join(f"{name}={value}" for name, value in filters.items())
    url = API + f"body/1/{list_name}?{query}"
    objects = {}
    while url:
        page = fetch(client, url)
        objects.update({obj["id"]: obj for obj in page["data"]})
        url = page["links"].get("next")
    return objects


def url(kind_path, pk):
    return f"http://testserver/oparl/v1/{kind_path}/{pk}"


def assert_deleted(client, object_url, after):
    answer = fetch(client, object_url)
    assert answer["deleted"] is True
    assert set(answer) == {"id", "type", "created", "modified", "deleted"}
    assert answer["id"] == object_url
    assert datetime.datetime.fromisoformat(answer["modified"]) >= after.replace(microsecond=0)
    Validator("http://testserver/oparl/v1/").check_object(answer)


@pytest.fixture
def world(site_root):
    """A public paper with a public and a closed consultation and two attachments, a public
    meeting with a public and a closed item, invitation and location, and two members."""
    workgroup = factories.CouncilBodyFactory(name="AG Digitalisierung", is_workgroup=True)
    council = factories.CouncilBodyFactory(name="Stadtrat")
    results = factories.ResultIndexPageFactory(parent=site_root)
    paper = factories.ResultPageFactory(parent=results)
    public_consultation = factories.ConsultationFactory(result=paper, body=council, sort_order=0)
    closed_consultation = factories.ConsultationFactory(
        result=paper, body=workgroup, is_public=False, sort_order=1
    )
    main = factories.ResultAttachmentFactory(result=paper, sort_order=0).document
    aux = factories.ResultAttachmentFactory(result=paper, sort_order=1).document
    publish(paper)

    location = factories.LocationFactory()
    meetings = factories.MeetingIndexPageFactory(parent=site_root)
    invitation = factories.DocumentFactory()
    meeting = factories.MeetingPageFactory(
        parent=meetings, location=location, invitation=invitation
    )
    public_item = factories.AgendaItemFactory(meeting=meeting, sort_order=0)
    closed_item = factories.AgendaItemFactory(meeting=meeting, sort_order=1, is_public=False)
    publish(meeting)

    faction = factories.FactionFactory()
    representative = factories.MemberFactory(
        role=models.Member.Role.REPRESENTATIVE, faction=faction
    )
    guest = factories.MemberFactory()
    return locals()


def test_unpublishing_buries_the_paper_and_what_it_embedded(client, world):
    paper = world["paper"]
    backdate()
    moment = timezone.now()
    paper.unpublish()

    paper_url = url("paper", paper.pk)
    consultation_url = url("consultation", world["public_consultation"].pk)
    file_urls = {url("file", world["main"].pk), url("file", world["aux"].pk)}
    for object_url in (paper_url, consultation_url, *file_urls):
        assert_deleted(client, object_url, moment)
    # What was never public leaves no trace.
    fetch(client, API + f"consultation/{world['closed_consultation'].pk}", status=404)

    assert paper_url not in listed(client, "paper")
    synchronised = listed(client, "paper", modified_since=since(moment))
    assert synchronised[paper_url]["deleted"] is True
    assert set(listed(client, "consultation", modified_since=since(moment))) == {consultation_url}
    assert set(listed(client, "file", modified_since=since(moment))) == file_urls
    # Deleted objects appear only to clients that synchronise.
    assert not listed(client, "consultation")


def test_modified_since_finds_a_paper_after_its_republication(client, world):
    paper = world["paper"]
    paper.unpublish()
    backdate()
    moment = timezone.now()
    assert url("paper", paper.pk) not in listed(client, "paper", modified_since=since(moment))

    publish(paper)
    found = listed(client, "paper", modified_since=since(moment))[url("paper", paper.pk)]
    assert "deleted" not in found and found["name"] == paper.title
    assert datetime.datetime.fromisoformat(found["modified"]) >= moment.replace(microsecond=0)
    # Its consultation and files are back as well.
    consultations = listed(client, "consultation", modified_since=since(moment - HOUR * 2))
    assert "deleted" not in consultations[url("consultation", world["public_consultation"].pk)]


def test_deleting_a_meeting_buries_it_and_its_agenda(client, world):
    meeting = world["meeting"]
    moment = timezone.now()
    Page.objects.get(pk=meeting.pk).delete()
    assert_deleted(client, url("meeting", meeting.pk), moment)
    assert_deleted(client, url("agenda-item", world["public_item"].pk), moment)
    assert_deleted(client, url("file", world["invitation"].pk), moment)
    fetch(client, API + f"agenda-item/{world['closed_item'].pk}", status=404)
    deleted = listed(client, "meeting", modified_since=since(moment))
    assert deleted[url("meeting", meeting.pk)]["deleted"] is True


def test_deleting_a_page_that_was_never_public_leaves_no_trace(client, site_root):
    results = factories.ResultIndexPageFactory(parent=site_root)
    draft = factories.ResultPageFactory(parent=results, live=False)
    draft.save_revision()
    pk = draft.pk
    Page.objects.get(pk=pk).delete()
    fetch(client, API + f"paper/{pk}", status=404)
    assert not Tombstone.objects.exists()


@pytest.mark.parametrize("removal", ["delete", "unpublish", "withdraw_consent"])
def test_a_removed_member_answers_deleted(client, world, removal):
    member = world["representative"]
    urls = [
        url("person", member.pk),
        url("membership/workgroup", member.pk),
        url("membership/faction", member.pk),
    ]
    assert set(urls) <= set(listed(client, "person")) | set(listed(client, "membership"))
    moment = timezone.now()
    if removal == "delete":
        member.delete()
    elif removal == "unpublish":
        member.unpublish()
    else:
        member.name_is_public = False
        member.save_revision().publish()

    for object_url in urls:
        assert_deleted(client, object_url, moment)
    assert url("person", member.pk) not in listed(client, "person")
    synchronised = listed(client, "membership", modified_since=since(moment))
    assert {object_url for object_url, obj in synchronised.items() if obj.get("deleted")} == set(
        urls[1:]
    )


def test_an_unpublished_faction_takes_its_memberships_along(client, world):
    faction, member = world["faction"], world["representative"]
    backdate()
    moment = timezone.now()
    faction.unpublish()
    assert_deleted(client, url("organization/faction", faction.pk), moment)
    assert_deleted(client, url("membership/faction", member.pk), moment)
    person = listed(client, "person", modified_since=since(moment))[url("person", member.pk)]
    assert [m["id"] for m in person["membership"]] == [url("membership/workgroup", member.pk)]
    assert "onBehalfOf" not in person["membership"][0]


def test_closing_an_agenda_item_buries_it_and_changes_its_meeting(client, world):
    meeting = models.MeetingPage.objects.get(pk=world["meeting"].pk)
    backdate()
    moment = timezone.now()
    items = list(meeting.agenda_items.all())
    items[0].is_public = False
    meeting.agenda_items = items
    publish(meeting)

    assert_deleted(client, url("agenda-item", items[0].pk), moment)
    changed = listed(client, "meeting", modified_since=since(moment))
    assert "agendaItem" not in changed[url("meeting", meeting.pk)]


def test_closing_a_meeting_keeps_its_name_and_buries_its_agenda_and_files(client, world):
    meeting = world["meeting"]
    moment = timezone.now()
    meeting.is_public = False
    publish(meeting)
    answer = fetch(client, API + f"meeting/{meeting.pk}")
    assert "deleted" not in answer and answer["name"] == meeting.title
    assert "agendaItem" not in answer and "invitation" not in answer
    assert_deleted(client, url("agenda-item", world["public_item"].pk), moment)
    assert_deleted(client, url("file", world["invitation"].pk), moment)


def test_a_view_restriction_buries_the_pages_below_it(client, world):
    moment = timezone.now()
    PageViewRestriction.objects.create(
        page=world["results"], restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    assert_deleted(client, url("paper", world["paper"].pk), moment)
    assert_deleted(client, url("consultation", world["public_consultation"].pk), moment)
    assert_deleted(client, url("file", world["main"].pk), moment)
    assert not listed(client, "paper")


def test_moving_a_meeting_into_a_restricted_section_buries_it(client, world, site_root):
    archive_section = factories.StandardPageFactory(parent=site_root)
    PageViewRestriction.objects.create(
        page=archive_section, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    archive = factories.MeetingIndexPageFactory(parent=archive_section, slug="archiv")
    moment = timezone.now()
    Page.objects.get(pk=world["meeting"].pk).move(archive, pos="last-child")
    assert_deleted(client, url("meeting", world["meeting"].pk), moment)
    assert_deleted(client, url("agenda-item", world["public_item"].pk), moment)


def test_a_restricted_collection_hides_its_documents(client, world):
    backdate()
    moment = timezone.now()
    internal = Collection.get_first_root_node().add_child(name="Intern")
    CollectionViewRestriction.objects.create(
        collection=internal, restriction_type=CollectionViewRestriction.PASSWORD, password="x"
    )
    document = world["aux"]
    document.collection = internal
    document.save()

    assert_deleted(client, url("file", document.pk), moment)
    fetch(client, API + f"file/{document.pk}/download", status=404)
    paper = listed(client, "paper", modified_since=since(moment))[url("paper", world["paper"].pk)]
    assert "auxiliaryFile" not in paper and paper["mainFile"]["id"] == url("file", world["main"].pk)

    # A restriction on a collection hides what is already in it.
    moment = timezone.now()
    CollectionViewRestriction.objects.create(
        collection=world["main"].collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="y",
    )
    assert_deleted(client, url("file", world["main"].pk), moment)
    assert "mainFile" not in fetch(client, API + f"paper/{world['paper'].pk}")


def test_a_changed_document_changes_its_file_and_the_paper_embedding_it(client, world):
    backdate()
    moment = timezone.now()
    document = world["main"]
    document.title = "Beschlussvorlage (geändert)"
    document.save()

    files = listed(client, "file", modified_since=since(moment))
    assert set(files) == {url("file", document.pk)}
    assert files[url("file", document.pk)]["name"] == "Beschlussvorlage (geändert)"
    papers = listed(client, "paper", modified_since=since(moment))
    assert papers[url("paper", world["paper"].pk)]["mainFile"] == files[url("file", document.pk)]

    # Saving without a change is no change.
    backdate()
    moment = timezone.now()
    document.refresh_from_db()
    document.save()
    assert not listed(client, "file", modified_since=since(moment))


def test_a_deleted_document_is_buried_and_changes_the_paper(client, world):
    backdate()
    moment = timezone.now()
    document_url = url("file", world["aux"].pk)
    world["aux"].delete()
    assert_deleted(client, document_url, moment)
    paper = listed(client, "paper", modified_since=since(moment))[url("paper", world["paper"].pk)]
    assert "auxiliaryFile" not in paper


def test_a_changed_consultation_changes_its_paper(client, world):
    backdate()
    moment = timezone.now()
    assert not listed(client, "paper", modified_since=since(moment))
    consultation = world["public_consultation"]
    consultation.role = models.Consultation.Role.DECISION
    consultation.save()
    paper = listed(client, "paper", modified_since=since(moment))[url("paper", world["paper"].pk)]
    assert paper["consultation"][0]["authoritative"] is True
    assert paper["modified"] == paper["consultation"][0]["modified"]


def test_a_changed_or_deleted_location_changes_its_meetings(client, world):
    backdate()
    moment = timezone.now()
    location = world["location"]
    location.room = "Ratssaal"
    location.save()
    meeting_url = url("meeting", world["meeting"].pk)
    meeting = listed(client, "meeting", modified_since=since(moment))[meeting_url]
    assert meeting["location"]["room"] == "Ratssaal"

    backdate()
    moment = timezone.now()
    location_url = url("location", location.pk)
    location.delete()
    assert_deleted(client, location_url, moment)
    assert "location" not in listed(client, "meeting", modified_since=since(moment))[meeting_url]


def test_configured_objects_change_with_their_settings(client, world, settings):
    backdate()
    moment = timezone.now()
    assert not listed(client, "legislative-term", modified_since=since(moment))
    first_term = settings.OPARL_LEGISLATIVE_TERMS[0]
    with override_settings(
        OPARL_BODY={**settings.OPARL_BODY, "name": "Große Kreisstadt Plauen"},
        OPARL_LEGISLATIVE_TERMS=[first_term],
    ):
        record_configuration()
        body = fetch(client, API + "body/1")
        assert body["name"] == "Große Kreisstadt Plauen"
        assert datetime.datetime.fromisoformat(body["modified"]) >= moment.replace(microsecond=0)
        assert_deleted(client, url("legislative-term", "2024-2029"), moment)
        terms = listed(client, "legislative-term", modified_since=since(moment))
        assert list(terms) == [url("legislative-term", "2024-2029")]
        unchanged = fetch(client, API + f"legislative-term/{first_term['key']}")
        assert datetime.datetime.fromisoformat(unchanged["modified"]) < moment


def test_a_flush_records_no_configuration_that_loaded_data_would_collide_with():
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)

    assert not Observation.objects.exists()


# Objects that come back into view, or into view for the first time, must show up under
# `modified_since` too: a client that synchronised while they were hidden has nothing else to go
# by, and may hold a tombstone for them.


def test_a_document_attached_to_a_live_paper_shows_as_changed(client, world):
    older = factories.DocumentFactory()
    backdate()
    moment = timezone.now()
    paper = models.ResultPage.objects.get(pk=world["paper"].pk)
    paper.attachments.add(models.ResultAttachment(document=older, sort_order=2))
    publish(paper)

    files = listed(client, "file", modified_since=since(moment))
    assert url("file", older.pk) in files
    synchronised = listed(client, "paper", modified_since=since(moment))
    assert files[url("file", older.pk)] in synchronised[url("paper", paper.pk)]["auxiliaryFile"]


def test_a_new_invitation_shows_as_changed(client, world):
    older = factories.DocumentFactory()
    backdate()
    moment = timezone.now()
    meeting = models.MeetingPage.objects.get(pk=world["meeting"].pk)
    meeting.invitation = older
    publish(meeting)

    assert url("file", older.pk) in listed(client, "file", modified_since=since(moment))
    assert_deleted(client, url("file", world["invitation"].pk), moment)


def test_a_lifted_page_restriction_brings_the_pages_back_as_changed(client, world):
    restriction = PageViewRestriction.objects.create(
        page=world["results"], restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    backdate()
    moment = timezone.now()
    restriction.delete()

    back = {
        url("paper", world["paper"].pk): "paper",
        url("consultation", world["public_consultation"].pk): "consultation",
        url("file", world["main"].pk): "file",
    }
    for object_url, list_name in back.items():
        found = listed(client, list_name, modified_since=since(moment))[object_url]
        assert "deleted" not in found
        assert datetime.datetime.fromisoformat(found["modified"]) >= moment.replace(microsecond=0)


def test_a_lifted_collection_restriction_brings_its_documents_back_as_changed(client, world):
    restriction = CollectionViewRestriction.objects.create(
        collection=world["main"].collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="x",
    )
    backdate()
    moment = timezone.now()
    restriction.delete()

    files = listed(client, "file", modified_since=since(moment))
    assert "deleted" not in files[url("file", world["main"].pk)]
    paper = listed(client, "paper", modified_since=since(moment))[url("paper", world["paper"].pk)]
    assert paper["mainFile"] == files[url("file", world["main"].pk)]


def test_marking_and_unmarking_the_workgroup_changes_what_names_it(client, world):
    workgroup = world["workgroup"]
    workgroup.is_workgroup = False
    workgroup.save()
    meeting_url, paper_url = url("meeting", world["meeting"].pk), url("paper", world["paper"].pk)
    person_url = url("person", world["guest"].pk)
    backdate()
    moment = timezone.now()
    workgroup.is_workgroup = True
    workgroup.save()

    organization = url("organization/council-body", workgroup.pk)
    assert listed(client, "meeting", modified_since=since(moment))[meeting_url]["organization"] == [
        organization
    ]
    assert listed(client, "paper", modified_since=since(moment))[paper_url]["underDirectionOf"] == [
        organization
    ]
    person = listed(client, "person", modified_since=since(moment))[person_url]
    assert [m["organization"] for m in person["membership"]] == [organization]

    backdate()
    moment = timezone.now()
    workgroup.is_workgroup = False
    workgroup.save()
    assert (
        "organization" not in listed(client, "meeting", modified_since=since(moment))[meeting_url]
    )
    assert "membership" not in listed(client, "person", modified_since=since(moment))[person_url]
    assert_deleted(client, url("membership/workgroup", world["guest"].pk), moment)


def test_a_deleted_substitute_leaves_the_meeting_changed(client, world):
    representative = world["representative"]
    deputy = factories.MemberFactory(role=models.Member.Role.DEPUTY, faction=world["faction"])
    meeting = models.MeetingPage.objects.get(pk=world["meeting"].pk)
    meeting.attendances = [
        models.Attendance(
            member=representative, status=models.Attendance.Status.REPRESENTED, substitute=deputy
        )
    ]
    publish(meeting)
    meeting_url = url("meeting", meeting.pk)
    assert fetch(client, meeting_url)["participant"] == [url("person", deputy.pk)]
    backdate()
    moment = timezone.now()
    deputy.delete()

    assert "participant" not in listed(client, "meeting", modified_since=since(moment))[meeting_url]


def test_deleting_the_workgroup_changes_what_named_it(client, site_root):
    workgroup = factories.CouncilBodyFactory(name="AG Digitalisierung", is_workgroup=True)
    meetings = factories.MeetingIndexPageFactory(parent=site_root)
    meeting = publish(factories.MeetingPageFactory(parent=meetings))
    assert fetch(client, API + f"meeting/{meeting.pk}")["organization"]
    backdate()
    moment = timezone.now()
    workgroup.delete()

    changed = listed(client, "meeting", modified_since=since(moment))[url("meeting", meeting.pk)]
    assert "organization" not in changed


def test_closing_a_meeting_hides_its_documents_where_a_paper_attaches_them_too(client, world):
    paper = models.ResultPage.objects.get(pk=world["paper"].pk)
    paper.attachments.add(models.ResultAttachment(document=world["invitation"], sort_order=2))
    publish(paper)
    file_url = url("file", world["invitation"].pk)
    assert fetch(client, API + f"paper/{paper.pk}")["auxiliaryFile"][-1]["id"] == file_url
    backdate()
    moment = timezone.now()
    meeting = world["meeting"]
    meeting.is_public = False
    publish(meeting)

    assert_deleted(client, file_url, moment)
    changed = listed(client, "paper", modified_since=since(moment))[url("paper", paper.pk)]
    assert file_url not in [file["id"] for file in changed["auxiliaryFile"]]


def test_a_draft_meeting_naming_a_document_hides_it_until_it_goes(client, world):
    aux_url, paper_url = url("file", world["aux"].pk), url("paper", world["paper"].pk)
    backdate()
    moment = timezone.now()
    draft = factories.MeetingPageFactory(
        parent=world["meetings"], live=False, is_public=False, minutes=world["aux"]
    )
    assert_deleted(client, aux_url, moment)
    assert "auxiliaryFile" not in listed(client, "paper", modified_since=since(moment))[paper_url]

    backdate()
    moment = timezone.now()
    Page.objects.get(pk=draft.pk).delete()
    back = listed(client, "file", modified_since=since(moment))[aux_url]
    assert "deleted" not in back
    paper = listed(client, "paper", modified_since=since(moment))[paper_url]
    assert paper["auxiliaryFile"] == [back]


# --- reconciliation: what passes the model signals by --------------------------------------------


def reconcile_now():
    """A moment, then `manage.py reconcile_oparl`: what it records comes at or after the moment."""
    moment = timezone.now()
    output = io.StringIO()
    call_command("reconcile_oparl", stdout=output)
    return moment, output.getvalue()


def test_a_paper_hidden_by_a_bulk_update_answers_deleted_after_reconciliation(client, world):
    paper = world["paper"]
    assert reconcile_now()[1].startswith("Erster Abgleich:")
    # QuerySet.update() sends no signal: the eager diff never hears of it.
    models.ResultPage.objects.filter(pk=paper.pk).update(live=False)
    assert client.get(url("paper", paper.pk)).status_code == 404

    moment, output = reconcile_now()

    # The paper, its public consultation and the files of its two attachments.
    assert "4 als gelöscht gemeldet" in output
    assert_deleted(client, url("paper", paper.pk), moment)
    assert_deleted(client, url("consultation", world["public_consultation"].pk), moment)
    assert_deleted(client, url("file", world["main"].pk), moment)
    synchronised = listed(client, "paper", modified_since=since(moment))
    assert synchronised[url("paper", paper.pk)]["deleted"] is True


def test_objects_back_in_view_by_a_bulk_update_are_reported_as_changed(client, world):
    paper, guest = world["paper"], world["guest"]
    reconcile_now()
    models.ResultPage.objects.filter(pk=paper.pk).update(live=False)
    models.Member.objects.filter(pk=guest.pk).update(name_is_public=False)
    reconcile_now()
    assert_deleted(client, url("person", guest.pk), timezone.now() - HOUR)
    backdate()

    # Back, as a data load would bring them: with their old times.
    models.ResultPage.objects.filter(pk=paper.pk).update(live=True)
    models.Member.objects.filter(pk=guest.pk).update(name_is_public=True)
    moment, output = reconcile_now()

    # The paper with its consultation and two files, and the person.
    assert "5 wieder sichtbar geworden" in output
    papers = listed(client, "paper", modified_since=since(moment))
    assert "deleted" not in papers[url("paper", paper.pk)]
    persons = listed(client, "person", modified_since=since(moment))
    assert "deleted" not in persons[url("person", guest.pk)]
    files = listed(client, "file", modified_since=since(moment))
    assert "deleted" not in files[url("file", world["aux"].pk)]


def test_reconciliation_repeats_nothing_the_eager_diff_recorded(client, world):
    paper = world["paper"]
    reconcile_now()
    models.ResultPage.objects.get(pk=paper.pk).unpublish()
    buried_at = Tombstone.objects.get(kind="paper", key=str(paper.pk)).deleted_at

    _moment, output = reconcile_now()
    _moment, again = reconcile_now()

    assert "0 als gelöscht gemeldet, 0 wieder sichtbar geworden" in output
    assert "0 als gelöscht gemeldet, 0 wieder sichtbar geworden" in again
    assert Tombstone.objects.get(kind="paper", key=str(paper.pk)).deleted_at == buried_at
