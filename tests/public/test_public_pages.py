"""The remaining public pages and the site's frame: members page, topic areas, home page,
half-year report with its print styles, sitemap.xml, robots.txt, German error pages, imprint and
accessibility statement, and the accessibility basics every page shares."""

import datetime
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client, override_settings
from django.urls import path

from tests.factories import (
    AgendaItemFactory,
    MeetingPageFactory,
    MemberFactory,
    ResultPageFactory,
    UserFactory,
)
from tests.scenarios import EMAIL, HIDDEN_NAME, marked_site, serve_home, shared_scenario
from workgroup.editorial.groups import MEMBERS_GROUP
from workgroup.models import Member, TopicAreaPage

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


# The tests read the site; the few that change it do so in their own savepoint.
site = shared_scenario(lambda: marked_site(serve_home()))


def soup_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return BeautifulSoup(response.content, "html.parser")


def page_urls(site):
    return [
        "/",
        site["topics"].url,
        site["topic_admin"].url,
        site["meetings"].url,
        site["held"].url,
        site["closed"].url,
        site["results"].url,
        site["result"].url,
        site["reports"].url,
        site["report"].url,
        site["members_page"].url,
        site["imprint"].url,
        site["accessibility"].url,
        "/suche/?q=Sitzung",
    ]


# --- members page -------------------------------------------------------------------------------


def test_members_page_groups_the_composition_as_the_founding_paper(client, site):
    soup = soup_of(client, site["members_page"].url)

    headings = [h2.get_text() for h2 in soup.main.find_all("h2")]
    assert headings == [
        "Vorsitz",
        "Verwaltung",
        "Vertreter/innen der Fraktionen",
        "Themenbezogene Gäste",
    ]
    factions = {
        div.h3.get_text(): div
        for div in soup.select("section[aria-labelledby=factions-heading] .faction")
    }
    assert set(factions) == {"Fraktion Bürger für Plauen", "Fraktion Zukunft Vogtland"}
    assert "vollständig benannt" in factions["Fraktion Bürger für Plauen"].get_text()
    assert "Stellvertreter/in fehlt" in factions["Fraktion Zukunft Vogtland"].get_text()
    assert "Dr. Anna Beispiel" in soup.find(id="chair-heading").parent.get_text()
    guests = soup.find(id="guests-heading").parent.get_text()
    assert "Kreisschülerrat" in guests and "Digitale Schulen" in guests


def test_members_page_shows_names_only_with_consent_and_never_an_email(client, site):
    for reader in (client, member_client()):
        content = reader.get(site["members_page"].url).content.decode()
        assert HIDDEN_NAME not in content
        assert "Name nicht veröffentlicht" in content
        assert "Bernd Muster" in content
        for email in Member.objects.values_list("email", flat=True):
            assert email not in content
        assert "mailto:" not in content
        assert EMAIL not in content


def test_members_page_says_who_chairs_and_who_deputises(client, site):
    MemberFactory(
        name="Rainer Vize",
        role=Member.Role.VICE_CHAIR,
        function_title="Fachgebietsleiter IT",
        name_is_public=True,
    )
    soup = soup_of(client, site["members_page"].url)

    seats = [
        " ".join(li.get_text(" ").split())
        for li in soup.find(id="chair-heading").parent.find_all("li")
    ]
    # The function titles alone do not say which of the two chairs.
    assert seats == [
        "Vorsitz: Dr. Anna Beispiel , Koordinatorin",
        "Stellvertretender Vorsitz: Rainer Vize , Fachgebietsleiter IT",
    ]
    withheld = soup.select(".member__name--withheld")
    assert [name.get_text() for name in withheld] == ["Name nicht veröffentlicht"]


def member_client():
    client = Client()
    client.force_login(UserFactory(groups=[MEMBERS_GROUP]))
    return client


