"""The four-eyes rule and the restart of a review on edit, through the admin's views."""

import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from tests import moderation_support as support
from tests.moderation_support import (
    act,
    draft_member,
    draft_result,
    edit_member,
    edit_page,
    fresh,
    live_member,
    login,
    member_form,
    member_url,
    result_form,
    submit,
)
from workgroup.models import FourEyesApprovalTask

# The shared fixtures, visible to this module's tests.
roles, people, result_index = support.roles, support.people, support.result_index


def pending(obj):
    return TaskState.objects.get(
        status=TaskState.STATUS_IN_PROGRESS,
        workflow_state__in=WorkflowState.objects.for_instance(obj),
    )


def offers_approval(client, obj):
    if hasattr(obj, "snippet_viewset"):
        url = reverse(obj.snippet_viewset.get_url_name("edit"), args=[obj.pk])
    else:
        url = reverse("wagtailadmin_pages:edit", args=[obj.pk])
    return 'data-workflow-action-name="approve"' in client.get(url).content.decode()


def test_coordinator_cannot_approve_own_page_but_vice_chair_can(client, people, result_index):
    page = draft_result(result_index, people["coordinator"])
    login(client, people["coordinator"])
    edit_page(client, page, action="submit")
    assert fresh(page).workflow_in_progress

    assert not offers_approval(client, page)
    response = act(client, page, "approve")
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert act(client, page, "approve", xhr=True).status_code == 403
    # The editor's approve button, posted anyway, only saves.
    data = result_form(page)
    data.update({"action-workflow-action": "1", "workflow-action-name": "approve"})
    client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert not fresh(page).live
    assert fresh(page).workflow_in_progress

    login(client, people["vice_chair"])
    assert offers_approval(client, page)
    act(client, page, "approve")
    assert fresh(page).live


def test_a_coordinator_submitting_learns_who_approves_instead(client, people, result_index):
    page = draft_result(result_index, people["coordinator"])
    login(client, people["coordinator"])
    edit_page(client, page, action="submit")
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert "gibt sie die andere Person der Koordination frei" in response.content.decode()


def test_the_task_itself_refuses_the_submitter_and_the_last_editor(client, people, result_index):
    """The rule lives in the task, so no view, present or future, can approve around it."""
    page = draft_result(result_index, people["coordinator"])
    submit(page, people["coordinator"])
    task_state = pending(page)
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, people["coordinator"], "approve")
    assert not fresh(page).live

    # The vice chair's edit restarts the review on the vice chair's version.
    login(client, people["vice_chair"])
    edit_page(client, page, summary="Von der Stellvertretung ergänzt.")
    task_state = pending(page)
    assert task_state.revision.user == people["vice_chair"]
    for author in ("coordinator", "vice_chair"):
        with pytest.raises(PermissionDenied):
            task_state.task.specific.on_action(task_state, people[author], "approve")
    assert not fresh(page).live

    task_state.task.specific.on_action(task_state, people["superuser"], "approve")
    assert fresh(page).summary == "Von der Stellvertretung ergänzt."


def test_an_own_submission_cannot_be_approved_through_another_pages_url(
    client, people, result_index
):
    """Wagtail's workflow action view checks the actions on the page in its URL but acts on
    the task state the URL names, which may be another page's."""
    own = draft_result(result_index, people["coordinator"])
    other = draft_result(result_index, people["author"])
    submit(own, people["coordinator"])
    submit(other, people["author"])
    login(client, people["coordinator"])
    url = reverse("wagtailadmin_pages:workflow_action", args=[other.pk, "approve", pending(own).pk])
    response = client.post(url, {"comment": ""}, headers={"X-Requested-With": "XMLHttpRequest"})
    assert response.status_code == 403
    assert not fresh(own).live
    assert not fresh(other).live


