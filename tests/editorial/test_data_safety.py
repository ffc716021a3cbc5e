"""Nothing an editor typed or stored is lost: a refused edit comes back with the typed values, a
second editor's draft survives a concurrent edit, and an approval racing an edit ends in one
consistent state in which nothing unapproved is public."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision, TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from tests import moderation_support as support
from tests.factories import CouncilBodyFactory, ResultPageFactory
from tests.moderation_support import (
    act,
    edit_member,
    edit_page,
    fresh,
    live_member,
    live_result,
    login,
    member_form,
    member_url,
    result_form,
    submit,
)
from workgroup.editorial import workflow
from workgroup.models import Consultation

# The shared fixtures, visible to this module's tests.
roles, people, result_index = support.roles, support.people, support.result_index

pytestmark = pytest.mark.django_db


def page_edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


# --- a refused edit keeps what was typed ------------------------------------------------------


def typed_edit(page, body, **changes):
    """An edit that touches every kind of input the result editor has. The paragraph stays
    ASCII: the editor re-renders it inside Draftail's JSON, which escapes everything else."""
    data = result_form(
        page,
        summary="Neu getippte Zusammenfassung mit „Anführungszeichen“ & Zeichen <b>",
        **changes,
    )
    data.update(
        nested_form_data(
            {
                "body": streamfield(
                    [("paragraph", rich_text("<p>Neu getippter Absatz zum Ratsportal</p>"))]
                ),
                "consultations": inline_formset(
                    [
                        {
                            "body": body.pk,
                            "date": "13.04.2024",
                            "is_public": "on",
                            "role": Consultation.Role.DECISION,
                            "agenda_item_number": "TOP 7",
                            "outcome": "Neu getippte Beratung: einstimmig beschlossen",
                        }
                    ]
                ),
            }
        )
    )
    return data


def post_typed_edit(client, page, **changes):
    data = typed_edit(page, CouncilBodyFactory(name="Stadtrat"), **changes)
    return client.post(page_edit_url(page), data)


def assert_typed_values_kept(response):
    assert response.status_code == 200
    content = response.content.decode()
    assert "Neu getippte Zusammenfassung mit „Anführungszeichen“ &amp; Zeichen &lt;b&gt;" in content
    assert "Neu getippter Absatz zum Ratsportal" in content
    assert "Neu getippte Beratung: einstimmig beschlossen" in content
    assert 'value="TOP 7"' in content
    return content


def test_a_refused_page_edit_keeps_every_typed_value(client, people, result_index):
    taken = ResultPageFactory(parent=result_index, reference="AG-DIG/2024/0001")
    page = live_result(result_index, people["author"], reference="AG-DIG/2024/0002")
    revisions = Revision.objects.count()
    login(client, people["editor"])

    response = post_typed_edit(client, page, reference=taken.reference)

    content = assert_typed_values_kept(response)
    assert "Ergebnis mit diesem Wert für das Feld Aktenzeichen" in content
    assert 'value="AG-DIG/2024/0001"' in content
    assert Revision.objects.count() == revisions
    assert fresh(page).get_latest_revision_as_object().reference == "AG-DIG/2024/0002"


def test_an_edit_of_a_page_locked_by_someone_else_keeps_the_typed_values(
    client, people, result_index
):
    page = live_result(result_index, people["author"])
    page.locked, page.locked_by, page.locked_at = True, people["coordinator"], timezone.now()
    page.save(update_fields=["locked", "locked_by", "locked_at"])
    revisions = Revision.objects.count()
    login(client, people["editor"])

    response = post_typed_edit(client, page)

    content = assert_typed_values_kept(response)
    assert "Diese Seite konnte nicht gespeichert werden, da sie gesperrt ist." in content
    assert Revision.objects.count() == revisions


# --- two editors at once --------------------------------------------------------------------


def open_editor(client, url):
    """The editor as the browser loads it: the revision it shows and its editing session."""
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    loaded = {
        name: soup.find("input", attrs={"name": name})["value"]
        for name in ("loaded_revision_id", "loaded_revision_created_at")
    }
    session = soup.select_one("form.w-editing-sessions")
    ping = {field["name"]: field.get("value", "") for field in session.select("input[name]")}
    return loaded, session["data-w-swap-src-value"], ping


def page_target(people, result_index):
    page = live_result(result_index, people["author"], summary="Veröffentlichte Fassung")
    return (
        page,
        page_edit_url(page),
        lambda **changes: result_form(page, **changes),
        lambda client, **changes: edit_page(client, page, **changes),
    )


def member_target(people, result_index):
    member = live_member(people["author"], function_title="Veröffentlichte Fassung")
    return (
        member,
        member_url("edit", member.pk),
        lambda **changes: member_form(member, **changes),
        lambda client, **changes: edit_member(client, member, **changes),
    )


