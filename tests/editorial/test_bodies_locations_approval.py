"""Council bodies and meeting places go online only through the Koordination's approval, like
members and factions: drafts, revisions, locking and the four-eyes workflow, through the admin's
real views. Until approved, neither OParl nor the website names them; a live one keeps showing
its approved values while an edit waits."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState, WorkflowState

from tests import factories
from tests import moderation_support as support
from tests.moderation_support import fresh, login
from tests.oparl.oparl_validation import fetch
from workgroup import visibility
from workgroup.editorial.roles import APPROVED_SNIPPETS
from workgroup.models import CouncilBody, Location

# The shared fixtures, visible to this module's tests.
roles, people = support.roles, support.people

API = "/oparl/v1/"
TOWN_HALL = "Rathaus Plauen, Ratssaal, Unterer Graben 1, 08523 Plauen"


# --- The admin's forms, posted as the editor's browser posts them -----------------------------


def snippet_url(model, name, *args):
    return reverse(model.snippet_viewset.get_url_name(name), args=args)


def body_form(**values):
    data = {"name": "Jugendhilfeausschuss", "short_name": "JHA", **values}
    for flag, default in (("sessions_public_by_default", True), ("is_workgroup", False)):
        if data.pop(flag, default):
            data[flag] = "on"
    return data


def body_form_for(body, **changes):
    latest = body.get_latest_revision_as_object()
    fields = ("name", "short_name", "sessions_public_by_default", "is_workgroup")
    return body_form(**{**{name: getattr(latest, name) for name in fields}, **changes})


def location_form(**values):
    return {
        "description": "Malzhaus",
        "room": "Saal",
        "street_address": "Alter Teich 7",
        "postal_code": "08527",
        "locality": "Plauen",
        **values,
    }


def location_form_for(place, **changes):
    latest = place.get_latest_revision_as_object()
    fields = ("description", "room", "street_address", "postal_code", "locality")
    return location_form(**{**{name: getattr(latest, name) for name in fields}, **changes})


def create(client, model, data, action=None):
    """The create view; without an action it saves a draft, as "Entwurf speichern" does."""
    if action:
        data = {**data, f"action-{action}": action}
    return client.post(snippet_url(model, "add"), data)


def edit(client, obj, data, action=None):
    if action:
        data = {**data, f"action-{action}": action}
    return client.post(snippet_url(type(obj), "edit", obj.pk), data)


def form_for(obj, **changes):
    if isinstance(obj, CouncilBody):
        return body_form_for(obj, **changes)
    return location_form_for(obj, **changes)


def act(client, obj, action, comment=""):
    """Approve or reject through the dashboard's workflow action (the modal's form)."""
    task_state = fresh(obj).current_workflow_task_state
    url = snippet_url(type(obj), "workflow_action", obj.pk, action, task_state.pk)
    return client.post(url, {"comment": comment})


def published(obj, user):
    """Live with a published revision, as after an approval."""
    obj.save_revision(user=user).publish(user=user, skip_permission_checks=True)
    return fresh(obj)


# --- What the public sees ----------------------------------------------------------------------


def oparl_list(client, list_name):
    """{id: object} of every object of an OParl list, across its pages."""
    url = API + f"body/1/{list_name}"
    objects = {}
    while url:
        answer = fetch(client, url)
        objects.update({obj["id"]: obj for obj in answer["data"]})
        url = answer["links"].get("next")
    return objects


def organization_names(client):
    return sorted(obj["name"] for obj in oparl_list(client, "organization").values())


def location_descriptions(client):
    return sorted(obj["description"] for obj in oparl_list(client, "location").values())


def object_url(path, pk):
    return f"http://testserver{API}{path}/{pk}"


def page_text(client, page):
    client.logout()
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def world(site_root):
    """A live paper whose Beratungsfolge names the city council, and a live public meeting at a
    live place; the AG is the live body marked as such."""
    author = factories.UserFactory(username="gruender")
    workgroup = published(
        factories.CouncilBodyFactory(name="AG Digitalisierung", is_workgroup=True), author
    )
    council = published(factories.CouncilBodyFactory(name="Stadtrat"), author)
    results = factories.ResultIndexPageFactory(parent=site_root)
    paper = factories.ResultPageFactory(parent=results, title="Digitale Ratsarbeit")
    factories.ConsultationFactory(result=paper, body=council, sort_order=0)
    paper.save_revision().publish()
    town_hall = published(
        factories.LocationFactory(description="Rathaus Plauen", room="Ratssaal"), author
    )
    meetings = factories.MeetingIndexPageFactory(parent=site_root)
    meeting = factories.MeetingPageFactory(parent=meetings, location=town_hall)
    meeting.save_revision().publish()
    return {
        "home": site_root,
        "workgroup": workgroup,
        "council": council,
        "paper": fresh(paper),
        "town_hall": town_hall,
        "meetings": meetings,
        "meeting": fresh(meeting),
    }


def add_consultation(paper, body):
    """The editors add a step to the Beratungsfolge of the live paper; the page's approval is not
    what this module is about, so the step is published directly."""
    page = type(paper).objects.get(pk=paper.pk)
    page.consultations.add(
        factories.ConsultationFactory.build(body=body, date=datetime.date(2024, 5, 2), sort_order=1)
    )
    page.save_revision().publish()
    return fresh(page)


def move_meeting(meeting, place):
    page = type(meeting).objects.get(pk=meeting.pk)
    page.location = place
    page.save_revision().publish()
    return fresh(page)


# --- The break this fixes -----------------------------------------------------------------------


def test_an_editor_adding_a_body_or_a_place_publishes_neither(client, people, site_root):
    """Before, the create view saved the row and OParl listed it at once."""
    login(client, people["editor"])
    assert create(client, CouncilBody, body_form(name="Jugendhilfeausschuss")).status_code == 302
    assert create(client, Location, location_form(description="Malzhaus")).status_code == 302

    body = CouncilBody.objects.get(name="Jugendhilfeausschuss")
    place = Location.objects.get(description="Malzhaus")
    assert "Jugendhilfeausschuss" not in organization_names(client)
    assert not any("Malzhaus" in text for text in location_descriptions(client))
    assert fetch(client, object_url("organization/council-body", body.pk), status=404)
    assert fetch(client, object_url("location", place.pk), status=404)


# --- The way through the approval ---------------------------------------------------------------


def test_a_new_body_and_place_go_online_only_through_the_approval(client, people, world):
    login(client, people["editor"])
    create(client, CouncilBody, body_form(name="Jugendhilfeausschuss"))
    create(client, Location, location_form(description="Malzhaus", room="Saal"))
    body = CouncilBody.objects.get(name="Jugendhilfeausschuss")
    place = Location.objects.get(description="Malzhaus")
    assert (body.live, place.live) == (False, False)
    assert body.latest_revision.user == people["editor"]

    # Approved pages may already name them: the paper a step, the meeting its new place.
    paper = add_consultation(world["paper"], body)
    meeting = move_meeting(world["meeting"], place)

    def nothing_shown():
        assert "Jugendhilfeausschuss" not in organization_names(client)
        assert location_descriptions(client) == [TOWN_HALL]
        answer = fetch(client, API + f"paper/{paper.pk}")
        assert [step["organization"] for step in answer["consultation"]] == [
            [object_url("organization/council-body", world["council"].pk)]
        ]
        assert "location" not in fetch(client, API + f"meeting/{meeting.pk}")
        assert len(oparl_list(client, "consultation")) == 1
        assert "Jugendhilfeausschuss" not in page_text(client, paper)
        assert "Stadtrat" in page_text(client, paper)
        assert "Malzhaus" not in page_text(client, meeting)
        assert "Malzhaus" not in page_text(client, world["home"])
        calendar = client.get(meeting.url + "kalender/").content.decode()
        assert "Malzhaus" not in calendar and "LOCATION" not in calendar

    nothing_shown()

    login(client, people["editor"])
    edit(client, body, body_form_for(body), action="submit")
    edit(client, place, location_form_for(place), action="submit")
    assert fresh(body).workflow_in_progress and fresh(place).workflow_in_progress
    nothing_shown()

    login(client, people["coordinator"])
    act(client, body, "approve")
    act(client, place, "approve")
    body, place = fresh(body), fresh(place)
    assert (body.live, place.live) == (True, True)
    assert WorkflowState.objects.for_instance(body).get().status == WorkflowState.STATUS_APPROVED

    assert "Jugendhilfeausschuss" in organization_names(client)
    assert "Malzhaus, Saal, Alter Teich 7, 08527 Plauen" in location_descriptions(client)
    answer = fetch(client, API + f"paper/{paper.pk}")
    assert answer["consultation"][-1]["organization"] == [
        object_url("organization/council-body", body.pk)
    ]
    assert fetch(client, API + f"meeting/{meeting.pk}")["location"]["id"] == object_url(
        "location", place.pk
    )
    assert "Jugendhilfeausschuss" in page_text(client, paper)
    assert "Malzhaus" in page_text(client, meeting)
    assert "Malzhaus" in page_text(client, world["home"])
    assert "LOCATION:Malzhaus" in client.get(meeting.url + "kalender/").content.decode()


@pytest.mark.parametrize("model", [CouncilBody, Location])
def test_the_coordinator_who_wrote_it_cannot_approve_it(client, people, model):
    login(client, people["coordinator"])
    data = body_form() if model is CouncilBody else location_form()
    create(client, model, data)
    obj = model.objects.get()
    edit(client, obj, form_for(obj), action="submit")
    assert fresh(obj).workflow_in_progress

    act(client, obj, "approve")
    assert not fresh(obj).live
    assert fresh(obj).workflow_in_progress

    login(client, people["vice_chair"])
    act(client, obj, "approve")
    assert fresh(obj).live


@pytest.mark.parametrize("model", [CouncilBody, Location])
def test_a_rejection_keeps_it_offline(client, people, model):
    login(client, people["editor"])
    create(client, model, body_form() if model is CouncilBody else location_form())
    obj = model.objects.get()
    edit(client, obj, form_for(obj), action="submit")

    login(client, people["coordinator"])
    act(client, obj, "reject", comment="Bitte den amtlichen Namen verwenden.")
    assert not fresh(obj).live
    assert oparl_list(client, "organization" if model is CouncilBody else "location") == {}


# --- Edits of live bodies and places ------------------------------------------------------------


def test_an_edit_of_a_live_body_waits_for_the_approval(client, people, world):
    council = world["council"]
    login(client, people["editor"])
    edit(client, council, body_form_for(council, name="Stadtrat der Stadt Plauen"))
    edit(client, council, body_form_for(council, name="Stadtrat der Stadt Plauen"), "submit")

    # The row keeps the approved values; the edit waits in a revision.
    assert fresh(council).name == "Stadtrat"
    assert fresh(council).has_unpublished_changes
    assert fresh(council).get_latest_revision_as_object().name == "Stadtrat der Stadt Plauen"
    organization = fetch(client, API + f"organization/council-body/{council.pk}")
    assert organization["name"] == "Stadtrat"
    assert "Stadtrat der Stadt Plauen" not in organization_names(client)
    assert "Stadtrat der Stadt Plauen" not in page_text(client, world["paper"])
    assert "Stadtrat" in page_text(client, world["paper"])

    login(client, people["coordinator"])
    act(client, council, "approve")
    assert fetch(client, API + f"organization/council-body/{council.pk}")["name"] == (
        "Stadtrat der Stadt Plauen"
    )
    assert "Stadtrat der Stadt Plauen" in page_text(client, world["paper"])


def test_an_edit_of_a_live_place_waits_for_the_approval(client, people, world):
    town_hall, meeting = world["town_hall"], world["meeting"]
    login(client, people["editor"])
    edit(client, town_hall, location_form_for(town_hall, room="Ratsherrenzimmer"), "submit")

    assert fresh(town_hall).room == "Ratssaal"
    assert fetch(client, API + f"location/{town_hall.pk}")["room"] == "Ratssaal"
    assert fetch(client, API + f"meeting/{meeting.pk}")["location"]["room"] == "Ratssaal"
    assert "Ratssaal" in page_text(client, meeting)
    assert "Ratsherrenzimmer" not in page_text(client, meeting)

    login(client, people["coordinator"])
    act(client, town_hall, "approve")
    assert fetch(client, API + f"meeting/{meeting.pk}")["location"]["room"] == "Ratsherrenzimmer"
    assert "Ratsherrenzimmer" in page_text(client, meeting)


def test_visibility_reads_the_live_row_of_a_body_with_a_pending_edit(people, world):
    council = world["council"]
    council.name = "Entwurfsname"
    council.save_revision(user=people["editor"])

    stored = CouncilBody.objects.get(pk=council.pk)
    assert visibility.is_live_snippet(stored)
    assert list(visibility.visible_council_bodies().filter(pk=council.pk)) == [stored]
    assert stored.name == "Stadtrat"


def test_reverting_to_an_old_version_makes_a_draft(client, people, world):
    council = world["council"]
    old_revision = council.live_revision
    council.name = "Stadtrat Plauen"
    council = published(council, people["coordinator"])

    login(client, people["editor"])
    url = snippet_url(CouncilBody, "revisions_revert", council.pk, old_revision.pk)
    response = client.post(url, body_form_for(council, name="Stadtrat"))
    assert response.status_code == 302

    council = fresh(council)
    assert council.name == "Stadtrat Plauen"
    assert council.get_latest_revision_as_object().name == "Stadtrat"
    assert fetch(client, API + f"organization/council-body/{council.pk}")["name"] == (
        "Stadtrat Plauen"
    )


# --- No way around the approval -----------------------------------------------------------------


@pytest.mark.parametrize("model", [CouncilBody, Location])
def test_nobody_but_a_superuser_is_offered_or_allowed_direct_publishing(client, people, model):
    """Posted anyway, "publish" is refused or saves a draft
    (workgroup.editorial.publishing_views); only a superuser's emergency path publishes."""
    obj = (
        factories.CouncilBodyFactory(name="Ältestenrat", live=False)
        if model is CouncilBody
        else factories.LocationFactory(description="Vogtlandhalle", live=False)
    )
    obj.save_revision(user=people["author"])
    for role, allowed in [("editor", False), ("coordinator", False), ("superuser", True)]:
        login(client, people[role])
        for url in (snippet_url(model, "add"), snippet_url(model, "edit", obj.pk)):
            assert ('name="action-publish"' in client.get(url).content.decode()) is allowed, (
                role,
                url,
            )
        name = f"Neu von {role}"
        data = body_form(name=name) if model is CouncilBody else location_form(description=name)
        create(client, model, data, action="publish")
        edit(client, obj, form_for(obj), action="publish")
        assert model.objects.filter(live=True).exists() is allowed, role
        if not allowed:
            assert oparl_list(client, "organization" if model is CouncilBody else "location") == {}


