"""Direct publishing, decided by permission: what the admin offers each role, and that what it
does not offer is not done either. Only superusers publish without the approval; the
Koordination keeps what Wagtail ties to the publish permission without publishing anything
(unpublishing, privacy, unscheduling, moving and reordering)."""

import re

import pytest
from django.apps import apps
from django.urls import reverse
from wagtail.models import Page

from tests import moderation_support as support
from tests.factories import StandardPageFactory
from tests.moderation_support import (
    draft_member,
    draft_result,
    fresh,
    live_member,
    live_result,
    login,
    member_form,
    member_url,
    result_form,
)
from workgroup.models import Member
from workgroup.models.publishing import ApprovalPagePermissionTester, ApprovalRequiredPage

# The shared fixtures, visible to this module's tests.
roles, people, result_index = support.roles, support.people, support.result_index

STAFF = ("editor", "coordinator", "vice_chair", "superuser")
KOORDINATION = {"coordinator", "vice_chair", "superuser"}


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def visible_bulk_actions(client, parent):
    """The labels of the bulk action buttons the page listing shows (not hidden by a class)."""
    page = html(client, reverse("wagtailadmin_explore", args=[parent.pk]))
    bar = re.search(r'<ul class="bulk-actions-buttons">(.*?)</ul>', page, re.S).group(1)
    buttons = re.findall(r'<a [^>]*class="([^"]*)"[^>]*>(.*?)</a>', bar, re.S)
    return {
        " ".join(label.split()) for classes, label in buttons if "w-hidden" not in classes.split()
    }


# --- What each role is offered -----------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF)
def test_the_page_listing_offers_bulk_publishing_to_nobody(client, people, result_index, role):
    """Wagtail's bulk bar lists every action registered for pages, whoever looks (it shows
    "Veröffentlichung aufheben" to the Redaktion too, and refuses page by page); offering
    "Veröffentlichen" would only lead to a refusal, and the bar cannot show it to superusers
    alone. Their emergency path is the editor's "Veröffentlichen"."""
    draft_result(result_index, people["author"])
    login(client, people[role])
    offered = visible_bulk_actions(client, result_index)
    assert "Veröffentlichen" not in offered
    assert {"Verschieben", "Löschen", "Veröffentlichung aufheben"} <= offered


@pytest.mark.parametrize("role", STAFF)
def test_the_copy_form_offers_publishing_and_aliases_to_superusers_only(
    client, people, site_root, role
):
    page = StandardPageFactory(parent=site_root, title="Impressum", slug="impressum")
    assert page.live
    login(client, people[role])
    form = html(client, reverse("wagtailadmin_pages:copy", args=[page.pk]))
    assert ('name="publish_copies"' in form) is (role == "superuser")
    assert ('name="alias"' in form) is (role == "superuser")


@pytest.mark.parametrize("role", STAFF)
def test_the_editors_offer_taking_down_to_the_koordination(client, people, result_index, role):
    page = live_result(result_index, people["author"])
    member = live_member(people["author"])
    login(client, people[role])
    page_editor = html(client, reverse("wagtailadmin_pages:edit", args=[page.pk]))
    unpublish = reverse("wagtailadmin_pages:unpublish", args=[page.pk])
    assert (unpublish in page_editor) is (role in KOORDINATION)
    assert ('data-a11y-dialog-show="set-privacy"' in page_editor) is (role in KOORDINATION)
    assert ('name="action-publish"' in page_editor) is (role == "superuser")

    member_editor = html(client, member_url("edit", member.pk))
    assert (member_url("unpublish", member.pk) in member_editor) is (role in KOORDINATION)
    assert ('name="action-publish"' in member_editor) is (role == "superuser")


@pytest.mark.parametrize("role", STAFF)
def test_the_page_tester_separates_publishing_from_taking_down(people, result_index, role):
    page = live_result(result_index, people["author"])
    user = people[role]
    tester = page.permissions_for_user(user)
    assert isinstance(tester, ApprovalPagePermissionTester)
    # Wagtail's base Page, as listings hold it, asks the specific class's tester too.
    assert isinstance(Page.objects.get(pk=page.pk).permissions_for_user(user), type(tester))
    may_take_down = role in KOORDINATION
    assert tester.can_publish() is (role == "superuser")
    assert result_index.permissions_for_user(user).can_publish_subpage() is (role == "superuser")
    assert tester.can_unpublish() is may_take_down
    assert tester.can_set_view_restrictions() is may_take_down
    assert tester.can_unschedule() is may_take_down
    assert result_index.permissions_for_user(user).can_reorder_children() is may_take_down
    assert tester.can_move_to(result_index) is may_take_down
    assert tester.can_edit()


# --- What is not offered is not done -----------------------------------------------------------