TARGETS = {"page": page_target, "member": member_target}
FIELD = {"page": "summary", "member": "function_title"}


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_a_concurrent_edit_is_announced_and_overwrites_no_draft(
    client, people, result_index, target
):
    obj, url, form, save = TARGETS[target](people, result_index)
    field = FIELD[target]
    first, second = Client(), Client()
    login(first, people["editor"])
    login(second, people["author"])
    loaded, ping_url, ping = open_editor(first, url)
    mine = {**form(**{field: "Fassung der Redaktion"}), **loaded}
    open_editor(second, url)

    # The second editor saves a draft while the first still has the editor open.
    save(second, **{field: "Entwurf der Autorin"})
    drafted = fresh(obj).latest_revision

    # The first editor's browser asks every few seconds; now it hears of the new version.
    notice = first.post(ping_url, {**ping, "is_editing": "1"}).json()
    assert [s["revision_id"] for s in notice["other_sessions"]] == [drafted.pk]
    assert "hat eine neue Version gespeichert" in notice["html"]

    # Autosave must not overwrite it: refused, in German, the draft untouched.
    response = first.post(url, mine, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.json()["error_code"] == "invalid_revision"
    assert (
        response.json()["error_message"] == "Beim Speichern wird eine neuere Version überschrieben."
    )
    assert fresh(obj).latest_revision == drafted

    # Saving on purpose (after the overwrite warning) makes a newer version; the other
    # editor's draft stays in the history, from where it can be restored.
    assert first.post(url, mine).status_code == 302
    assert getattr(fresh(obj).get_latest_revision_as_object(), field) == "Fassung der Redaktion"
    drafted.refresh_from_db()
    assert getattr(drafted.as_object(), field) == "Entwurf der Autorin"
    assert getattr(fresh(obj), field) == "Veröffentlichte Fassung"


def test_the_overwritten_draft_can_be_restored_from_the_history(client, people):
    member = live_member(people["author"], function_title="Veröffentlichte Fassung")
    login(client, people["author"])
    edit_member(client, member, function_title="Entwurf der Autorin")
    drafted = fresh(member).latest_revision
    login(client, people["editor"])
    edit_member(client, member, function_title="Fassung der Redaktion")

    url = member_url("revisions_revert", member.pk, drafted.pk)
    assert "Entwurf der Autorin" in client.get(url).content.decode()
    assert (
        client.post(url, member_form(member, function_title="Entwurf der Autorin")).status_code
        == 302
    )

    latest = fresh(member).get_latest_revision_as_object()
    assert latest.function_title == "Entwurf der Autorin"


# Wagtail saves a snippet draft with an empty required field (drafts defer required fields),
# but its revert view validated the restored draft in full: a 500 (see
# workgroup.wagtail_hooks.RestoresDraftsAsDrafts).
def test_restoring_an_incomplete_draft_is_no_500(client, people):
    member = live_member(people["author"], name="Petra Plauen")
    login(client, people["editor"])
    edit_member(client, member, name="")
    incomplete = fresh(member).latest_revision
    edit_member(client, member, name="Petra Plauen")

    url = member_url("revisions_revert", member.pk, incomplete.pk)
    response = client.post(url, member_form(member, name=""))

    assert response.status_code in (200, 302)


# --- an approval racing an edit ---------------------------------------------------------------


@pytest.fixture
def under_review(people, result_index):
    """A live result whose change the author submitted; returns the page and the first review."""
    page = live_result(
        result_index, people["author"], title="Ratsportal", summary="Veröffentlichte Fassung"
    )
    page.summary = "Eingereichte Fassung"
    page.save_revision(user=people["author"])
    submit(page, people["author"])
    return page, pending(page)


def pending(obj):
    return TaskState.objects.get(
        status=TaskState.STATUS_IN_PROGRESS,
        workflow_state__in=WorkflowState.objects.for_instance(obj),
    )


def assert_consistent(page, live_summary, pending_revision=None):
    """One state: the live page is what was approved; at most one review waits, and it waits
    on the latest version."""
    page = fresh(page)
    assert page.summary == live_summary
    assert page.live_revision.as_object().summary == live_summary
    waiting = TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        workflow_state__in=WorkflowState.objects.for_instance(page),
    )
    running = WorkflowState.objects.active().filter(pk__in=WorkflowState.objects.for_instance(page))
    if pending_revision is None:
        assert not waiting.exists()
        assert not running.exists()
    else:
        [task_state] = waiting
        assert task_state.revision == pending_revision == page.latest_revision
        assert running.get().current_task_state == task_state
    return page


