"""The roles' setup, the ways around the approval that stay shut, scheduled publication, the
approval line on the public page and the review queue on the dashboard."""

import datetime
import io
import re
from unittest import mock

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import (
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
)

from tests import moderation_support as support
from tests.factories import FactionFactory, MemberFactory, StandardPageFactory
from tests.moderation_support import (
    act,
    an_hour_from_now,
    draft_member,
    draft_result,
    edit_page,
    fresh,
    live_result,
    login,
    member_form,
    member_url,
    result_form,
    submit,
)
from workgroup.editorial.groups import COORDINATION_GROUP, EDITORS_GROUP, MEMBERS_GROUP
from workgroup.editorial.roles import WORKFLOW_NAME
from workgroup.editorial.workflow import approval_for
from workgroup.models import Faction, Member, ResultPage

# The shared fixtures, visible to this module's tests.
roles, people, result_index = support.roles, support.people, support.result_index

# --- Roles ---------------------------------------------------------------------------------------


def setup_state():
    return {
        "groups": sorted(Group.objects.values_list("name", flat=True)),
        "page_permissions": GroupPagePermission.objects.count(),
        "permissions": sorted(
            Group.objects.values_list("name", "permissions__codename").exclude(
                permissions__isnull=True
            )
        ),
        "workflow_pages": list(WorkflowPage.objects.values_list("page_id", "workflow__name")),
        "workflow_types": WorkflowContentType.objects.filter(workflow__name=WORKFLOW_NAME).count(),
        "active_workflows": list(Workflow.objects.active().values_list("name", flat=True)),
    }


def test_setup_roles_is_idempotent_and_replaces_wagtails_default_workflow(db):
    assert Workflow.objects.get(name="Moderators approval").active
    call_command("setup_roles", stdout=io.StringIO())
    first = setup_state()
    call_command("setup_roles", stdout=io.StringIO())
    assert setup_state() == first

    assert {EDITORS_GROUP, COORDINATION_GROUP, MEMBERS_GROUP} <= set(first["groups"])
    assert first["workflow_pages"] == [(Page.get_first_root_node().pk, WORKFLOW_NAME)]
    # Members, factions, council bodies and meeting places.
    assert first["workflow_types"] == 4
    assert first["active_workflows"] == [WORKFLOW_NAME]


def test_setup_restores_roles_changed_in_the_group_editor(roles, result_index):
    editors = roles[EDITORS_GROUP]
    GroupPagePermission.objects.create(
        group=editors, page=Page.get_first_root_node(), permission_type="publish"
    )
    editors.permissions.add(Permission.objects.get(codename="publish_member"))
    # A workflow on a section would take precedence over the AG's there.
    WorkflowPage.objects.create(
        page=result_index, workflow=Workflow.objects.create(name="Abkürzung")
    )
    call_command("setup_roles", stdout=io.StringIO())
    assert fresh(result_index).get_workflow().name == WORKFLOW_NAME
    assert not GroupPagePermission.objects.filter(
        group=editors, permission__codename="publish_page"
    ).exists()
    assert not editors.permissions.filter(codename="publish_member").exists()
    # AG members only read: the one permission they hold is the non-public parts.
    assert list(roles[MEMBERS_GROUP].permissions.values_list("codename", flat=True)) == [
        "view_confidential"
    ]


# --- No way around the approval ----------------------------------------------------------------


def test_nobody_but_a_superuser_sees_a_publish_button(client, people, result_index):
    page = draft_result(result_index, people["author"])
    member = draft_member(people["author"])
    for role, shown in [
        ("editor", False),
        ("coordinator", False),
        ("vice_chair", False),
        ("superuser", True),
    ]:
        login(client, people[role])
        for url in (
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
            reverse("wagtailadmin_pages:add", args=["workgroup", "resultpage", result_index.pk]),
            member_url("edit", member.pk),
            member_url("add"),
        ):
            assert ('name="action-publish"' in client.get(url).content.decode()) is shown, (
                role,
                url,
            )


def test_publishing_a_new_page_or_member_directly_saves_a_draft(client, people, result_index):
    """A hand-crafted "publish" from someone who may not publish: the create views, asking the
    page's permission tester and the snippet view's actions, save a draft that waits for the
    approval, as Wagtail does for anyone without the permission to publish."""
    login(client, people["coordinator"])
    page = ResultPage(title="Neu", slug="neu", kind="paper", reference="AG-DIG/NEU", summary="Neu.")
    page.result_date = datetime.date(2024, 1, 1)
    data = result_form_for_new(page)
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["workgroup", "resultpage", result_index.pk]),
        data,
    )
    assert response.status_code == 302
    assert not ResultPage.objects.get(slug="neu").live

    data = member_form(MemberFactory.build(name="Neu Mitglied"))
    data["action-publish"] = "publish"
    assert client.post(member_url("add"), data).status_code == 302
    assert not Member.objects.get(name="Neu Mitglied").live