def test_a_stale_approval_decides_nothing(client, people, result_index):
    """The coordinator approves from a dialog opened before the vice chair's edit closed that
    review: the closed review keeps its record, and the edited version waits."""
    page = draft_result(result_index, people["author"])
    submit(page, people["author"])
    first_review = pending(page)
    login(client, people["vice_chair"])
    edit_page(client, page, summary="Von der Stellvertretung ergänzt.")
    first_review.refresh_from_db()
    closed = (first_review.status, first_review.finished_by, first_review.finished_at)
    waiting = pending(page)

    login(client, people["coordinator"])
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", first_review.pk])
    response = client.post(url, {"comment": ""}, headers={"X-Requested-With": "XMLHttpRequest"})
    assert response.status_code == 403
    first_review.refresh_from_db()
    assert (first_review.status, first_review.finished_by, first_review.finished_at) == closed
    assert pending(page) == waiting
    assert not fresh(page).live


def test_coordinator_cannot_approve_own_member_change_but_vice_chair_can(client, people):
    member = live_member(people["author"])
    login(client, people["coordinator"])
    edit_member(client, member, action="submit", function_title="Neue Funktion")
    assert not offers_approval(client, member)
    assert act(client, member, "approve", xhr=True).status_code == 403
    assert fresh(member).function_title != "Neue Funktion"

    login(client, people["vice_chair"])
    act(client, member, "approve")
    assert fresh(member).function_title == "Neue Funktion"


def test_approver_who_edits_during_review_hands_the_approval_to_the_other(
    client, people, result_index
):
    page = draft_result(result_index, people["author"])
    submit(page, people["author"])
    first_review = pending(page)
    mail.outbox.clear()

    # Editing while approving, as the editor's approve button does: the edit restarts the
    # review on the coordinator's version, which the coordinator may not approve.
    login(client, people["coordinator"])
    data = result_form(page, summary="Von der Koordination geschärft.")
    data.update(
        {
            "action-workflow-action": "1",
            "workflow-action-name": "approve",
            "workflow-action-extra-data": json.dumps({"comment": ""}),
        }
    )
    client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert not fresh(page).live
    first_review.refresh_from_db()
    assert first_review.status == TaskState.STATUS_CANCELLED
    assert pending(page).revision.user == people["coordinator"]
    assert not offers_approval(client, page)
    assert [m.to for m in mail.outbox] == [[people["vice_chair"].email]]
    assert mail.outbox[0].subject.startswith("Erneut zur Freigabe")

    login(client, people["vice_chair"])
    act(client, page, "approve")
    page = fresh(page)
    assert page.live
    assert page.summary == "Von der Koordination geschärft."


def test_saving_a_draft_during_review_restarts_only_on_changes(client, people, result_index):
    page = draft_result(result_index, people["author"])
    submit(page, people["author"])
    review = pending(page)
    login(client, people["vice_chair"])

    edit_page(client, page)
    assert pending(page) == review

    edit_page(client, page, title="Ein neuer Titel")
    assert pending(page) != review
    assert pending(page).revision.user == people["vice_chair"]
    login(client, people["coordinator"])
    act(client, page, "approve")
    assert fresh(page).live
    assert fresh(page).title == "Ein neuer Titel"


def test_editing_a_member_during_review_restarts_only_on_changes(client, people):
    member = live_member(people["author"])
    login(client, people["author"])
    edit_member(client, member, action="submit", function_title="Neue Funktion")
    review = pending(member)

    login(client, people["coordinator"])
    edit_member(client, fresh(member))
    assert pending(member) == review

    edit_member(client, fresh(member), function_title="Von der Koordination korrigiert")
    assert pending(member) != review
    assert pending(member).revision.user == people["coordinator"]
    assert act(client, member, "approve", xhr=True).status_code == 403

    login(client, people["vice_chair"])
    act(client, member, "approve")
    assert fresh(member).function_title == "Von der Koordination korrigiert"


@pytest.mark.parametrize("target", ["page", "member"])
def test_approving_from_the_editor_without_changes_publishes(client, people, result_index, target):
    """The snippet editor saves a revision before it approves; an unchanged one is no edit."""
    if target == "page":
        obj = draft_result(result_index, people["author"])
        data, url = result_form(obj), reverse("wagtailadmin_pages:edit", args=[obj.pk])
    else:
        obj = draft_member(people["author"])
        data, url = member_form(obj), member_url("edit", obj.pk)
    submit(obj, people["author"])
    login(client, people["coordinator"])
    data.update(
        {
            "action-workflow-action": "1",
            "workflow-action-name": "approve",
            "workflow-action-extra-data": json.dumps({"comment": "Passt."}),
        }
    )
    client.post(url, data)
    assert fresh(obj).live


