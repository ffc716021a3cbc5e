"""Who may do what with documents and images, through the admin's and the site's own views:
every role against every action. As in test_moderation_matrix.py, each case builds the state
the action needs, acts as that role, and checks the effect, not the buttons.

The rules behind the cells (workgroup.visibility, workgroup.editorial.roles): uploading
publishes nothing;
a document approved content uses keeps its file, title and collection for everyone, superusers
included; a collection publishes nothing by itself; image files go only to the admin's users.
"""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from tests import factories
from tests import moderation_support as support
from tests.moderation_support import ROLES, live_result, login
from tests.scenarios import store_documents_on_disk
from workgroup.editorial.groups import MEMBERS_GROUP

roles, people, result_index = support.roles, support.people, support.result_index

pytestmark = pytest.mark.django_db

UPLOADING = {"editor", "coordinator", "vice_chair", "superuser"}
# Wagtail lets the uploader change a file; changing someone else's stays with the Koordination.
CHANGING_OTHERS = {"coordinator", "vice_chair", "superuser"}
ADMIN_USERS = {"editor", "coordinator", "vice_chair", "superuser"}
NOBODY = set()

ALLOWED = {
    "upload_document": UPLOADING,
    "download_unused_document": ADMIN_USERS,
    "replace_unused_document": CHANGING_OTHERS,
    "replace_used_document": NOBODY,
    "retitle_used_document": NOBODY,
    "move_used_document": NOBODY,
    "publish_by_collection_move": NOBODY,
    "delete_unused_document": CHANGING_OTHERS,
    "upload_image": UPLOADING,
    "fetch_image_original": ADMIN_USERS,
    "fetch_image_rendition": ADMIN_USERS,
    "edit_image": CHANGING_OTHERS,
    "delete_image": CHANGING_OTHERS,
}


@pytest.fixture(autouse=True)
def on_disk(settings, tmp_path):
    store_documents_on_disk(settings, tmp_path)
    # Wagtail keeps renditions in the cache; one from an earlier test's database would stand
    # in for this test's image.
    cache.clear()


def root():
    return Collection.get_first_root_node()


def a_document(**fields):
    return factories.DocumentFactory(collection=fields.pop("collection", root()), **fields)


def used_document(index, author):
    result = live_result(index, author)
    document = a_document(title="Freigegebene Anlage")
    factories.ResultAttachmentFactory(result=result, document=document)
    return document


def members_only_collection():
    collection = root().add_child(name="Nur für die AG")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get_or_create(name=MEMBERS_GROUP)[0])
    return collection


def post_document_form(client, document, **changes):
    data = {"title": document.title, "collection": document.collection_id, "tags": "", **changes}
    return client.post(reverse("wagtaildocs:edit", args=[document.pk]), data)


def unchanged(document, **original):
    document.refresh_from_db()
    return all(getattr(document, name) == value for name, value in original.items())


# --- Documents ---------------------------------------------------------------------------------


def upload_document(client, index, author):
    client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Neue Anlage",
            "file": SimpleUploadedFile("neu.pdf", b"%PDF-1.4 neu"),
            "collection": root().pk,
            "tags": "",
        },
    )
    return get_document_model().objects.filter(title="Neue Anlage").exists()


def download_unused_document(client, index, author):
    return client.get(a_document().url).status_code == 200


def replace_unused_document(client, index, author):
    document = a_document(uploaded_by_user=author)
    post_document_form(client, document, file=SimpleUploadedFile("b.pdf", b"%PDF-1.4 b"))
    return not unchanged(document, file_hash=document.file_hash)


def replace_used_document(client, index, author):
    document = used_document(index, author)
    post_document_form(client, document, file=SimpleUploadedFile("b.pdf", b"%PDF-1.4 b"))
    return not unchanged(document, file_hash=document.file_hash)


def retitle_used_document(client, index, author):
    document = used_document(index, author)
    post_document_form(client, document, title="Anderer Titel")
    return not unchanged(document, title=document.title)


def move_used_document(client, index, author):
    document = used_document(index, author)
    post_document_form(client, document, collection=root().add_child(name="Andere").pk)
    return not unchanged(document, collection_id=document.collection_id)


def publish_by_collection_move(client, index, author):
    """Moving an unused document out of the members' collection makes it public?"""
    document = a_document(collection=members_only_collection())
    post_document_form(client, document, collection=root().pk)
    client.logout()
    return client.get(document.url).status_code == 200


def delete_unused_document(client, index, author):
    document = a_document(uploaded_by_user=author)
    client.post(reverse("wagtaildocs:delete", args=[document.pk]))
    return not get_document_model().objects.filter(pk=document.pk).exists()


# --- Images ------------------------------------------------------------------------------------

# The smallest valid GIF: one pixel.
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
    b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def an_image(author=None):
    return get_image_model().objects.create(
        title="Bild",
        file=ContentFile(PIXEL, name="bild.gif"),
        collection=root(),
        uploaded_by_user=author,
    )


def upload_image(client, index, author):
    client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Neues Bild",
            "file": SimpleUploadedFile("neu.gif", PIXEL, content_type="image/gif"),
            "collection": root().pk,
            "tags": "",
        },
    )
    return get_image_model().objects.filter(title="Neues Bild").exists()


def fetch_image_original(client, index, author):
    return client.get(an_image(author).file.url).status_code == 200


def fetch_image_rendition(client, index, author):
    return client.get(an_image(author).get_rendition("original").url).status_code == 200


def edit_image(client, index, author):
    image = an_image(author)
    client.post(
        reverse("wagtailimages:edit", args=[image.pk]),
        {"title": "Umbenannt", "collection": root().pk, "tags": ""},
    )
    image.refresh_from_db()
    return image.title == "Umbenannt"


def delete_image(client, index, author):
    image = an_image(author)
    client.post(reverse("wagtailimages:delete", args=[image.pk]))
    return not get_image_model().objects.filter(pk=image.pk).exists()


ACTIONS = {
    "upload_document": upload_document,
    "download_unused_document": download_unused_document,
    "replace_unused_document": replace_unused_document,
    "replace_used_document": replace_used_document,
    "retitle_used_document": retitle_used_document,
    "move_used_document": move_used_document,
    "publish_by_collection_move": publish_by_collection_move,
    "delete_unused_document": delete_unused_document,
    "upload_image": upload_image,
    "fetch_image_original": fetch_image_original,
    "fetch_image_rendition": fetch_image_rendition,
    "edit_image": edit_image,
    "delete_image": delete_image,
}
CELLS = [(action, role) for action in ACTIONS for role in ROLES]


@pytest.mark.parametrize(("action", "role"), CELLS)
def test_file_permission_matrix(client, people, result_index, action, role):
    login(client, people[role])
    happened = ACTIONS[action](client, result_index, people["author"])
    expected = role in ALLOWED[action]
    assert happened is expected, (
        f"{role} {'should' if expected else 'must not'} be able to {action}"
    )


def test_the_file_matrix_covers_every_action():
    """6 roles × 13 actions = 78 cells."""
    assert set(ACTIONS) == set(ALLOWED)
    allowed = sum(role in ALLOWED[action] for action, role in CELLS)
    assert (len(CELLS), allowed) == (78, 32)


def test_the_pixel_is_an_image():
    from PIL import Image

    assert Image.open(io.BytesIO(PIXEL)).size == (1, 1)