def test_members_are_told_that_they_see_non_public_content(client, site):
    notice = "sehen auch nicht öffentliche Inhalte"
    for url in (site["held"].url, site["result"].url, "/"):
        assert notice not in client.get(url).content.decode(), url
        assert notice in member_client().get(url).content.decode(), url
    outsider = Client()
    outsider.force_login(UserFactory())
    assert notice not in outsider.get(site["held"].url).content.decode()


# --- topic areas and home page ------------------------------------------------------------------


def test_topic_area_page_lists_its_results_and_meetings(client, site):
    soup = soup_of(client, site["topic_admin"].url)

    results = [
        a.get_text() for a in soup.find(id="results-heading").parent.select(".result-list a")
    ]
    meetings = [
        a.get_text() for a in soup.find(id="meetings-heading").parent.select(".meeting-list a")
    ]
    assert results == ["Einführung der E-Akte in der Stadtverwaltung"]
    assert meetings == ["5. Sitzung der AG Digitalisierung"]


def test_topic_area_page_includes_its_sub_areas_and_links_the_filtered_register(client, site):
    # „WLAN an Grundschulen“ is nested in „Digitale Schulen“.
    sub_area = TopicAreaPage.objects.child_of(site["topic_schools"]).get(slug="wlan-grundschulen")
    result = ResultPageFactory(
        parent=site["results"],
        title="Access Points für die Grundschule Neundorf",
        result_date=datetime.date(2024, 5, 2),
    )
    result.topic_areas.set([sub_area])
    result.save()
    meeting = MeetingPageFactory(parent=site["meetings"], title="Sitzung zum Schul-WLAN")
    AgendaItemFactory(meeting=meeting, title="Ausleuchtung", is_public=True, topic_area=sub_area)

    soup = soup_of(client, site["topic_schools"].url)

    section = soup.find(id="results-heading").parent
    assert [a.get_text() for a in section.select(".result-list a")] == [
        "Access Points für die Grundschule Neundorf",
        "WLAN für alle Grundschulen",
    ]
    meetings = soup.find(id="meetings-heading").parent.select(".meeting-list a")
    assert "Sitzung zum Schul-WLAN" in [a.get_text() for a in meetings]
    register_link = f"{site['results'].url}?topic={site['topic_schools'].pk}"
    assert section.find("a", href=register_link)


def test_topic_area_page_does_not_reveal_topics_of_non_public_agenda_items(client, site):
    # The closed 6th meeting is linked to „Digitale Schulen“ only by its confidential agenda.
    soup = soup_of(client, site["topic_schools"].url)

    meetings = [
        a.get_text() for a in soup.find(id="meetings-heading").parent.select(".meeting-list a")
    ]
    assert "6. Sitzung der AG Digitalisierung" not in meetings


def test_topic_area_index_and_subtopics(client, site):
    index = soup_of(client, site["topics"].url)
    schools = soup_of(client, site["topic_schools"].url)

    assert [a.get_text() for a in index.select(".topic-grid > li > a")] == [
        "Digitale Verwaltung",
        "Digitale Schulen",
    ]
    assert "WLAN an Grundschulen" in schools.find(id="subtopics-heading").parent.get_text()


def test_home_page_shows_next_meeting_latest_results_and_topic_areas(client, site):
    soup = soup_of(client, "/")

    next_meeting = soup.find(id="next-meeting-heading").parent
    assert next_meeting.a.get_text() == "7. Sitzung der AG Digitalisierung"
    assert "Rathaus Plauen, Ratssaal" in next_meeting.get_text()
    latest = [a.get_text() for a in soup.select(".result-list a")]
    assert latest == [
        "Einführung der E-Akte in der Stadtverwaltung",
        "WLAN für alle Grundschulen",
    ]
    topics = [a.get_text() for a in soup.find(id="topics-heading").parent.select(".topic-grid a")]
    assert topics == ["Digitale Verwaltung", "Digitale Schulen"]


def test_home_page_skips_a_cancelled_next_meeting(client, site):
    site["upcoming"].status = "cancelled"
    site["upcoming"].save()

    soup = soup_of(client, "/")

    assert "Derzeit ist keine Sitzung geplant." in soup.find(id="next-meeting-heading").parent.text