def test_rejection_needs_a_comment(client, people, result_index):
    page = draft_result(result_index, people["author"])
    submit(page, people["author"])
    login(client, people["coordinator"])

    act(client, page, "reject", comment="  ")
    assert fresh(page).workflow_in_progress

    data = result_form(page)
    data.update(
        {
            "action-workflow-action": "1",
            "workflow-action-name": "reject",
            "workflow-action-extra-data": "{}",
        }
    )
    client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert fresh(page).workflow_in_progress

    act(client, page, "reject", comment="Die Beratungsfolge fehlt.")
    state = WorkflowState.objects.for_instance(page).get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES


@pytest.mark.parametrize("view", ["workflow_action", "collect_workflow_action_data"])
def test_the_rejection_dialog_asks_for_the_comment(client, people, result_index, view):
    """The dashboard's dialog and the editor's dialog both insist on a comment, in German."""
    page = draft_result(result_index, people["author"])
    submit(page, people["author"])
    login(client, people["coordinator"])
    url = reverse(f"wagtailadmin_pages:{view}", args=[page.pk, "reject", pending(page).pk])
    response = client.post(url, {"comment": ""}, headers={"X-Requested-With": "XMLHttpRequest"})
    assert "Bitte begründen Sie, was geändert werden soll." in response.json()["html"]
    assert fresh(page).workflow_in_progress


def test_editor_sees_the_requested_changes_and_resubmits(client, people, result_index):
    page = draft_result(result_index, people["editor"])
    submit(page, people["editor"])
    login(client, people["vice_chair"])
    act(client, page, "reject", comment="Bitte die Beratungsfolge ergänzen.")

    login(client, people["editor"])
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert "Bitte die Beratungsfolge ergänzen." in response.content.decode()
    assert "Iris Leitung bittet um Änderungen" in response.content.decode()

    edit_page(client, page, action="submit", summary="Mit Beratungsfolge.")
    state = WorkflowState.objects.for_instance(page).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    login(client, people["vice_chair"])
    act(client, page, "approve")
    assert fresh(page).summary == "Mit Beratungsfolge."


# --- Four eyes on authorship: who wrote the content, not who pressed "submit" -----------------


def approve_in_editor(client, obj):
    """Post the editor's approve action, as the editor's approve button does."""
    if hasattr(obj, "snippet_viewset"):
        data, url = member_form(obj), member_url("edit", obj.pk)
    else:
        data, url = result_form(obj), reverse("wagtailadmin_pages:edit", args=[obj.pk])
    data.update(
        {
            "action-workflow-action": "1",
            "workflow-action-name": "approve",
            "workflow-action-extra-data": json.dumps({"comment": ""}),
        }
    )
    return client.post(url, data)


def test_a_coordinator_cannot_approve_own_page_text_submitted_by_the_editor(
    client, people, result_index
):
    """The coordinator writes, the editor submits without a change: the content is the
    coordinator's, so the vice chair approves it."""
    page = support.live_result(result_index, people["author"])
    login(client, people["coordinator"])
    edit_page(client, page, summary="Von der Koordination geschrieben.")
    login(client, people["editor"])
    edit_page(client, fresh(page), action="submit")
    assert pending(page).revision.user == people["editor"]

    login(client, people["coordinator"])
    assert not offers_approval(client, page)
    assert act(client, page, "approve", xhr=True).status_code == 403
    approve_in_editor(client, fresh(page))
    assert fresh(page).summary != "Von der Koordination geschrieben."
    assert fresh(page).workflow_in_progress

    login(client, people["vice_chair"])
    assert offers_approval(client, page)
    act(client, page, "approve")
    assert fresh(page).live
    assert fresh(page).summary == "Von der Koordination geschrieben."