def test_editors_may_not_unpublish_or_delete_but_the_coordination_may(client, people, world):
    council = world["council"]
    login(client, people["editor"])
    client.post(snippet_url(CouncilBody, "unpublish", council.pk))
    assert fresh(council).live
    assert client.get(snippet_url(CouncilBody, "delete", council.pk)).status_code in (302, 403)

    login(client, people["coordinator"])
    client.post(snippet_url(CouncilBody, "unpublish", council.pk))
    assert not fresh(council).live


def test_the_workflow_covers_every_snippet_the_public_sees(roles):
    assert {CouncilBody, Location} <= set(APPROVED_SNIPPETS)
    for model in (CouncilBody, Location):
        assert model.get_default_workflow().name == "Freigabe durch die Koordination"


# --- Unpublishing, and OParl's bookkeeping ------------------------------------------------------


def test_unpublishing_a_body_buries_it_and_its_consultations(client, people, world):
    council, paper = world["council"], world["paper"]
    consultation = paper.consultations.get()
    moment = timezone.now()

    login(client, people["coordinator"])
    client.post(snippet_url(CouncilBody, "unpublish", council.pk))

    organization = fetch(client, API + f"organization/council-body/{council.pk}")
    assert organization["deleted"] is True
    assert fetch(client, API + f"consultation/{consultation.pk}")["deleted"] is True
    answer = fetch(client, API + f"paper/{paper.pk}")
    assert "consultation" not in answer
    assert datetime.datetime.fromisoformat(answer["modified"]) >= moment.replace(microsecond=0)
    assert "Stadtrat" not in page_text(client, paper)

    # Approved again, it comes back, and with it the consultation.
    support.submit(council, people["editor"])
    login(client, people["coordinator"])
    act(client, council, "approve")
    assert fetch(client, API + f"organization/council-body/{council.pk}")["name"] == "Stadtrat"
    assert fetch(client, API + f"paper/{paper.pk}")["consultation"][0]["id"] == object_url(
        "consultation", consultation.pk
    )


