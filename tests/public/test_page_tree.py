"""Where each page type may live: the site's structure as the editors can build it."""

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage, StandardPage
from tests.factories import (
    MeetingIndexPageFactory,
    MeetingPageFactory,
    MembersPageFactory,
    StandardPageFactory,
    TopicAreaIndexPageFactory,
    TopicAreaPageFactory,
)
from workgroup.models import (
    MeetingIndexPage,
    MeetingPage,
    MembersPage,
    ReportIndexPage,
    ReportPage,
    ResultIndexPage,
    ResultPage,
    TopicAreaIndexPage,
    TopicAreaPage,
)

INDEX_PAGES = [TopicAreaIndexPage, MeetingIndexPage, ResultIndexPage, ReportIndexPage, MembersPage]

# page type: (allowed parents, allowed children)
TREE = {
    HomePage: ({Page}, {*INDEX_PAGES, StandardPage}),
    StandardPage: ({HomePage, StandardPage}, {StandardPage}),
    TopicAreaIndexPage: ({HomePage}, {TopicAreaPage}),
    TopicAreaPage: ({TopicAreaIndexPage, TopicAreaPage}, {TopicAreaPage}),
    MeetingIndexPage: ({HomePage}, {MeetingPage}),
    MeetingPage: ({MeetingIndexPage}, set()),
    ResultIndexPage: ({HomePage}, {ResultPage}),
    ResultPage: ({ResultIndexPage}, set()),
    ReportIndexPage: ({HomePage}, {ReportPage}),
    ReportPage: ({ReportIndexPage}, set()),
    MembersPage: ({HomePage}, set()),
}


class PageTypeTreeTests(WagtailPageTestCase):
    """The type-level rules (parent_page_types / subpage_types) for every page type."""

    def test_allowed_parents_of_every_page_type(self):
        for page_type, (parents, _children) in TREE.items():
            with self.subTest(page_type=page_type.__name__):
                self.assertAllowedParentPageTypes(page_type, parents)

    def test_allowed_children_of_every_page_type(self):
        for page_type, (_parents, children) in TREE.items():
            with self.subTest(page_type=page_type.__name__):
                self.assertAllowedSubpageTypes(page_type, children)

    def test_every_pair_outside_the_tree_is_forbidden(self):
        for parent in TREE:
            for child in TREE:
                with self.subTest(parent=parent.__name__, child=child.__name__):
                    if child in TREE[parent][1]:
                        self.assertCanCreateAt(parent, child)
                    else:
                        self.assertCanNotCreateAt(parent, child)

    def test_examples_from_the_editors_point_of_view(self):
        self.assertCanNotCreateAt(MeetingIndexPage, ResultPage)
        self.assertCanCreateAt(TopicAreaPage, TopicAreaPage)
        self.assertCanNotCreateAt(HomePage, MeetingPage)
        self.assertCanNotCreateAt(TopicAreaPage, MeetingPage)
        self.assertCanNotCreateAt(StandardPage, MeetingIndexPage)


# --- instance rules: how many of each under a given page ----------------------------------------


@pytest.fixture
def root():
    return Page.get_first_root_node()


@pytest.mark.parametrize("index_type", INDEX_PAGES, ids=lambda t: t.__name__)
def test_index_pages_exist_once_per_home_page(site_root, index_type):
    assert index_type.can_create_at(site_root)

    site_root.add_child(instance=index_type(title="Erste", slug="erste"))

    assert not index_type.can_create_at(site_root)


def test_home_page_exists_once(site_root, root):
    assert not HomePage.can_create_at(root)


def test_standard_pages_are_not_limited(site_root):
    parent = StandardPageFactory(parent=site_root)
    StandardPageFactory(parent=site_root)

    assert StandardPage.can_create_at(site_root)
    assert StandardPage.can_create_at(parent)


def test_meetings_only_under_the_meeting_index(site_root):
    meeting_index = MeetingIndexPageFactory(parent=site_root)
    MeetingPageFactory(parent=meeting_index)

    assert MeetingPage.can_create_at(meeting_index)
    assert not MeetingPage.can_create_at(site_root)
    assert not ResultPage.can_create_at(meeting_index)


def test_topic_areas_nest(site_root):
    topic = TopicAreaPageFactory(parent=TopicAreaIndexPageFactory(parent=site_root))
    subtopic = TopicAreaPageFactory(parent=topic)

    assert TopicAreaPage.can_create_at(topic)
    assert TopicAreaPage.can_create_at(subtopic)
    assert not StandardPage.can_create_at(topic)


# --- the same rules in the admin ----------------------------------------------------------------


def add_url(page_type, parent):
    return reverse(
        "wagtailadmin_pages:add",
        args=[page_type._meta.app_label, page_type._meta.model_name, parent.pk],
    )


def test_admin_refuses_a_result_under_the_meeting_index(admin_client, site_root):
    meeting_index = MeetingIndexPageFactory(parent=site_root)

    response = admin_client.get(add_url(ResultPage, meeting_index))

    # Wagtail answers PermissionDenied in the admin with a redirect to the dashboard.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert admin_client.get(add_url(MeetingPage, meeting_index)).status_code == 200


def test_admin_refuses_a_second_index_page(admin_client, site_root):
    assert admin_client.get(add_url(MeetingIndexPage, site_root)).status_code == 200
    MeetingIndexPageFactory(parent=site_root)

    response = admin_client.get(add_url(MeetingIndexPage, site_root))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_admin_post_to_a_wrong_parent_creates_nothing(admin_client, site_root):
    meeting_index = MeetingIndexPageFactory(parent=site_root)
    pages_before = Page.objects.count()

    response = admin_client.post(
        add_url(ResultPage, meeting_index),
        {"title": "Falsch eingeordnet", "slug": "falsch", "action-publish": "action-publish"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert Page.objects.count() == pages_before


def test_admin_page_type_chooser_offers_only_the_allowed_types(admin_client, site_root):
    MeetingIndexPageFactory(parent=site_root)
    MembersPageFactory(parent=site_root)

    response = admin_client.get(reverse("wagtailadmin_pages:add_subpage", args=[site_root.pk]))

    assert response.status_code == 200
    offered = {
        url
        for page_type in TREE
        if (url := add_url(page_type, site_root)) in response.content.decode()
    }
    assert offered == {
        add_url(page_type, site_root)
        for page_type in (TopicAreaIndexPage, ResultIndexPage, ReportIndexPage, StandardPage)
    }


def test_admin_goes_straight_to_the_only_allowed_type(admin_client, site_root):
    meeting_index = MeetingIndexPageFactory(parent=site_root)

    response = admin_client.get(reverse("wagtailadmin_pages:add_subpage", args=[meeting_index.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(add_url(MeetingPage, meeting_index))