@pytest.mark.parametrize("role", ["editor", "coordinator", "vice_chair"])
def test_a_hand_crafted_bulk_publication_publishes_nothing(client, people, result_index, role):
    page = draft_result(result_index, people["author"])
    login(client, people[role])
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    confirmation = client.get(f"{url}?id={page.pk}")
    assert confirmation.status_code == 200
    client.post(f"{url}?id={page.pk}&next=/admin/", {})
    assert not fresh(page).live


@pytest.mark.parametrize("role", ["editor", "coordinator", "vice_chair"])
def test_a_hand_crafted_member_publication_saves_a_draft(client, people, role):
    """Creating, editing and restoring a member: "publish" is no action for them. (Copying
    posts to the create view, see below.)"""
    member = live_member(people["author"], function_title="Erste Fassung")
    old_revision = member.live_revision
    login(client, people[role])

    for url, changes in [
        (member_url("add"), {"name": "Neu per Hand"}),
        (member_url("edit", member.pk), {"function_title": "Per Hand"}),
        (member_url("revisions_revert", member.pk, old_revision.pk), {"function_title": "Alt"}),
    ]:
        data = member_form(fresh(member), **changes)
        data["action-publish"] = "publish"
        assert client.post(url, data).status_code == 302, url

    assert not Member.objects.get(name="Neu per Hand").live
    assert fresh(member).live
    assert fresh(member).function_title == "Erste Fassung"
    assert fresh(member).get_latest_revision_as_object().function_title == "Alt"


@pytest.mark.parametrize("role", STAFF)
def test_a_post_to_a_snippets_copy_view_changes_nothing(client, people, role):
    """The copy view shows the create form, which posts to the create view. Wagtail's copy
    view would save a POST into the original (its form instance is the original): the
    member would go offline with the posted content, past edit view, lock and approval."""
    member = live_member(people["author"], function_title="Erste Fassung")
    login(client, people[role])
    assert client.get(member_url("copy", member.pk)).status_code == 200
    data = member_form(member, name="Kopie per Hand", function_title="Überschrieben")
    data["action-publish"] = "publish"
    assert client.post(member_url("copy", member.pk), data).status_code == 405
    assert (fresh(member).live, fresh(member).name, fresh(member).function_title) == (
        True,
        member.name,
        "Erste Fassung",
    )
    assert not Member.objects.filter(name="Kopie per Hand").exists()


@pytest.mark.parametrize("role", ["editor", "coordinator", "vice_chair"])
def test_a_hand_crafted_page_publication_saves_a_draft(client, people, result_index, role):
    page = draft_result(result_index, people["author"])
    login(client, people[role])
    data = result_form(page, summary="Per Hand veröffentlicht?")
    data["action-publish"] = "publish"
    assert client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data).status_code == 302
    page = fresh(page)
    assert not page.live
    assert page.get_latest_revision_as_object().summary == "Per Hand veröffentlicht?"


def test_a_superuser_keeps_the_emergency_path(client, people, site_root, result_index):
    page = StandardPageFactory(parent=site_root, title="Impressum", slug="impressum")
    login(client, people["superuser"])
    client.post(
        reverse("wagtailadmin_pages:copy", args=[page.pk]),
        {
            "new_title": "Kopie",
            "new_slug": "kopie",
            "new_parent_page": site_root.pk,
            "publish_copies": "on",
        },
    )
    assert Page.objects.get(slug="kopie").live

    member = draft_member(people["author"])
    data = member_form(member)
    data["action-publish"] = "publish"
    client.post(member_url("edit", member.pk), data)
    assert fresh(member).live


# --- Pages without the AG's tester -------------------------------------------------------------


def test_every_page_class_of_the_site_asks_the_approval(db):
    page_classes = [
        model
        for app in ("home", "workgroup")
        for model in apps.get_app_config(app).get_models()
        if issubclass(model, Page)
    ]
    assert len(page_classes) >= 11
    for page_class in page_classes:
        assert issubclass(page_class, ApprovalRequiredPage), page_class


@pytest.mark.parametrize("role", ["coordinator", "superuser"])
def test_wagtails_own_page_is_changed_by_superusers_only(client, people, site_root, role):
    """A fresh installation's welcome page is of Wagtail's Page class, whose tester would let
    the Koordination's publish permission publish it."""
    welcome = Page.get_first_root_node().add_child(
        instance=Page(title="Willkommen", slug="willkommen", live=True)
    )
    login(client, people[role])
    data = {"title": "Direkt geändert", "slug": "willkommen", "action-publish": "publish"}
    response = client.post(reverse("wagtailadmin_pages:edit", args=[welcome.pk]), data)
    if role == "superuser":
        assert fresh(welcome).title == "Direkt geändert"
    else:
        assert response.status_code == 403
        assert "nur nach der Freigabe" in response.content.decode()
        assert fresh(welcome).title == "Willkommen"