def test_unpublishing_a_place_buries_it_and_takes_it_off_the_meeting(client, people, world):
    town_hall, meeting = world["town_hall"], world["meeting"]
    login(client, people["coordinator"])
    client.post(snippet_url(Location, "unpublish", town_hall.pk))

    assert fetch(client, API + f"location/{town_hall.pk}")["deleted"] is True
    assert "location" not in fetch(client, API + f"meeting/{meeting.pk}")
    assert "Ratssaal" not in page_text(client, meeting)


def test_only_an_approved_body_can_be_the_workgroup(client, people, site_root):
    meetings = factories.MeetingIndexPageFactory(parent=site_root)
    meeting = factories.MeetingPageFactory(parent=meetings)
    meeting.save_revision().publish()
    factories.MemberFactory(name="Gerda Gast")

    login(client, people["editor"])
    create(client, CouncilBody, body_form(name="AG Digitalisierung", is_workgroup=True))
    body = CouncilBody.objects.get(name="AG Digitalisierung")
    assert body.is_workgroup and not body.live
    assert "organization" not in fetch(client, API + f"meeting/{meeting.pk}")
    assert oparl_list(client, "membership") == {}

    edit(client, body, body_form_for(body), action="submit")
    login(client, people["coordinator"])
    act(client, body, "approve")
    organization = object_url("organization/council-body", body.pk)
    assert fetch(client, API + f"meeting/{meeting.pk}")["organization"] == [organization]
    memberships = oparl_list(client, "membership").values()
    assert [m["organization"] for m in memberships] == [organization]


