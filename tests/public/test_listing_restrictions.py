"""Listings leave out pages that a view restriction hides, on the page or an ancestor, and
follow the restriction at once when it is added, removed or the page moves under it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests import factories
from workgroup.models import ResultPage
from workgroup.visibility import public_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(site_root):
    register = factories.ResultIndexPageFactory(parent=site_root)
    factories.ResultPageFactory(parent=register, title="Offen")
    return register


def listed(register):
    return {page.title for page in public_pages(ResultPage.objects.child_of(register).live())}


def test_a_restricted_page_and_the_subtree_of_a_restricted_ancestor_are_left_out(register):
    hidden = factories.ResultPageFactory(parent=register, title="Nur für Angemeldete")
    assert listed(register) == {"Offen", "Nur für Angemeldete"}

    restriction = PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.LOGIN
    )
    assert listed(register) == {"Offen"}

    restriction.delete()
    assert listed(register) == {"Offen", "Nur für Angemeldete"}

    PageViewRestriction.objects.create(page=register, restriction_type=PageViewRestriction.LOGIN)
    assert listed(register) == set()


def test_a_restricted_section_keeps_its_subtree_hidden_when_it_moves(register, site_root):
    archive = factories.StandardPageFactory(parent=site_root, title="Archiv")
    factories.ResultPageFactory(parent=archive, title="Archiviert")
    PageViewRestriction.objects.create(page=archive, restriction_type=PageViewRestriction.LOGIN)
    assert {p.title for p in public_pages(ResultPage.objects.live())} == {"Offen"}

    # The move gives the section and its subtree new paths.
    other = factories.StandardPageFactory(parent=site_root, title="Sonstiges")
    archive.move(other, pos="last-child")

    assert {p.title for p in public_pages(ResultPage.objects.live())} == {"Offen"}


def test_the_restrictions_are_read_once_per_content_change(register):
    listed(register)
    with CaptureQueriesContext(connection) as queries:
        listed(register)
    assert len(queries) == 1, "only the listing itself"