def result_form_for_new(page):
    class Unsaved:
        def get_latest_revision_as_object(self):
            return page

    data = result_form(Unsaved())
    data["action-publish"] = "publish"
    return data


def test_copying_a_live_page_as_published_makes_a_draft(client, people, site_root):
    """The copy form offers the coordinator no "publish copies"; posted anyway, the copy is a
    draft. (A standard page: a copy of a result page repeats its unique reference.)"""
    page = StandardPageFactory(parent=site_root, title="Impressum", slug="impressum")
    assert page.live
    login(client, people["coordinator"])
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[page.pk]),
        {
            "new_title": "Kopie",
            "new_slug": "kopie",
            "new_parent_page": site_root.pk,
            "publish_copies": "on",
        },
    )
    assert response.status_code == 302
    assert not Page.objects.get(slug="kopie").live


def test_creating_a_live_alias_is_refused(client, people, site_root):
    """An alias of a live page is live at once, at a place the approval never saw."""
    page = StandardPageFactory(parent=site_root, title="Impressum", slug="impressum")
    alias = {
        "new_title": "Impressum",
        "new_slug": "impressum-alias",
        "new_parent_page": site_root.pk,
        "alias": "on",
    }
    login(client, people["coordinator"])
    client.post(reverse("wagtailadmin_pages:copy", args=[page.pk]), alias)
    assert not Page.objects.filter(alias_of=page).exists()
    # The form has no alias field for the coordinator, so what it made is a draft copy.
    assert not Page.objects.get(slug="impressum-alias").live
    Page.objects.get(slug="impressum-alias").delete()

    login(client, people["superuser"])
    client.post(reverse("wagtailadmin_pages:copy", args=[page.pk]), alias)
    assert Page.objects.get(alias_of=page).live


def test_a_faction_change_goes_online_only_through_the_approval(client, people):
    faction = FactionFactory(name="Fraktion Alt", short_name="ALT")
    faction.save_revision(user=people["author"]).publish(
        user=people["author"], skip_permission_checks=True
    )
    form = {"name": "Fraktion Neu", "short_name": "NEU", "is_active": "on"}
    login(client, people["editor"])
    faction_post(client, faction, {**form, "action-publish": "publish"})
    assert fresh(faction).name == "Fraktion Alt"
    faction_post(client, faction, {**form, "action-submit": "submit"})
    assert fresh(faction).name == "Fraktion Alt"
    assert fresh(faction).workflow_in_progress

    login(client, people["coordinator"])
    task_state = fresh(faction).current_workflow_task_state
    url = reverse(
        Faction.snippet_viewset.get_url_name("workflow_action"),
        args=[faction.pk, "approve", task_state.pk],
    )
    client.post(url, {"comment": ""})
    assert fresh(faction).name == "Fraktion Neu"


def faction_post(client, faction, data):
    url = reverse(Faction.snippet_viewset.get_url_name("edit"), args=[faction.pk])
    return client.post(url, data)


def test_the_approval_publishes_without_the_approvers_publish_permission(
    client, people, result_index
):
    """Nobody needs a publish permission to publish: the approval is the authority."""
    GroupPagePermission.objects.filter(
        group__name=COORDINATION_GROUP, permission__codename="publish_page"
    ).delete()
    page = draft_result(result_index, people["editor"])
    submit(page, people["editor"])
    login(client, people["coordinator"])
    act(client, page, "approve")
    assert fresh(page).live


def test_a_publish_permission_granted_by_hand_still_does_not_publish(client, people, result_index):
    GroupPagePermission.objects.create(
        group=Group.objects.get(name=EDITORS_GROUP),
        page=Page.get_first_root_node(),
        permission_type="publish",
    )
    page = draft_result(result_index, people["author"])
    login(client, people["editor"])
    edit_page(client, page, action="publish")
    assert not fresh(page).live


def test_unpublishing_needs_no_second_pair_of_eyes(client, people, result_index):
    page = live_result(result_index, people["author"])
    login(client, people["coordinator"])
    client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    assert not fresh(page).live
    assert client.get(page.url).status_code == 404


# --- Scheduled publication ---------------------------------------------------------------------


def test_a_go_live_date_is_kept_through_the_approval(client, people, result_index):
    page = draft_result(result_index, people["editor"])
    go_live = an_hour_from_now().replace(second=0, microsecond=0)
    login(client, people["editor"])
    local = timezone.localtime(go_live)
    edit_page(client, page, action="submit", go_live_at=local.strftime("%Y-%m-%d %H:%M"))

    login(client, people["coordinator"])
    act(client, page, "approve")
    page = fresh(page)
    assert not page.live
    assert page.scheduled_revision.approved_go_live_at == go_live
    assert f"am {local:%d.%m.%Y} um {local:%H:%M} Uhr veröffentlicht" in mail.outbox[-1].body

    with mock.patch("django.utils.timezone.now", return_value=go_live + datetime.timedelta(1)):
        call_command("publish_scheduled")
    assert fresh(page).live
    assert approval_for(fresh(page)).approved_by == "Koordination"


