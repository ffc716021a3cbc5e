"""The one visibility policy (workgroup.visibility), output by output.

Each test names one way the promise broke before the policy: a view-restricted page in sight
(menus, the register and its exports, the result page's topic areas and source meetings, a
public agenda's linked result, a guest's topic), a document public without approval (an upload,
a move into a public collection, a replaced file on live content, media addresses), an image
in a non-public collection served to anyone, and confidential reading by group name.
"""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from tests import factories
from tests import moderation_support as support
from tests.moderation_support import live_result, login, submit
from tests.scenarios import store_documents_on_disk
from workgroup import visibility
from workgroup.editorial.groups import EDITORS_GROUP, MEMBERS_GROUP
from workgroup.models import Member

pytestmark = pytest.mark.django_db

# The shared fixtures, visible to this module's tests.
roles, people = support.roles, support.people

RESTRICTED_TITLE = "Nur-fuer-Mitglieder-9d4e"


def restrict(page, *group_names, kind=PageViewRestriction.GROUPS, password=""):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password=password
    )
    restriction.groups.set(Group.objects.get_or_create(name=name)[0] for name in group_names)
    return restriction


def member_user():
    return factories.UserFactory(groups=[MEMBERS_GROUP])


# --- Pages in sight ----------------------------------------------------------------------------


@pytest.fixture
def restricted_in_menu(site_root):
    page = factories.StandardPageFactory(
        parent=site_root, title=RESTRICTED_TITLE, slug="intern", show_in_menus=True
    )
    restrict(page, MEMBERS_GROUP)
    factories.StandardPageFactory(parent=site_root, title="Impressum", slug="impressum")
    return page


@pytest.mark.parametrize("path", ["/", "/impressum/", "/gibt-es-nicht/"])
def test_a_restricted_page_is_in_no_menu_of_the_public(client, restricted_in_menu, path):
    assert RESTRICTED_TITLE not in client.get(path).content.decode()


def test_a_restricted_page_is_in_the_menu_of_whoever_passes_it(client, restricted_in_menu):
    client.force_login(member_user())
    assert RESTRICTED_TITLE in client.get("/").content.decode()


@pytest.mark.parametrize(
    "kind", [PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD, PageViewRestriction.GROUPS]
)
def test_every_kind_of_restriction_hides_a_page_from_anonymous_readers(site_root, kind):
    page = factories.StandardPageFactory(parent=site_root, title=RESTRICTED_TITLE)
    restrict(page, MEMBERS_GROUP, kind=kind, password="geheim")
    child = factories.StandardPageFactory(parent=page, title="Kind")
    assert not visibility.page_is_visible(page)
    assert not visibility.page_is_visible(child)
    assert not visibility.public_pages(type(page).objects.filter(pk=child.pk)).exists()


def test_a_login_restriction_lets_any_logged_in_reader_pass(rf, site_root):
    page = factories.StandardPageFactory(parent=site_root, title=RESTRICTED_TITLE)
    restrict(page, kind=PageViewRestriction.LOGIN)
    request = rf.get("/")
    request.user = factories.UserFactory()
    assert visibility.page_is_visible(page, request)


@pytest.fixture
def tagged_result(site_root):
    """A public, live result whose topic area and source meeting are restricted."""
    topics = factories.TopicAreaIndexPageFactory(parent=site_root)
    open_topic = factories.TopicAreaPageFactory(parent=topics, title="Offenes Themenfeld")
    closed_topic = factories.TopicAreaPageFactory(parent=topics, title=RESTRICTED_TITLE)
    restrict(closed_topic, MEMBERS_GROUP)
    meetings = factories.MeetingIndexPageFactory(parent=site_root)
    closed_meeting = factories.MeetingPageFactory(
        parent=meetings, title=f"Sitzung {RESTRICTED_TITLE}", is_public=True
    )
    restrict(closed_meeting, MEMBERS_GROUP)
    register = factories.ResultIndexPageFactory(parent=site_root)
    result = factories.ResultPageFactory(parent=register, title="Öffentliches Ergebnis")
    result.topic_areas.set([open_topic, closed_topic])
    result.source_meetings.set([closed_meeting])
    result.save()
    return {"register": register, "result": result, "meetings": meetings}