# --- half-year report ---------------------------------------------------------------------------


def test_report_page_is_readable_on_screen(client, site):
    soup = soup_of(client, site["report"].url)

    assert soup.h1.get_text() == "Halbjahresbericht 1/2024"
    sections = [section.h2.get_text() for section in soup.select(".report__section")]
    assert sections == [
        "Zusammenfassung",
        "Sitzungen im Berichtszeitraum",
        "Ergebnisse und ihr Stand",
    ]
    assert "1. Halbjahr 2024 (01.01.2024 – 30.06.2024)" in soup.get_text()
    meetings = soup.find(id="report-meetings-heading").parent.get_text()
    assert "5. Sitzung" in meetings and "6. Sitzung" in meetings
    # The online address is there for the printout, hidden on screen, with the host the reader
    # used rather than the Site record's.
    assert soup.select_one("dd.print-only").get_text() == "http://testserver" + site["report"].url


def test_report_links_carry_full_addresses_for_the_printout(client, site):
    # The print styles write each link's address after it; a bare path is no use on paper.
    soup = soup_of(client, site["report"].url)

    links = [a["href"] for a in soup.select(".report__section .meeting-list a, .result-list a")]
    assert "http://testserver" + site["held"].url in links
    assert "http://testserver" + site["result"].url in links
    assert all(link.startswith("http://testserver/") for link in links), links


def test_print_styles_drop_navigation_break_pages_and_show_link_addresses():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    print_css = css[css.index("@media print") :]

    assert "size: A4" in print_css
    hidden = re.search(r"([^{}]+)\{\s*display:\s*none", print_css).group(1)
    for selector in (".site-header", ".site-footer", ".site-nav-bar", ".skip-link", ".breadcrumbs"):
        assert selector in hidden
    assert re.search(r"\.report__section[^{]*\{[^}]*break-before:\s*page", print_css)
    assert 'content: " (" attr(href) ")"' in print_css


# --- sitemap, robots, error pages ---------------------------------------------------------------


def test_sitemap_lists_every_public_page_and_nothing_unpublished(client, site):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = {
        urlsplit(loc.text).path for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")
    }

    for url in page_urls(site)[:-1]:
        assert url in locations, url
    assert not any("nie-veroeffentlicht" in location for location in locations)


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, site):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Disallow: /suche/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_404_is_german_and_keeps_the_frame(client, site):
    soup = soup_of(client, "/gibt-es-nicht/", status=404)

    assert soup.h1.get_text() == "Seite nicht gefunden"
    assert soup.html["lang"] == "de"
    assert soup.find("nav", attrs={"aria-label": "Hauptnavigation"})
    assert soup.find("a", href="/")


def raise_error(request):
    raise RuntimeError("kaputt")


urlpatterns = [path("kaputt/", raise_error)]


@override_settings(ROOT_URLCONF=__name__)
def test_500_is_german_and_needs_no_database():
    client = Client(raise_request_exception=False)

    response = client.get("/kaputt/")

    assert response.status_code == 500
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == "de"
    assert soup.h1.get_text() == "Ein Fehler ist aufgetreten"
    assert "{%" not in response.content.decode()


# --- imprint and accessibility statement --------------------------------------------------------


def test_imprint_and_accessibility_statement_are_linked_from_every_page(client, site):
    for url in page_urls(site):
        footer = soup_of(client, url).find("footer")
        links = {a.get_text(): a["href"] for a in footer.find_all("a")}
        assert links["Impressum"] == site["imprint"].url, url
        assert links["Erklärung zur Barrierefreiheit"] == site["accessibility"].url, url


def test_standard_pages_render_title_intro_and_body(client, site):
    soup = soup_of(client, site["imprint"].url)

    assert soup.h1.get_text() == "Impressum"
    assert "Angaben nach § 5 DDG." in soup.select_one(".lead").get_text()
    assert "Unterer Graben 1" in soup.main.get_text()


# --- what every page shares ---------------------------------------------------------------------