def approve(client, page, task_state, user):
    login(client, user)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    return client.post(url, {"comment": ""})


def test_approving_a_version_that_was_edited_meanwhile_publishes_nothing(
    client, people, under_review
):
    page, first_review = under_review
    # The vice chair sharpens the text while the coordinator has the approval dialog open.
    # (During a review the workflow locks the page for the Redaktion; approvers may edit.)
    login(client, people["vice_chair"])
    assert edit_page(client, page, summary="Nicht freigegebene Änderung").status_code == 302
    edited = fresh(page).latest_revision

    approve(client, page, first_review, people["coordinator"])

    assert_consistent(page, "Veröffentlichte Fassung", pending_revision=edited)
    # The new version is approved on its own, and only then public.
    act(login(client, people["coordinator"]), page, "approve")
    page = assert_consistent(page, "Nicht freigegebene Änderung")
    assert page.live_revision == edited


# A stale approval must not cancel the already cancelled review once more, naming the approver
# as the one who cancelled it (FourEyesApprovalTask acts only on a review that still waits).
def test_a_stale_approval_leaves_the_cancelled_review_as_it_was(client, people, under_review):
    page, first_review = under_review
    login(client, people["vice_chair"])
    edit_page(client, page, summary="Nicht freigegebene Änderung")
    first_review.refresh_from_db()
    cancelled = (first_review.status, first_review.finished_by, first_review.finished_at)

    approve(client, page, first_review, people["coordinator"])

    first_review.refresh_from_db()
    assert (first_review.status, first_review.finished_by, first_review.finished_at) == cancelled


def test_an_edit_saved_while_the_approval_runs_is_not_published(client, people, under_review):
    """The edit's revision is stored, its after-edit hook has not run yet, and the approval of
    the version before it arrives in between."""
    page, first_review = under_review
    edited_page = fresh(page).get_latest_revision_as_object()
    edited_page.summary = "Nicht freigegebene Änderung"
    edited = edited_page.save_revision(user=people["vice_chair"])

    approve(client, page, first_review, people["coordinator"])
    assert_consistent(page, "Veröffentlichte Fassung", pending_revision=edited)
    # The edit's hook then finds the review already on its version.
    workflow.restart_review_after_edit(fresh(page), people["vice_chair"])
    assert_consistent(page, "Veröffentlichte Fassung", pending_revision=edited)

    act(login(client, people["coordinator"]), page, "approve")
    assert assert_consistent(page, "Nicht freigegebene Änderung").live_revision == edited


def test_an_edit_committed_while_the_approval_publishes_stays_a_draft(
    client, people, under_review, monkeypatch
):
    """The narrowest window: the edit commits after Wagtail found the review complete and
    before the finish action publishes. What goes online is the version the approval read."""
    page, first_review = under_review
    finish = WorkflowState.on_finish

    def edit_lands_in_between(workflow_state, user=None):
        edited = fresh(page).get_latest_revision_as_object()
        edited.summary = "Nicht freigegebene Änderung"
        edited.save_revision(user=people["vice_chair"])
        finish(workflow_state, user=user)

    monkeypatch.setattr(WorkflowState, "on_finish", edit_lands_in_between)
    approve(client, page, first_review, people["coordinator"])
    workflow.restart_review_after_edit(fresh(page), people["vice_chair"])

    page = assert_consistent(page, "Eingereichte Fassung")
    assert page.get_latest_revision_as_object().summary == "Nicht freigegebene Änderung"
    assert page.has_unpublished_changes


def test_an_edit_after_the_approval_stays_a_draft(client, people, under_review):
    page, first_review = under_review

    approve(client, page, first_review, people["coordinator"])
    login(client, people["editor"])
    edit_page(client, page, summary="Spätere Änderung")

    page = assert_consistent(page, "Eingereichte Fassung")
    assert page.has_unpublished_changes
    assert page.get_latest_revision_as_object().summary == "Spätere Änderung"


def test_a_stale_approval_of_a_member_change_publishes_nothing(client, people):
    member = live_member(people["author"], function_title="Veröffentlichte Fassung")
    login(client, people["author"])
    edit_member(client, member, action="submit", function_title="Eingereichte Fassung")
    first_review = pending(member)
    login(client, people["vice_chair"])
    edit_member(client, member, function_title="Nicht freigegebene Änderung")

    login(client, people["coordinator"])
    client.post(
        member_url("workflow_action", member.pk, "approve", first_review.pk),
        {"comment": ""},
    )

    member = fresh(member)
    assert member.function_title == "Veröffentlichte Fassung"
    assert pending(member).revision == member.latest_revision
    assert member.latest_revision.as_object().function_title == "Nicht freigegebene Änderung"