def test_a_restricted_topic_area_and_meeting_stay_off_a_public_result(client, tagged_result):
    register, result = tagged_result["register"], tagged_result["result"]
    urls = [
        result.url,
        register.url,
        register.url + "export/csv/",
        register.url + "export/json/",
    ]
    for url in urls:
        content = client.get(url).content.decode()
        assert "Öffentliches Ergebnis" in content or "ffentliches Ergebnis" in content, url
        assert RESTRICTED_TITLE not in content, url
    assert "Offenes Themenfeld" in client.get(result.url).content.decode()


def test_members_see_the_restricted_topic_area_on_the_result(client, tagged_result):
    client.force_login(member_user())
    content = client.get(tagged_result["result"].url).content.decode()
    assert RESTRICTED_TITLE in content


def test_a_public_agenda_does_not_link_a_restricted_result(client, tagged_result):
    hidden = factories.ResultPageFactory(parent=tagged_result["register"], title=RESTRICTED_TITLE)
    restrict(hidden, MEMBERS_GROUP)
    meeting = factories.MeetingPageFactory(parent=tagged_result["meetings"], is_public=True)
    factories.AgendaItemFactory(meeting=meeting, is_public=True, result=hidden, title="TOP")
    assert RESTRICTED_TITLE not in client.get(meeting.url).content.decode()
    client.force_login(member_user())
    assert RESTRICTED_TITLE in client.get(meeting.url).content.decode()


def test_a_guests_restricted_topic_stays_off_the_members_page(client, site_root):
    topics = factories.TopicAreaIndexPageFactory(parent=site_root)
    topic = factories.TopicAreaPageFactory(parent=topics, title=RESTRICTED_TITLE)
    restrict(topic, MEMBERS_GROUP)
    members_page = factories.MembersPageFactory(parent=site_root)
    factories.MemberFactory(
        role=Member.Role.GUEST, guest_topic=topic, name="Gast", name_is_public=True
    )
    content = client.get(members_page.url).content.decode()
    assert "Gast" in content
    assert RESTRICTED_TITLE not in content


# --- Reading the non-public parts is a permission ----------------------------------------------


def test_confidential_reading_is_the_permission_not_the_group_name(roles):
    in_group_without_right = factories.UserFactory(groups=[MEMBERS_GROUP])
    Group.objects.get(name=MEMBERS_GROUP).permissions.clear()
    assert not visibility.can_read_confidential(in_group_without_right)

    other_group = Group.objects.create(name="Rechnungsprüfung")
    other_group.permissions.add(Permission.objects.get(codename="view_confidential"))
    reader = factories.UserFactory()
    reader.groups.add(other_group)
    assert visibility.can_read_confidential(reader)


# --- Documents ---------------------------------------------------------------------------------


@pytest.fixture
def on_disk(settings, tmp_path):
    store_documents_on_disk(settings, tmp_path)


@pytest.fixture
def public_collection():
    return Collection.get_first_root_node().add_child(name="Öffentliche Dokumente")


@pytest.fixture
def members_collection():
    collection = Collection.get_first_root_node().add_child(name="Nur für AG-Mitglieder")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get_or_create(name=MEMBERS_GROUP)[0])
    return collection


def test_an_upload_no_live_content_uses_is_served_to_nobody_outside_the_editors(
    client,
    on_disk,
    roles,
    public_collection,
    members_collection,
):
    root = Collection.get_first_root_node()
    for collection in (root, public_collection, members_collection):
        document = factories.DocumentFactory(collection=collection)
        assert client.get(document.url).status_code in (302, 403, 404)
        login(client, member_user())
        assert client.get(document.url).status_code in (403, 404)
        login(client, factories.UserFactory(groups=[EDITORS_GROUP]))
        # Editors check uploads before they attach them; a restricted collection still
        # needs its group, as Wagtail decides.
        expected = 403 if collection == members_collection else 200
        assert client.get(document.url).status_code in (expected, 302)
        client.logout()