# --- The unique constraints with drafts --------------------------------------------------------


def test_a_draft_holds_its_name_and_a_pending_rename_claims_the_new_one(client, people, world):
    login(client, people["editor"])
    # A never-published draft has its content in the row, where the constraint sees it.
    create(client, CouncilBody, body_form(name="Jugendhilfeausschuss"))
    response = create(client, CouncilBody, body_form(name="Jugendhilfeausschuss", short_name="X"))
    assert response.status_code == 200
    assert CouncilBody.objects.filter(name="Jugendhilfeausschuss").count() == 1

    # A live body's rename waits in a revision; nobody else may take that name meanwhile, or
    # the approval would fail on the constraint.
    council = world["council"]
    edit(client, council, body_form_for(council, name="Kreistag"), "submit")
    response = create(client, CouncilBody, body_form(name="Kreistag"))
    assert response.status_code == 200
    assert "wartet" in response.content.decode()
    assert not CouncilBody.objects.filter(name="Kreistag").exists()

    # Nor may another body become the AG while the AG's marking is spoken for.
    response = create(client, CouncilBody, body_form(name="Zweite AG", is_workgroup=True))
    assert response.status_code == 200
    assert not CouncilBody.objects.filter(name="Zweite AG").exists()

    login(client, people["coordinator"])
    act(client, council, "approve")
    assert fresh(council).name == "Kreistag"


