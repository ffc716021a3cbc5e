"""Uploaded files under MEDIA_URL, each through the visibility policy.

Django's static route (and a reverse proxy serving the media folder) would hand any uploaded
file to whoever knows its address, approved or not. Here every file is checked: documents go
only through Wagtail's document view (`/dokumente/…`), which asks the policy; image originals and
renditions, and the editors' avatars, only to users who handle them in the admin. An answer that
refuses is a 404, so that the address does not even tell that a file exists.
"""

import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from wagtail.images import get_image_model

from workgroup import visibility


def _image_for(path):
    """The image whose original or rendition is stored at path, or None."""
    Image = get_image_model()
    folder = path.split("/", 1)[0]
    if folder == "original_images":
        return Image.objects.filter(file=path).first()
    if folder == "images":
        rendition = (
            Image.get_rendition_model().objects.filter(file=path).select_related("image").first()
        )
        return rendition.image if rendition else None
    return None


def _may_fetch(request, path):
    folder = path.split("/", 1)[0]
    if folder in ("original_images", "images"):
        return _image_for(path) is not None and visibility.image_file_is_visible(request)
    if folder == "avatar_images":
        # The admin shows each editor's portrait to the other editors, nobody else.
        return request.user.is_authenticated and request.user.has_perm("wagtailadmin.access_admin")
    # Documents only through /dokumente/, anything else not at all.
    return False


@require_safe
def serve_media(request, path):
    if ".." in path.split("/") or not _may_fetch(request, path):
        raise Http404
    try:
        stored = default_storage.open(path)
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = FileResponse(stored, content_type=content_type)
    # For the admin's users only: no shared cache may keep it.
    patch_cache_control(response, private=True, max_age=3600)
    response["X-Content-Type-Options"] = "nosniff"
    return response