def test_moving_a_document_into_a_public_collection_publishes_nothing(
    client, on_disk, public_collection, members_collection
):
    document = factories.DocumentFactory(collection=members_collection)
    document.collection = public_collection
    document.save()
    assert client.get(document.url).status_code == 302  # to the login, not the file


def test_a_live_public_result_serves_its_attachment_to_everyone(client, on_disk, site_root):
    register = factories.ResultIndexPageFactory(parent=site_root)
    result = factories.ResultPageFactory(parent=register)
    document = factories.DocumentFactory()
    factories.ResultAttachmentFactory(result=result, document=document)
    assert client.get(document.url).status_code == 200
    result.unpublish()
    assert client.get(document.url).status_code == 302


def test_a_restricted_results_attachment_is_not_public(client, on_disk, site_root):
    register = factories.ResultIndexPageFactory(parent=site_root)
    result = factories.ResultPageFactory(parent=register)
    restrict(result, MEMBERS_GROUP)
    document = factories.DocumentFactory()
    factories.ResultAttachmentFactory(result=result, document=document)
    assert client.get(document.url).status_code == 302
    client.force_login(member_user())
    assert client.get(document.url).status_code == 200


def a_document(**fields):
    """An upload as the admin makes it: in the root collection unless another is named (the
    factory would make a collection of its own, outside the roles' permissions)."""
    fields.setdefault("collection", Collection.get_first_root_node())
    return factories.DocumentFactory(**fields)


def edit_document(client, document, **changes):
    data = {
        "title": document.title,
        "collection": document.collection_id,
        "tags": "",
        **changes,
    }
    return client.post(reverse("wagtaildocs:edit", args=[document.pk]), data)


@pytest.fixture
def coordinator(people):
    return people["coordinator"]


@pytest.fixture
def attached(site_root, on_disk, people):
    """A live public result with an attachment, and a document nothing uses."""
    register = factories.ResultIndexPageFactory(parent=site_root)
    result = live_result(register, people["author"])
    document = a_document(title="Beschlussvorlage")
    factories.ResultAttachmentFactory(result=result, document=document)
    result.refresh_from_db()
    return {"result": result, "document": document, "register": register}


@pytest.mark.parametrize(
    "change",
    [
        {"file": "neu"},
        {"title": "Ausgetauschter Titel"},
        {"collection": "other"},
    ],
    ids=["file", "title", "collection"],
)
def test_a_document_live_content_uses_keeps_file_title_and_collection(
    client, attached, coordinator, change
):
    document = attached["document"]
    original = (document.file.name, document.title, document.collection_id, document.file_hash)
    changes = dict(change)
    if "file" in changes:
        changes["file"] = SimpleUploadedFile("neu.pdf", b"%PDF-1.4 ausgetauscht")
    if "collection" in changes:
        changes["collection"] = Collection.get_first_root_node().add_child(name="Andere").pk
    response = login(client, coordinator).post(
        reverse("wagtaildocs:edit", args=[document.pk]),
        {"title": document.title, "collection": document.collection_id, "tags": "", **changes},
    )
    assert response.status_code == 200
    assert "gehört zu freigegebenen Inhalten" in response.content.decode()
    document.refresh_from_db()
    assert (document.file.name, document.title, document.collection_id, document.file_hash) == (
        original
    )
    client.logout()
    assert b"ausgetauscht" not in b"".join(client.get(document.url).streaming_content)


def test_tags_of_a_used_document_may_change(client, attached, coordinator):
    document = attached["document"]
    response = edit_document(login(client, coordinator), document, tags="Haushalt")
    assert response.status_code == 302
    assert list(document.tags.names()) == ["Haushalt"]


