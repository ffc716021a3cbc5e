"""Fixtures and helpers for the moderation tests: the roles, their people, and the admin's
real forms (posted with the test client the way the editor's browser posts them)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from tests.factories import MemberFactory, ResultIndexPageFactory, ResultPageFactory, UserFactory
from workgroup.editorial.roles import COORDINATION_GROUP, EDITORS_GROUP, MEMBERS_GROUP, ensure_roles
from workgroup.models import Member

ROLES = ("anonymous", "member", "editor", "coordinator", "vice_chair", "superuser")


@pytest.fixture
def roles(db):
    return ensure_roles()


@pytest.fixture
def people(roles):
    """One user per role, plus `author`: a second editor who writes what the others act on."""
    return {
        "anonymous": None,
        "member": UserFactory(username="ag-mitglied", groups=[MEMBERS_GROUP]),
        "editor": UserFactory(username="redaktion", groups=[EDITORS_GROUP]),
        "author": UserFactory(username="autorin", groups=[EDITORS_GROUP]),
        "coordinator": UserFactory(
            username="koordinator",
            first_name="Kai",
            last_name="Koordinator",
            groups=[COORDINATION_GROUP],
        ),
        "vice_chair": UserFactory(
            username="it-leitung",
            first_name="Iris",
            last_name="Leitung",
            groups=[COORDINATION_GROUP],
        ),
        "superuser": UserFactory(username="admin", is_superuser=True, is_staff=True),
    }


@pytest.fixture
def result_index(site_root):
    return ResultIndexPageFactory(parent=site_root)


def login(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


# --- Pages -------------------------------------------------------------------------------------


def draft_result(result_index, author, **fields):
    """A result page as the editor leaves it after "Entwurf speichern": never published."""
    page = ResultPageFactory(parent=result_index, live=False, **fields)
    page.save_revision(user=author)
    return page


def live_result(result_index, author, **fields):
    page = draft_result(result_index, author, **fields)
    page.get_latest_revision().publish(user=author, skip_permission_checks=True)
    page.refresh_from_db()
    return page


def result_form(page, **changes):
    """The page editor's form for the latest version of page, with changes."""
    latest = page.get_latest_revision_as_object()
    values = {
        "title": latest.title,
        "slug": latest.slug,
        "kind": latest.kind,
        "reference": latest.reference,
        "result_date": latest.result_date.isoformat(),
        "progress": latest.progress,
        "summary": latest.summary,
        "easy_language_summary": latest.easy_language_summary,
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        **changes,
    }
    return nested_form_data(
        {
            **values,
            "body": streamfield([]),
            "consultations": inline_formset([]),
            "attachments": inline_formset([]),
            "comments": inline_formset([]),
        }
    )


def edit_page(client, page, action=None, **changes):
    """Post the page editor; action is e.g. "submit" or "publish" (None saves a draft)."""
    data = result_form(page, **changes)
    if action:
        data[f"action-{action}"] = action
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


# --- Member snippets ---------------------------------------------------------------------------


def member_url(name, *args):
    return reverse(Member.snippet_viewset.get_url_name(name), args=args)


def draft_member(author, **fields):
    member = MemberFactory(live=False, **fields)
    member.save_revision(user=author)
    return member


def live_member(author, **fields):
    member = draft_member(author, **fields)
    member.get_latest_revision().publish(user=author, skip_permission_checks=True)
    member.refresh_from_db()
    return member


def member_form(member, **changes):
    latest = member.get_latest_revision_as_object()
    values = {
        "name": latest.name,
        "function_title": latest.function_title,
        "role": latest.role,
        "faction": latest.faction_id or "",
        "principal": latest.principal_id or "",
        "guest_topic": latest.guest_topic_id or "",
        "start_date": latest.start_date.isoformat() if latest.start_date else "",
        "end_date": latest.end_date.isoformat() if latest.end_date else "",
        "email": latest.email,
        **changes,
    }
    for flag in ("name_is_public", "is_expert_citizen"):
        if values.pop(flag, getattr(latest, flag)):
            values[flag] = "on"
    return values


def edit_member(client, member, action=None, **changes):
    data = member_form(member, **changes)
    if action:
        data[f"action-{action}"] = action
    return client.post(member_url("edit", member.pk), data)


# --- Workflow ----------------------------------------------------------------------------------


def submit(obj, user):
    """Submit for approval as the editor's "Zur Freigabe einreichen" does: a revision, then the
    workflow."""
    obj = type(obj).objects.get(pk=obj.pk).get_latest_revision_as_object()
    obj.save_revision(user=user)
    return obj.get_workflow().start(obj, user)


def workflow_action_url(obj, action):
    task_state = obj.current_workflow_task_state
    if isinstance(obj, Member):
        return member_url("workflow_action", obj.pk, action, task_state.pk)
    return reverse("wagtailadmin_pages:workflow_action", args=[obj.pk, action, task_state.pk])


def act(client, obj, action, comment="", xhr=False):
    """Approve or reject through the dashboard's workflow action (the modal's form)."""
    headers = {"X-Requested-With": "XMLHttpRequest"} if xhr else {}
    return client.post(workflow_action_url(obj, action), {"comment": comment}, headers=headers)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def an_hour_from_now():
    return timezone.now() + datetime.timedelta(hours=1)
