"""Who may do what, through the admin's own views: every role against every action on a result
page and on a member snippet. Each case builds the state the action needs, posts the admin's
real form as that role, and checks the effect in the database, not the buttons."""

import pytest
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction, WorkflowState

from tests import moderation_support as support
from tests.moderation_support import (
    ROLES,
    act,
    draft_member,
    draft_result,
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
from workgroup.models import Member

# The shared fixtures, visible to this module's tests.
roles, people, result_index = support.roles, support.people, support.result_index


EDITING = {"editor", "coordinator", "vice_chair", "superuser"}
APPROVING = {"coordinator", "vice_chair", "superuser"}
TAKING_DOWN = {"coordinator", "vice_chair", "superuser"}
PUBLISHING_DIRECTLY = {"superuser"}

ALLOWED = {
    "view_draft": EDITING,
    "edit": EDITING,
    "submit": EDITING,
    "approve": APPROVING,
    "reject": APPROVING,
    "publish_directly": PUBLISHING_DIRECTLY,
    "unpublish": TAKING_DOWN,
    # Deleting live content takes it down: Wagtail ties it to the publish permission.
    "delete": TAKING_DOWN,
    "change_privacy": TAKING_DOWN,
    "bulk_publish": PUBLISHING_DIRECTLY,
    "revert_and_publish": PUBLISHING_DIRECTLY,
}
ALLOWED_ON_MEMBER = {
    **ALLOWED,
    # A member's privacy is a field of its content (whether the name is public), so changing
    # it is publishing a change, not taking content down.
    "change_privacy": PUBLISHING_DIRECTLY,
    # Wagtail offers snippets no bulk publishing at all, so there even a superuser cannot.
    "bulk_publish": set(),
}


# --- A result page ------------------------------------------------------------------------------


def page_view_draft(client, index, author):
    page = live_result(index, author)
    page.title = "Noch nicht freigegebener Titel"
    page.save_revision(user=author)
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    return response.status_code == 200 and page.title in response.content.decode()


def page_edit(client, index, author):
    page = draft_result(index, author)
    edit_page(client, page, summary="Überarbeitete Zusammenfassung")
    return fresh(page).get_latest_revision_as_object().summary == "Überarbeitete Zusammenfassung"


def page_submit(client, index, author):
    page = draft_result(index, author)
    edit_page(client, page, action="submit")
    return fresh(page).workflow_in_progress


def page_approve(client, index, author):
    page = draft_result(index, author)
    submit(page, author)
    act(client, page, "approve")
    return fresh(page).live


def page_reject(client, index, author):
    page = draft_result(index, author)
    submit(page, author)
    act(client, page, "reject", comment="Bitte die Beratungsfolge ergänzen.")
    state = WorkflowState.objects.for_instance(page).get()
    return state.status == WorkflowState.STATUS_NEEDS_CHANGES


def page_publish_directly(client, index, author):
    page = draft_result(index, author)
    edit_page(client, page, action="publish")
    return fresh(page).live


def page_unpublish(client, index, author):
    page = live_result(index, author)
    client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    return not fresh(page).live


def page_delete(client, index, author):
    page = live_result(index, author)
    client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
    return not Page.objects.filter(pk=page.pk).exists()


def page_change_privacy(client, index, author):
    page = live_result(index, author)
    client.post(
        reverse("wagtailadmin_pages:set_privacy", args=[page.pk]), {"restriction_type": "login"}
    )
    return PageViewRestriction.objects.filter(page=page).exists()


def page_bulk_publish(client, index, author):
    page = draft_result(index, author)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    client.post(f"{url}?id={page.pk}&next=/admin/", {})
    return fresh(page).live


def page_revert_and_publish(client, index, author):
    page = live_result(index, author, title="Erste Fassung")
    old_revision = page.live_revision
    page.title = "Zweite Fassung"
    page.save_revision(user=author).publish(user=author, skip_permission_checks=True)
    data = result_form(page, title="Erste Fassung")
    data["action-publish"] = "publish"
    client.post(
        reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, old_revision.pk]), data
    )
    return fresh(page).title == "Erste Fassung"


PAGE_ACTIONS = {
    "view_draft": page_view_draft,
    "edit": page_edit,
    "submit": page_submit,
    "approve": page_approve,
    "reject": page_reject,
    "publish_directly": page_publish_directly,
    "unpublish": page_unpublish,
    "delete": page_delete,
    "change_privacy": page_change_privacy,
    "bulk_publish": page_bulk_publish,
    "revert_and_publish": page_revert_and_publish,
}


