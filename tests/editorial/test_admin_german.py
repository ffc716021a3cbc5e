"""The admin speaks German and shows the AG, not Wagtail, and asks no third party for avatars."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests import moderation_support as support
from tests.factories import UserFactory
from tests.moderation_support import draft_result, edit_page, fresh, login
from workgroup.editorial.groups import COORDINATION_GROUP, EDITORS_GROUP

pytestmark = pytest.mark.django_db

# The shared fixtures, visible to this module's tests.
roles, people, result_index = support.roles, support.people, support.result_index


def visible_text(response):
    soup = BeautifulSoup(response.content, "html.parser")
    for hidden in soup(["script", "template", "noscript"]):
        hidden.decompose()
    return soup, " ".join(soup.get_text(" ").split())


def test_the_login_names_the_ag_in_german(client):
    soup, text = visible_text(client.get("/admin/login/"))

    assert soup.h1.get_text(strip=True) == "Anmelden in der Verwaltung der AG Digitalisierung"
    assert soup.title.get_text(strip=True) == "Anmelden - AG Digitalisierung Plauen"
    assert "Passwort" in text
    for english in ("Password", "Sign in", "Wagtail"):
        assert english not in text, english
    assert soup.select_one(".login-logo img")["alt"] == "AG Digitalisierung Plauen"


@pytest.mark.parametrize("group", [EDITORS_GROUP, COORDINATION_GROUP])
def test_admin_pages_show_the_ag_and_load_no_avatar_from_elsewhere(client, site_root, group):
    client.force_login(UserFactory(groups=[group]))
    for url in ("/admin/", "/admin/pages/", "/admin/account/"):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "gravatar" not in html.lower(), url
        soup = BeautifulSoup(html, "html.parser")
        assert soup.title.get_text(strip=True).endswith("AG Digitalisierung Plauen"), url
        assert 'alt="AG Digitalisierung Plauen"' in html, url


def test_help_leads_to_the_ags_handbook_not_to_wagtails_english_pages(client, site_root):
    client.force_login(UserFactory(groups=[EDITORS_GROUP]))
    dashboard = client.get("/admin/").content.decode()

    assert reverse("ag_handbook") in dashboard
    assert "docs.wagtail.org" not in dashboard and "guide.wagtail.org" not in dashboard

    soup, text = visible_text(client.get(reverse("ag_handbook")))
    headings = [h2.get_text(strip=True) for h2 in soup.find_all("h2")]
    for heading in ("Rollen", "Vier-Augen-Prinzip", "Nicht öffentliche Inhalte", "Dokumente"):
        assert heading in headings
    assert "31.05.2022" in text  # the founding paper's nomination deadline


def test_the_handbook_is_for_the_admin_only(client, site_root):
    response = client.get(reverse("ag_handbook"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_slug_sent_without_the_browsers_help_is_spelled_out_or_refused(
    client, people, result_index
):
    page = draft_result(result_index, people["editor"])
    login(client, people["editor"])

    response = edit_page(client, page, slug="Übersicht-Maßnahmen")
    assert response.status_code == 302
    assert fresh(page).get_latest_revision_as_object().slug == "uebersicht-massnahmen"

    refused = edit_page(client, page, slug="café-plan")
    assert refused.status_code == 200
    assert "Bitte ein gültiges Kürzel" in refused.content.decode()
    assert fresh(page).get_latest_revision_as_object().slug == "uebersicht-massnahmen"
