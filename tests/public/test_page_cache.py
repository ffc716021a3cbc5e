"""The anonymous page cache: served at once, invalidated by every content change, never shared
with a logged-in member (core/page_cache.py)."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.urls import reverse
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.models import PageViewRestriction

from core import page_cache
from tests import factories
from workgroup.editorial import roles
from workgroup.editorial.groups import COORDINATION_GROUP, EDITORS_GROUP, MEMBERS_GROUP
from workgroup.models import Member


class RecordingBackend(BaseBackend):
    """A frontend cache (CDN, Varnish) that notes what it is asked to purge."""

    purged = []

    def purge(self, url):
        self.purged.append(url)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    caches["default"].clear()


@pytest.fixture
def site(site_root):
    register = factories.ResultIndexPageFactory(parent=site_root)
    topics = factories.TopicAreaIndexPageFactory(parent=site_root)
    topic = factories.TopicAreaPageFactory(parent=topics, title="Schulen")
    meetings = factories.MeetingIndexPageFactory(parent=site_root)
    members = factories.MembersPageFactory(parent=site_root)
    result = factories.ResultPageFactory(parent=register, title="Erstes Ergebnis")
    result.topic_areas.add(topic)
    result.save()
    closed_meeting = factories.MeetingPageFactory(parent=meetings, is_public=False)
    factories.AgendaItemFactory(
        meeting=closed_meeting, title="Vertrauliche Personalsache", is_public=False
    )
    return {
        "home": site_root,
        "register": register,
        "topic": topic,
        "meetings": meetings,
        "members": members,
        "result": result,
        "closed_meeting": closed_meeting,
    }


def publish_new_result(register, title):
    result = factories.ResultPageFactory.build(title=title, slug="neu", live=False)
    register.add_child(instance=result)
    result.save_revision().publish()
    return result


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, response.content.decode()


def test_second_anonymous_request_is_served_from_the_cache(client, site):
    url = site["register"].url
    first, first_html = fetch(client, url)
    second, second_html = fetch(client, url)
    assert first[page_cache.STATUS_HEADER] == "miss"
    assert second[page_cache.STATUS_HEADER] == "hit"
    assert second_html == first_html


def test_cached_pages_tell_shared_caches_to_keep_visitors_apart(client, site):
    for response in (client.get("/"), client.get("/")):
        assert "public" in response["Cache-Control"]
        assert "max-age=0" in response["Cache-Control"]
        assert "Cookie" in response["Vary"]


def test_publishing_changes_the_cached_register_home_and_feed_at_once(client, site):
    urls = [site["register"].url, "/", "/feeds/ergebnisse/", site["topic"].url]
    for url in urls:
        fetch(client, url)
        assert client.get(url)[page_cache.STATUS_HEADER] == "hit"

    publish_new_result(site["register"], "Frisch veröffentlicht")

    for url in urls[:3]:
        response, html = fetch(client, url)
        assert response[page_cache.STATUS_HEADER] == "miss"
        assert "Frisch veröffentlicht" in html, url


@pytest.mark.parametrize("change", ["unpublish", "delete", "move", "edit_and_publish"])
def test_every_page_change_reaches_the_cached_register(client, site, change):
    result = site["result"]
    fetch(client, site["register"].url)
    if change == "unpublish":
        result.unpublish()
    elif change == "delete":
        result.delete()
    elif change == "move":
        other = factories.StandardPageFactory(parent=site["home"], title="Archiv")
        result.move(other, pos="last-child")
    else:
        result.title = "Geänderter Titel"
        result.save_revision().publish()
    response, html = fetch(client, site["register"].url)
    assert response[page_cache.STATUS_HEADER] == "miss"
    assert ("Geänderter Titel" in html) == (change == "edit_and_publish")
    assert ("Erstes Ergebnis" in html) is False


def test_a_changed_member_reaches_the_cached_members_page(client, site):
    member = factories.MemberFactory(role=Member.Role.CHAIR, name="Alte Vorsitzende")
    assert "Alte Vorsitzende" in fetch(client, site["members"].url)[1]
    member.name = "Neue Vorsitzende"
    member.save_revision().publish()
    assert "Neue Vorsitzende" in fetch(client, site["members"].url)[1]


def test_a_view_restriction_reaches_the_cache(client, site):
    fetch(client, site["result"].url)
    PageViewRestriction.objects.create(
        page=site["result"], restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get(site["result"].url).status_code == 302


def test_a_logged_in_member_never_gets_the_cached_anonymous_page(client, site):
    url = site["closed_meeting"].url
    _response, anonymous_html = fetch(client, url)
    assert "Vertrauliche Personalsache" not in anonymous_html
    assert client.get(url)[page_cache.STATUS_HEADER] == "hit"

    client.force_login(factories.UserFactory(groups=[MEMBERS_GROUP]))
    response, member_html = fetch(client, url)
    assert response[page_cache.STATUS_HEADER] == "bypass"
    assert "Vertrauliche Personalsache" in member_html
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_logged_in_member_never_fills_the_cache(client, site):
    url = site["closed_meeting"].url
    client.force_login(factories.UserFactory(groups=[MEMBERS_GROUP]))
    fetch(client, url)
    client.logout()
    client.cookies.clear()
    response, html = fetch(client, url)
    assert response[page_cache.STATUS_HEADER] == "miss"
    assert "Vertrauliche Personalsache" not in html


def test_requests_with_a_session_or_messages_cookie_bypass_the_cache(client, site):
    fetch(client, "/")
    for cookie in ("sessionid", "messages"):
        client.cookies.clear()
        client.cookies[cookie] = "irgendwas"
        assert client.get("/")[page_cache.STATUS_HEADER] == "bypass"


def test_responses_that_set_a_cookie_are_never_cached(client, site):
    # A password-protected page renders a form with a CSRF token and sets the CSRF cookie.
    PageViewRestriction.objects.create(
        page=site["result"], restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    for _attempt in range(2):
        response = client.get(site["result"].url)
        client.cookies.clear()
        assert response.cookies
        assert page_cache.STATUS_HEADER not in response
        assert "private" in response["Cache-Control"]


def test_post_admin_and_errors_are_not_cached(client, site):
    assert page_cache.STATUS_HEADER not in client.post("/")
    assert page_cache.STATUS_HEADER not in client.get("/admin/login/")
    client.get("/gibt-es-nicht/")
    assert page_cache.STATUS_HEADER not in client.get("/gibt-es-nicht/")


def test_the_cache_can_be_switched_off(client, site, settings):
    settings.PAGE_CACHE_SECONDS = 0
    fetch(client, "/")
    assert page_cache.STATUS_HEADER not in client.get("/")


def test_an_evicted_generation_never_revives_old_entries(client, site):
    fetch(client, "/")
    page_cache.generation_cache().delete(page_cache.GENERATION_KEY)
    assert client.get("/")[page_cache.STATUS_HEADER] == "miss"


def test_the_generation_changes_again_after_the_commit(site):
    # A request may read the new generation while the publishing transaction is still open and
    # render the old content; the bump after the commit makes that entry unreachable too.
    publish_new_result(site["register"], "Noch offen")
    during = page_cache.current_generation()
    pending = [func for _sids, func, _robust in connection.run_on_commit]
    assert pending.count(page_cache.after_commit) == 1
    page_cache.after_commit()
    assert page_cache.current_generation() != during


def test_publishing_purges_a_configured_frontend_cache(site, settings):
    settings.WAGTAILFRONTENDCACHE = {
        "recording": {"BACKEND": "tests.public.test_page_cache.RecordingBackend"}
    }
    RecordingBackend.purged.clear()
    result = publish_new_result(site["register"], "Für das CDN")
    page_cache.after_commit()  # the test's transaction never commits
    purged = set(RecordingBackend.purged)
    assert result.full_url in purged
    assert {site["home"].full_url, site["register"].full_url} <= purged
    assert site["home"].full_url + "feeds/ergebnisse/" in purged


def test_an_approval_through_the_workflow_changes_every_cached_listing_at_once(client, site):
    """The path content really takes: the editor submits, the Koordination approves in the
    admin, and the very next anonymous request sees the result everywhere it is listed."""
    roles.ensure_roles()
    editor = factories.UserFactory(groups=[EDITORS_GROUP])
    approver = Client()
    approver.force_login(factories.UserFactory(groups=[COORDINATION_GROUP]))
    result = factories.ResultPageFactory.build(title="Per Freigabe online", slug="frei", live=False)
    site["register"].add_child(instance=result)
    result.topic_areas.add(site["topic"])
    result.save_revision(user=editor)
    task_state = result.get_workflow().start(result, editor).current_task_state
    listings = [
        site["register"].url,
        "/",
        site["topic"].url,
        "/feeds/ergebnisse/",
        f"/feeds/ergebnisse/themenfeld/{site['topic'].pk}/",
        "/oparl/v1/body/1/paper",
    ]
    for url in listings:
        fetch(client, url)
        response, html = fetch(client, url)
        assert response[page_cache.STATUS_HEADER] == "hit", url
        assert "Per Freigabe online" not in html

    response = approver.post(
        reverse("wagtailadmin_pages:workflow_action", args=[result.pk, "approve", task_state.pk]),
        {"comment": ""},
    )
    assert response.status_code == 302

    for url in listings:
        response, html = fetch(client, url)
        assert response[page_cache.STATUS_HEADER] == "miss", url
        assert "Per Freigabe online" in html, url


@pytest.mark.parametrize("model", ["faction", "council body"])
def test_a_changed_faction_or_council_body_reaches_the_cache(client, site, model):
    if model == "faction":
        faction = factories.FactionFactory(name="Alte Fraktion")
        factories.MemberFactory(role=Member.Role.REPRESENTATIVE, faction=faction)
        url, changed = site["members"].url, faction
    else:
        body = factories.CouncilBodyFactory(name="Altes Gremium")
        factories.ConsultationFactory(result=site["result"], body=body)
        url, changed = site["result"].url, body
    assert "Alte" in fetch(client, url)[1]
    assert client.get(url)[page_cache.STATUS_HEADER] == "hit"

    changed.name = "Umbenannt"
    if model == "faction":
        changed.save_revision().publish()
    else:
        changed.save()

    response, html = fetch(client, url)
    assert response[page_cache.STATUS_HEADER] == "miss"
    assert "Umbenannt" in html


def test_installations_on_other_databases_share_no_generation(settings):
    """Without Redis the generation lives in a directory of the machine; a second installation
    or data set on another database must neither see nor bump it."""
    import subprocess
    import sys

    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['page_generation'].get('KEY_PREFIX', ''))"
    )

    def prefix(database_url):
        env = {
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DATABASE_URL": database_url,
            "PATH": "/usr/bin:/bin",
        }
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip().splitlines()[-1]

    first = prefix("sqlite:////tmp/ag-eins.sqlite3")
    assert first and first != prefix("sqlite:////tmp/ag-zwei.sqlite3")
    assert first == prefix("sqlite:////tmp/ag-eins.sqlite3")