# --- A member snippet ---------------------------------------------------------------------------


def member_view_draft(client, author):
    member = live_member(author)
    member.name = "Noch nicht freigegebener Name"
    member.save_revision(user=author)
    response = client.get(member_url("edit", member.pk))
    return response.status_code == 200 and member.name in response.content.decode()


def member_edit(client, author):
    member = live_member(author)
    edit_member(client, member, function_title="Neue Funktion")
    return fresh(member).get_latest_revision_as_object().function_title == "Neue Funktion"


def member_submit(client, author):
    member = live_member(author)
    edit_member(client, member, action="submit", function_title="Neue Funktion")
    return fresh(member).workflow_in_progress


def member_approve(client, author):
    member = draft_member(author)
    submit(member, author)
    act(client, member, "approve")
    return fresh(member).live


def member_reject(client, author):
    member = draft_member(author)
    submit(member, author)
    act(client, member, "reject", comment="Bitte die Funktion angeben.")
    state = WorkflowState.objects.for_instance(member).get()
    return state.status == WorkflowState.STATUS_NEEDS_CHANGES


def member_publish_directly(client, author):
    member = draft_member(author)
    edit_member(client, member, action="publish")
    return fresh(member).live


def member_unpublish(client, author):
    member = live_member(author)
    client.post(member_url("unpublish", member.pk))
    return not fresh(member).live


def member_delete(client, author):
    member = live_member(author)
    client.post(member_url("delete", member.pk))
    return not Member.objects.filter(pk=member.pk).exists()


def member_change_privacy(client, author):
    """A member has no view restriction; what is private about a member is the name, shown
    publicly only with consent. Making it public must wait for the approval."""
    member = live_member(author, name_is_public=False)
    for action in (None, "publish"):
        edit_member(client, member, action=action, name_is_public=True)
    return fresh(member).name_is_public


def member_bulk_publish(client, author):
    member = draft_member(author)
    url = reverse("wagtail_bulk_action", args=["workgroup", "member", "publish"])
    client.post(f"{url}?id={member.pk}&next=/admin/", {})
    return fresh(member).live


def member_revert_and_publish(client, author):
    member = live_member(author, function_title="Erste Fassung")
    old_revision = member.live_revision
    member.function_title = "Zweite Fassung"
    member.save_revision(user=author).publish(user=author, skip_permission_checks=True)
    data = member_form(member, function_title="Erste Fassung")
    data["action-publish"] = "publish"
    client.post(member_url("revisions_revert", member.pk, old_revision.pk), data)
    return fresh(member).function_title == "Erste Fassung"


MEMBER_ACTIONS = {
    "view_draft": member_view_draft,
    "edit": member_edit,
    "submit": member_submit,
    "approve": member_approve,
    "reject": member_reject,
    "publish_directly": member_publish_directly,
    "unpublish": member_unpublish,
    "delete": member_delete,
    "change_privacy": member_change_privacy,
    "bulk_publish": member_bulk_publish,
    "revert_and_publish": member_revert_and_publish,
}

CELLS = [("page", action, role) for action in PAGE_ACTIONS for role in ROLES] + [
    ("member", action, role) for action in MEMBER_ACTIONS for role in ROLES
]
EXPECTED = {"page": ALLOWED, "member": ALLOWED_ON_MEMBER}


@pytest.mark.parametrize(("target", "action", "role"), CELLS)
def test_permission_matrix(client, people, result_index, target, action, role):
    login(client, people[role])
    if target == "page":
        happened = PAGE_ACTIONS[action](client, result_index, people["author"])
    else:
        happened = MEMBER_ACTIONS[action](client, people["author"])
    expected = role in EXPECTED[target][action]
    assert happened is expected, (
        f"{role} {'should' if expected else 'must not'} be able to {action} a {target}"
    )


def test_the_matrix_covers_every_action_on_both_targets():
    """6 roles × 11 actions × (page, member) = 132 cells, 57 of them allowed."""
    assert set(PAGE_ACTIONS) == set(MEMBER_ACTIONS) == set(ALLOWED) == set(ALLOWED_ON_MEMBER)
    allowed = sum(role in EXPECTED[target][action] for target, action, role in CELLS)
    assert (len(CELLS), allowed) == (132, 57)


def test_snippets_have_no_bulk_publish_action(client, people):
    member = draft_member(people["author"])
    login(client, people["superuser"])
    url = reverse("wagtail_bulk_action", args=["workgroup", "member", "publish"])
    assert client.post(f"{url}?id={member.pk}", {}).status_code == 404
