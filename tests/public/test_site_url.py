"""One address everywhere: every absolute link the site writes carries SITE_URL, never the
request's host and never a second base address."""

import json
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Site

from tests import moderation_support as support
from tests.moderation_support import draft_result, edit_page, login
from tests.scenarios import marked_site

pytestmark = pytest.mark.django_db

# The shared fixtures, visible to this module's tests.
roles, people, result_index = support.roles, support.people, support.result_index

ADDRESS = "https://ag-digitalisierung.plauen.example"
ABSOLUTE_URL = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture
def configured(settings):
    settings.SITE_URL = ADDRESS
    call_command("sync_site", stdout=StringIO())


def absolute_urls(text):
    # Namespaces and schema identifiers of the formats themselves are no links of the site.
    foreign = ("http://www.w3.org/", "http://www.sitemaps.org/", "https://schema.oparl.org/")
    return [url for url in ABSOLUTE_URL.findall(text) if not url.startswith(foreign)]


def assert_all_on_the_site(urls, where):
    assert urls, f"{where}: no absolute link at all"
    strays = [url for url in urls if not url.startswith(ADDRESS + "/")]
    assert strays == [], f"{where} links elsewhere: {strays[:5]}"


def test_sync_site_puts_the_site_record_under_the_address(site_root, configured):
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == (
        "ag-digitalisierung.plauen.example",
        443,
        ADDRESS,
    )
    output = StringIO()
    call_command("sync_site", stdout=output)
    assert "bereits" in output.getvalue()


def test_sitemap_feeds_calendars_exports_and_robots_carry_the_address(
    client, site_root, configured
):
    site = marked_site(site_root)
    outputs = {
        "sitemap": "/sitemap.xml",
        "robots.txt": "/robots.txt",
        "Atom-Feed": reverse("feed_results"),
        "Themen-Feed": reverse("feed_topic_results", args=[site["topic_admin"].pk]),
        "Kalender": site["meetings"].url + "kalender/",
        "Sitzungstermin": site["held"].url + "kalender/",
        "CSV-Export": site["results"].url + "export/csv/",
        "JSON-Export": site["results"].url + "export/json/",
    }
    for where, url in outputs.items():
        response = client.get(url)
        assert response.status_code == 200, where
        text = response.content.decode()
        assert "testserver" not in text, where
        assert_all_on_the_site(absolute_urls(text), where)


def test_oparl_ids_and_web_links_carry_the_address(client, site_root, configured):
    marked_site(site_root)
    system = client.get("/oparl/v1/system").json()
    assert system["id"] == ADDRESS + "/oparl/v1/system"
    papers = client.get("/oparl/v1/body/1/paper").json()["data"]
    meetings = client.get("/oparl/v1/body/1/meeting").json()["data"]
    text = json.dumps([system, papers, meetings])
    assert "testserver" not in text
    assert_all_on_the_site(absolute_urls(text), "OParl")
    assert all(obj["web"].startswith(ADDRESS + "/") for obj in papers + meetings)


def test_workflow_mails_link_to_the_address(client, people, result_index, configured):
    page = draft_result(result_index, people["editor"], title="Offene Daten", slug="offene-daten")
    login(client, people["editor"])
    edit_page(client, page, action="submit")
    login(client, people["coordinator"])
    support.act(client, page, "approve")

    bodies = "\n".join(message.body for message in mail.outbox)
    assert len(mail.outbox) == 3  # two approvers asked, the editor told
    assert ADDRESS + "/ergebnisse/offene-daten/" in bodies
    assert_all_on_the_site(absolute_urls(bodies), "E-Mails")


def test_an_address_wagtail_cannot_serve_is_refused_at_start(settings):
    from core.site_url import check_site_url

    for address in ["ftp://plauen.de", "https://plauen.de/ag", "https://plauen.de:8443"]:
        settings.SITE_URL = address
        assert [error.id for error in check_site_url(None)] == ["core.E001"], address
    settings.SITE_URL = ADDRESS
    assert check_site_url(None) == []
