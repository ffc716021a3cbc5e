"""The invitation and minutes of a non-public meeting reach AG members only, even when the
editor filed them in a public collection."""

import pytest

from tests import factories
from tests.scenarios import store_documents_on_disk
from workgroup.editorial.roles import EDITORS_GROUP, MEMBERS_GROUP, ensure_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings(site_root, settings, tmp_path):
    store_documents_on_disk(settings, tmp_path)
    ensure_roles()
    index = factories.MeetingIndexPageFactory(parent=site_root)
    closed_minutes = factories.DocumentFactory(title="Niederschrift nicht öffentlich")
    public_minutes = factories.DocumentFactory(title="Niederschrift öffentlich")
    factories.MeetingPageFactory(parent=index, is_public=False, minutes=closed_minutes)
    factories.MeetingPageFactory(parent=index, is_public=True, minutes=public_minutes)
    return {"closed": closed_minutes, "public": public_minutes}


def test_anonymous_visitors_are_sent_to_the_login(client, meetings):
    response = client.get(meetings["closed"].url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_public_meetings_minutes_serve_anyone(client, meetings):
    assert client.get(meetings["public"].url).status_code == 200


def test_ag_members_and_editors_download_them(client, meetings):
    for group in (MEMBERS_GROUP, EDITORS_GROUP):
        client.force_login(factories.UserFactory(groups=[group]))
        assert client.get(meetings["closed"].url).status_code == 200


def test_a_logged_in_user_outside_the_ag_is_refused_in_german(client, meetings):
    client.force_login(factories.UserFactory())
    response = client.get(meetings["closed"].url)
    assert response.status_code == 403
    assert "nicht öffentlichen Sitzung" in response.content.decode()