def test_a_coordinator_cannot_approve_own_member_change_submitted_by_the_editor(client, people):
    member = live_member(people["author"])
    login(client, people["coordinator"])
    edit_member(client, member, function_title="Von der Koordination geschrieben")
    login(client, people["editor"])
    edit_member(client, fresh(member), action="submit")
    assert pending(member).revision.user == people["editor"]

    login(client, people["coordinator"])
    assert not offers_approval(client, member)
    assert act(client, member, "approve", xhr=True).status_code == 403
    approve_in_editor(client, fresh(member))
    assert fresh(member).function_title != "Von der Koordination geschrieben"
    assert fresh(member).workflow_in_progress

    login(client, people["vice_chair"])
    act(client, member, "approve")
    assert fresh(member).function_title == "Von der Koordination geschrieben"


def test_the_task_refuses_whoever_wrote_a_never_published_draft(people, result_index):
    """Without a published or approved version every revision counts, the first one too."""
    page = draft_result(result_index, people["coordinator"])
    submit(page, people["editor"])
    task_state = pending(page)
    assert people["coordinator"].pk in task_state.task.specific.authors(task_state)
    with pytest.raises(PermissionDenied, match="Vier-Augen-Prinzip"):
        task_state.task.specific.on_action(task_state, people["coordinator"], "approve")
    assert not fresh(page).live


def test_an_unchanged_save_makes_nobody_an_author(client, people, result_index):
    """The coordinator saved the editor without changing anything; the text is the author's."""
    page = support.live_result(result_index, people["author"])
    login(client, people["coordinator"])
    revisions = page.revisions.count()
    edit_page(client, page)
    assert page.revisions.count() == revisions + 1
    login(client, people["author"])
    edit_page(client, fresh(page), action="submit", summary="Von der Autorin überarbeitet.")

    login(client, people["coordinator"])
    assert offers_approval(client, page)
    act(client, page, "approve")
    assert fresh(page).summary == "Von der Autorin überarbeitet."


def test_what_the_approver_wrote_before_the_live_version_does_not_count(
    client, people, result_index
):
    page = support.live_result(result_index, people["coordinator"])
    login(client, people["author"])
    edit_page(client, page, action="submit", summary="Von der Autorin überarbeitet.")

    login(client, people["coordinator"])
    assert offers_approval(client, page)
    act(client, page, "approve")
    assert fresh(page).summary == "Von der Autorin überarbeitet."


def test_an_approved_version_waiting_for_its_date_is_the_baseline(client, people, result_index):
    """The coordinator's text was approved by the vice chair and waits for its go-live date;
    what the author changes afterwards the coordinator may approve."""
    page = draft_result(result_index, people["coordinator"])
    page = page.get_latest_revision_as_object()
    page.go_live_at = support.an_hour_from_now()
    page.save_revision(user=people["coordinator"])
    submit(page, people["editor"])
    login(client, people["vice_chair"])
    act(client, page, "approve")
    assert fresh(page).scheduled_revision is not None
    assert not fresh(page).live

    page = fresh(page).get_latest_revision_as_object()
    page.summary = "Von der Autorin überarbeitet."
    page.save_revision(user=people["author"])
    submit(page, people["author"])
    task_state = pending(page)
    assert task_state.task.specific.authors(task_state) == {people["author"].pk}
    # The editor stays locked while a version waits for its date, so the dashboard's dialog.
    login(client, people["coordinator"])
    assert act(client, page, "approve", xhr=True).status_code == 200
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED


def test_the_authors_cost_one_query(people, result_index):
    page = support.live_result(result_index, people["author"])
    for user, summary in [("coordinator", "Eins."), ("editor", "Eins."), ("author", "Zwei.")]:
        page = fresh(page).get_latest_revision_as_object()
        page.summary = summary
        page.save_revision(user=people[user])
    submit(page, people["editor"])
    task_state = pending(page)
    task_state = TaskState.objects.select_related("workflow_state", "revision").get(
        pk=task_state.pk
    )
    with CaptureQueriesContext(connection) as queries:
        authors = FourEyesApprovalTask.authors(task_state)
    assert authors == {people["coordinator"].pk, people["author"].pk, people["editor"].pk}
    assert len(queries) == 1
