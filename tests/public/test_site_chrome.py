"""Menu, breadcrumbs and footer links follow every page change on the very next request,
although menu and footer are kept between requests."""

import pytest
from bs4 import BeautifulSoup

from tests import factories

pytestmark = pytest.mark.django_db


def menu(client):
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".site-nav-bar a")]


def footer(client):
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".site-footer a")]


def test_a_new_renamed_or_hidden_menu_page_shows_at_once(client, site_root):
    results = factories.ResultIndexPageFactory(
        parent=site_root, title="Ergebnisse", show_in_menus=True
    )
    assert "Ergebnisse" in menu(client)

    factories.MeetingIndexPageFactory(parent=site_root, title="Sitzungen", show_in_menus=True)
    assert {"Ergebnisse", "Sitzungen"} <= set(menu(client))

    results.title = "Ergebnisregister"
    results.save_revision().publish()
    assert "Ergebnisregister" in menu(client)

    results.unpublish()
    assert "Ergebnisregister" not in menu(client)


def test_footer_service_pages_follow_their_publication(client, site_root):
    imprint = factories.StandardPageFactory(
        parent=site_root, title="Impressum", slug="impressum", show_in_menus=False
    )
    assert "Impressum" in footer(client)

    imprint.unpublish()
    assert "Impressum" not in footer(client)


def test_breadcrumbs_name_the_ancestors_of_each_page(client, site_root):
    topics = factories.TopicAreaIndexPageFactory(parent=site_root, title="Themenfelder")
    area = factories.TopicAreaPageFactory(parent=topics, title="Schulen")
    sub = factories.TopicAreaPageFactory(parent=area, title="WLAN")

    soup = BeautifulSoup(client.get(sub.url).content, "html.parser")
    crumbs = [li.get_text(strip=True) for li in soup.select(".breadcrumbs li")]

    assert crumbs == ["Startseite", "Themenfelder", "Schulen", "WLAN"]