def test_every_page_has_lang_landmarks_skip_link_and_one_h1(client, site):
    for url in page_urls(site):
        soup = soup_of(client, url)
        assert soup.html["lang"] == "de", url
        skip = soup.body.find("a")
        assert skip["class"] == ["skip-link"] and skip["href"] == "#main", url
        assert soup.find("main", id="main"), url
        assert soup.find("header") and soup.find("footer"), url
        assert soup.find("nav", attrs={"aria-label": "Hauptnavigation"}), url
        assert soup.find(attrs={"role": "search"}), url
        assert len(soup.find_all("h1")) == 1, url
        assert soup.title.get_text().endswith("– AG Digitalisierung Plauen"), url


def test_every_table_has_column_headers_and_every_field_a_label(client, site):
    for url in page_urls(site) + [site["results"].url + "?kind=unsinn"]:
        soup = soup_of(client, url)
        for table in soup.find_all("table"):
            headers = table.select("thead th[scope=col]")
            assert headers, (url, "table without column headers")
            assert table.caption, (url, "table without caption")
        for field in soup.find_all(["input", "select", "textarea"]):
            if field.get("type") in ("hidden", "submit"):
                continue
            label = soup.find("label", attrs={"for": field.get("id")})
            assert label and label.get_text(strip=True), (url, field)


def test_breadcrumbs_lead_back_to_the_home_page(client, site):
    soup = soup_of(client, site["result"].url)

    crumbs = soup.find("nav", attrs={"aria-label": "Sie sind hier"})
    assert [a["href"] for a in crumbs.find_all("a")] == ["/", site["results"].url]
    assert crumbs.find(attrs={"aria-current": "page"}).get_text() == site["result"].title


def test_no_page_loads_anything_from_another_host(client, site):
    for url in page_urls(site):
        content = client.get(url).content.decode()
        for tag, attribute, value in re.findall(
            r"<(\w+)[^>]*?\s(src|href)=[\"']([^\"']+)[\"']", content
        ):
            external = urlsplit(value).netloc not in ("", "testserver")
            # Only a link the reader follows may point elsewhere; nothing is loaded from there.
            assert not external or tag == "a", (url, tag, attribute, value)
        # The one script is the site's own file (static/js/site.js); nothing inline.
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", content, re.S)
        assert scripts, url
        for attributes, body in scripts:
            assert re.search(r'\ssrc="/static/js/[\w.-]+\.js"', attributes), (url, attributes)
            assert body.strip() == "", (url, "inline script")
        assert content.count("<script") == len(scripts), url
        assert "style=" not in content, (url, "inline styles break the CSP")


def test_members_see_every_non_public_part_marked_the_same_way(client, site):
    """A member copying from a page must not pass on a non-public outcome unawares: agenda items,
    a closed meeting's attendance and documents, and non-public consultations all carry the one
    badge, with its meaning for screen readers."""
    client.force_login(UserFactory(groups=[MEMBERS_GROUP]))
    held = soup_of(client, site["held"].url)
    closed = soup_of(client, site["closed"].url)
    result = soup_of(client, site["result"].url)

    agenda_row = next(row for row in held.select("tr") if "GEHEIM-TOP" in row.get_text())
    consultation_row = next(
        row for row in result.select("tr") if "GEHEIM-BERATUNG" in row.get_text()
    )
    marked = [
        agenda_row,
        closed.find(id="attendance-heading"),
        closed.find(id="documents-heading"),
        consultation_row,
    ]
    badges = [element.select_one(".badge--nonpublic") for element in marked]
    unmarked = [str(element)[:120] for element, b in zip(marked, badges, strict=True) if not b]
    assert unmarked == []
    assert len({str(badge) for badge in badges}) == 1, "one mark, the same everywhere"
    assert "nur für Mitglieder der Arbeitsgruppe" in badges[0].select_one(".visually-hidden").text
    # What the public may read carries no mark.
    public_row = next(row for row in held.select("tr") if "E-Akte" in row.get_text())
    assert public_row.select_one(".badge--nonpublic") is None
