"""Malformed workflow-action data: the editor's approve and reject buttons post their extra data
as JSON, which Wagtail parses and passes on to the task without a check. A hand-crafted or
corrupted request gets a German 400, never a 500, and changes nothing."""

import json

import pytest
from django.urls import reverse
from wagtail.models import Revision, TaskState

from tests import moderation_support as support
from tests.moderation_support import (
    draft_member,
    draft_result,
    fresh,
    login,
    member_form,
    member_url,
    result_form,
    submit,
)

# The shared fixtures, visible to this module's tests.
roles, people, result_index = support.roles, support.people, support.result_index

MALFORMED = {
    "not_json": "{comment: 'ok'",
    "empty": "",
    "list": json.dumps([{"comment": "ok"}]),
    "string": json.dumps("ok"),
    "number": "42",
    "null": "null",
    "unknown_key": json.dumps({"comment": "ok", "user": 1}),
    "comment_not_a_string": json.dumps({"comment": ["ok"]}),
    "comment_a_number": json.dumps({"comment": 7}),
    "null_character": json.dumps({"comment": "ok\u0000"}),
    "deeply_nested": "[" * 100_000 + "]" * 100_000,
}


def waiting(target, people, result_index):
    """An object submitted by the author, its editor's form and the editor's address."""
    if target == "page":
        obj = draft_result(result_index, people["author"])
        submit(obj, people["author"])
        return obj, result_form(obj), reverse("wagtailadmin_pages:edit", args=[obj.pk])
    obj = draft_member(people["author"])
    submit(obj, people["author"])
    return obj, member_form(fresh(obj)), member_url("edit", obj.pk)


def revisions_of(obj):
    return Revision.objects.for_instance(obj).count()


@pytest.mark.parametrize("target", ["page", "member"])
@pytest.mark.parametrize("action", ["approve", "reject"])
@pytest.mark.parametrize("shape", MALFORMED)
def test_malformed_extra_data_answers_400_and_changes_nothing(
    client, people, result_index, target, action, shape
):
    obj, data, url = waiting(target, people, result_index)
    task_state = obj.current_workflow_task_state
    revisions = revisions_of(obj)
    login(client, people["coordinator"])
    data.update(
        {
            "action-workflow-action": "1",
            "workflow-action-name": action,
            "workflow-action-extra-data": MALFORMED[shape],
        }
    )
    response = client.post(url, data)

    assert response.status_code == 400
    assert "Freigabeaktion" in response.content.decode()
    assert revisions_of(obj) == revisions
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert not fresh(obj).live


@pytest.mark.parametrize("target", ["page", "member"])
def test_well_formed_extra_data_still_approves(client, people, result_index, target):
    obj, data, url = waiting(target, people, result_index)
    login(client, people["coordinator"])
    data.update(
        {
            "action-workflow-action": "1",
            "workflow-action-name": "approve",
            "workflow-action-extra-data": json.dumps({"comment": "Passt."}),
        }
    )
    assert client.post(url, data).status_code == 302
    assert fresh(obj).live


@pytest.mark.parametrize("target", ["page", "member"])
def test_a_rejection_without_its_comment_answers_400(client, people, result_index, target):
    obj, data, url = waiting(target, people, result_index)
    login(client, people["coordinator"])
    data.update(
        {
            "action-workflow-action": "1",
            "workflow-action-name": "reject",
            "workflow-action-extra-data": json.dumps({"comment": "  "}),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Bitte begründen Sie, was geändert werden soll." in response.content.decode()
    assert fresh(obj).workflow_in_progress


# --- The dashboard's workflow action views ------------------------------------------------------


def action_url(obj, action, task_state_pk):
    if hasattr(obj, "snippet_viewset"):
        return member_url("workflow_action", obj.pk, action, task_state_pk)
    return reverse("wagtailadmin_pages:workflow_action", args=[obj.pk, action, task_state_pk])


@pytest.mark.parametrize("target", ["page", "member"])
@pytest.mark.parametrize("xhr", [False, True])
@pytest.mark.parametrize(
    ("action", "post"),
    [
        ("approve", {"comment": "ok\u0000"}),
        ("reject", {}),
        ("reject", {"comment": ["", " "]}),
        ("approve", {"comment": "x" * 100_000, "user": "1", "action_name": "reject"}),
        ("explode", {"comment": "ok"}),
    ],
)
def test_the_workflow_action_view_never_fails_on_bad_data(
    client, people, result_index, target, xhr, action, post
):
    obj, _, _ = waiting(target, people, result_index)
    task_state = obj.current_workflow_task_state
    login(client, people["coordinator"])
    headers = {"X-Requested-With": "XMLHttpRequest"} if xhr else {}
    response = client.post(action_url(obj, action, task_state.pk), post, headers=headers)
    assert response.status_code < 500
    task_state.refresh_from_db()
    if "user" in post:
        # Fields the form does not know are dropped; the long comment is a valid comment.
        assert task_state.status == TaskState.STATUS_APPROVED
    else:
        assert task_state.status == TaskState.STATUS_IN_PROGRESS
        assert not fresh(obj).live


@pytest.mark.parametrize("target", ["page", "member"])
def test_the_workflow_action_view_with_an_unknown_task_state(client, people, result_index, target):
    obj, _, _ = waiting(target, people, result_index)
    login(client, people["coordinator"])
    response = client.post(action_url(obj, "approve", 999_999), {"comment": ""})
    assert response.status_code == 404
    assert fresh(obj).workflow_in_progress