# --- The approval line -------------------------------------------------------------------------


def approval_line(client, page):
    html = client.get(fresh(page).url).content.decode()
    match = re.search(r'<p class="approval">(.*?)</p>', html)
    return match and match.group(1)


def test_the_public_page_names_the_approval(client, people, result_index):
    MemberFactory(role=Member.Role.VICE_CHAIR, email=people["vice_chair"].email.upper())
    by_vice_chair = draft_result(result_index, people["editor"])
    by_coordinator = draft_result(result_index, people["editor"])
    submit(by_vice_chair, people["editor"])
    submit(by_coordinator, people["editor"])
    login(client, people["vice_chair"])
    act(client, by_vice_chair, "approve")
    login(client, people["coordinator"])
    act(client, by_coordinator, "approve")
    client.logout()

    today = timezone.localdate().strftime("%d.%m.%Y")
    assert approval_line(client, by_vice_chair) == f"Freigegeben am {today} durch stellv. Vorsitz"
    assert approval_line(client, by_coordinator) == f"Freigegeben am {today} durch Koordination"


def test_a_page_published_without_approval_shows_no_approval_line(client, people, result_index):
    page = live_result(result_index, people["author"])
    assert approval_line(client, page) is None


def test_a_version_published_around_the_approval_claims_no_approval(client, people, result_index):
    page = draft_result(result_index, people["editor"], title="Freigegebene Fassung")
    submit(page, people["editor"])
    login(client, people["coordinator"])
    act(client, page, "approve")
    assert approval_line(client, page)

    login(client, people["superuser"])
    edit_page(client, fresh(page), action="publish", title="Ungeprüfte Fassung")
    client.logout()
    assert fresh(page).title == "Ungeprüfte Fassung"
    assert approval_line(client, page) is None


def test_a_former_vice_chair_approves_as_koordination(client, people, result_index):
    """The line names the role the approver held on the day of the approval."""
    today = timezone.localdate()
    MemberFactory(
        role=Member.Role.VICE_CHAIR,
        email=people["vice_chair"].email,
        start_date=today - datetime.timedelta(days=400),
        end_date=today - datetime.timedelta(days=1),
    )
    page = draft_result(result_index, people["editor"])
    submit(page, people["editor"])
    login(client, people["vice_chair"])
    act(client, page, "approve")
    client.logout()
    assert approval_line(client, page).endswith("durch Koordination")


def test_the_approval_line_costs_one_query(people, result_index):
    page = draft_result(result_index, people["editor"])
    submit(page, people["editor"])
    page.current_workflow_task.on_action(
        page.current_workflow_task_state, people["coordinator"], "approve"
    )
    page = fresh(page)
    with CaptureQueriesContext(connection) as queries:
        approval = approval_for(page)
    assert approval.approved_by == "Koordination"
    assert len(queries) == 1


def test_an_approved_but_not_yet_live_version_does_not_claim_the_live_one(
    client, people, result_index
):
    page = live_result(result_index, people["author"])
    page.go_live_at = an_hour_from_now()
    page.save_revision(user=people["editor"])
    submit(page, people["editor"])
    login(client, people["coordinator"])
    act(client, page, "approve")
    assert approval_line(client, page) is None


# --- The review queue --------------------------------------------------------------------------


def queue(client):
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    if "data-review-queue" not in html:
        return None
    rows = re.findall(r"<tr data-review-item=.*?</tr>", html, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]


@pytest.mark.parametrize("approver", ["coordinator", "vice_chair"])
def test_the_review_queue_lists_the_oldest_first_with_submitter_and_age(
    client, people, result_index, approver
):
    older = draft_result(result_index, people["editor"], title="Älteres Ergebnis")
    newer = draft_result(result_index, people["author"], title="Neueres Ergebnis")
    submit(older, people["editor"])
    submit(newer, people["author"])
    # The queue orders by when a version started waiting.
    older.current_workflow_task_state.__class__.objects.filter(
        pk=older.current_workflow_task_state.pk
    ).update(started_at=timezone.now() - datetime.timedelta(days=3))

    login(client, people[approver])
    rows = queue(client)
    assert [row.split(" Ergebnis ")[0] for row in rows] == ["Älteres", "Neueres"]
    assert people["editor"].get_full_name() in rows[0]
    assert "3 Tage" in rows[0]
    assert "Freigeben" in rows[0]


def test_the_queue_flags_what_the_approver_submitted(client, people, result_index):
    page = draft_result(result_index, people["coordinator"], title="Eigenes Ergebnis")
    submit(page, people["coordinator"])
    login(client, people["coordinator"])
    (row,) = queue(client)
    assert "Freigabe durch die andere Person der Koordination" in row
    assert "Freigeben" not in row


def test_editors_have_no_review_queue(client, people, result_index):
    submit(draft_result(result_index, people["author"]), people["author"])
    login(client, people["editor"])
    assert queue(client) is None