def test_a_document_nothing_uses_may_be_replaced(client, on_disk, coordinator):
    document = a_document(title="Entwurf")
    response = edit_document(
        login(client, coordinator),
        document,
        title="Entwurf, zweite Fassung",
        file=SimpleUploadedFile("zweite.pdf", b"%PDF-1.4 zweite"),
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Entwurf, zweite Fassung"


def test_a_document_in_a_version_under_review_is_frozen_too(site_root, on_disk, people):
    register = factories.ResultIndexPageFactory(parent=site_root)
    result = live_result(register, people["author"])
    document = factories.DocumentFactory()
    assert not visibility.document_in_approved_use(document)
    draft = result.get_latest_revision_as_object()
    draft.attachments.add(factories.ResultAttachmentFactory.build(result=draft, document=document))
    draft.save_revision(user=people["author"])
    # The live page does not use it yet; the version waiting for approval does.
    assert not visibility.document_in_approved_use(document)
    submit(result, people["author"])
    assert visibility.document_in_approved_use(document)


# --- Media addresses ---------------------------------------------------------------------------


def an_image(collection=None):
    buffer = io.BytesIO()
    # The smallest valid GIF: 1×1 pixel.
    buffer.write(
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
        b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )
    return get_image_model().objects.create(
        title="Bild",
        file=ContentFile(buffer.getvalue(), name="geheim-9d4e.gif"),
        collection=collection or Collection.get_first_root_node(),
    )


def test_image_files_go_only_to_editors(client, on_disk, roles, members_collection):
    cache.clear()  # Wagtail keeps renditions in the cache, across tests too.
    image = an_image(members_collection)
    rendition = image.get_rendition("original")
    for url in (image.file.url, rendition.url):
        assert client.get(url).status_code == 404, url
        login(client, member_user())
        assert client.get(url).status_code == 404, url
        login(client, factories.UserFactory(groups=[EDITORS_GROUP]))
        assert client.get(url).status_code == 200, url
        client.logout()


def test_document_files_never_leave_by_their_media_address(client, on_disk, site_root):
    register = factories.ResultIndexPageFactory(parent=site_root)
    result = factories.ResultPageFactory(parent=register)
    document = factories.DocumentFactory()
    factories.ResultAttachmentFactory(result=result, document=document)
    assert client.get(document.url).status_code == 200
    assert client.get(document.file.url).status_code == 404
    client.force_login(factories.UserFactory(is_superuser=True))
    assert client.get(document.file.url).status_code == 404


def test_media_paths_cannot_climb_out_of_the_media_folder(client, on_disk):
    assert client.get("/media/images/../../manage.py").status_code == 404


def test_a_document_block_in_a_live_page_body_serves_its_document(client, on_disk, site_root):
    """Document blocks and rich-text links reach the policy through Wagtail's reference index."""
    document = a_document(title="Im Text verlinkt")
    page = factories.StandardPageFactory(parent=site_root, title="Mit Dokument")
    page.body = [("document", {"document": document, "title": "Anlage"})]
    page.save_revision().publish()
    assert client.get(document.url).status_code == 200
    assert document.url in client.get(page.url).content.decode()
    page.refresh_from_db()
    page.unpublish()
    assert client.get(document.url).status_code == 302


def test_a_closed_meetings_minutes_stay_closed_wherever_else_they_hang(client, on_disk, site_root):
    """Attached to a public result too, the minutes of a non-public meeting go to AG members only:
    an attachment cannot publish what the meeting keeps closed."""
    document = a_document(title="Niederschrift")
    meetings = factories.MeetingIndexPageFactory(parent=site_root)
    factories.MeetingPageFactory(parent=meetings, is_public=False, minutes=document)
    register = factories.ResultIndexPageFactory(parent=site_root)
    result = factories.ResultPageFactory(parent=register)
    factories.ResultAttachmentFactory(result=result, document=document)
    assert client.get(document.url).status_code == 302
    assert document.url not in client.get(result.url).content.decode()
    client.force_login(member_user())
    assert client.get(document.url).status_code == 200