# --- The admin's listings -----------------------------------------------------------------------


@pytest.mark.parametrize("model", [CouncilBody, Location])
def test_the_listing_shows_what_is_live_and_what_is_a_draft(admin_client, model):
    if model is CouncilBody:
        factories.CouncilBodyFactory(name="Stadtrat")
        factories.CouncilBodyFactory(name="Jugendhilfeausschuss", live=False)
    else:
        factories.LocationFactory(description="Rathaus Plauen")
        factories.LocationFactory(description="Malzhaus", live=False)

    response = admin_client.get(snippet_url(model, "list_results"))

    content = response.content.decode()
    assert "w-status--primary" in content  # the live one
    assert content.count("w-status") >= 2


# --- Rows from before the workflow --------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_keeps_existing_bodies_and_places_public():
    executor = MigrationExecutor(connection)
    before = [("workgroup", "0004_view_confidential_permission")]
    after = [("workgroup", "0005_bodies_locations_approval")]
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    old_apps.get_model("workgroup", "CouncilBody").objects.create(name="Stadtrat")
    old_apps.get_model("workgroup", "Location").objects.create(description="Rathaus")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new_apps = executor.loader.project_state(after).apps
    body = new_apps.get_model("workgroup", "CouncilBody").objects.get()
    place = new_apps.get_model("workgroup", "Location").objects.get()
    assert (body.live, body.has_unpublished_changes, body.latest_revision_id) == (True, False, None)
    assert (place.live, place.live_revision_id, place.locked) == (True, None, False)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_task_states_of_bodies_are_ordinary_snippet_task_states(client, people):
    """The review queue on the dashboard lists bodies and places like members."""
    login(client, people["editor"])
    create(client, Location, location_form(), action="submit")
    place = Location.objects.get()
    assert TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        workflow_state__in=WorkflowState.objects.for_instance(place),
    ).exists()
    login(client, people["vice_chair"])
    content = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Malzhaus" in content


@pytest.mark.parametrize("model", [CouncilBody, Location])
def test_a_lock_keeps_the_editors_out_until_the_coordination_frees_it(client, people, model):
    """As for members and factions, the roles hold no lock permission (editorial/roles.py):
    locks come from an administrator or the review; the Koordination may lift them."""
    obj = factories.CouncilBodyFactory() if model is CouncilBody else factories.LocationFactory()
    login(client, people["superuser"])
    client.post(snippet_url(model, "lock", obj.pk))
    assert fresh(obj).locked

    login(client, people["editor"])
    field = "name" if model is CouncilBody else "description"
    edit(client, obj, form_for(obj, **{field: "Überschrieben"}))
    assert fresh(obj).latest_revision is None
    client.post(snippet_url(model, "unlock", obj.pk))
    assert fresh(obj).locked

    login(client, people["coordinator"])
    client.post(snippet_url(model, "unlock", obj.pk))
    assert not fresh(obj).locked
