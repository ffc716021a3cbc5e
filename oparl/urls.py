"""Routes for the paths that oparl.identifiers builds; mounted at /oparl/v1/."""

from django.urls import path, re_path, register_converter

from core.url_converters import DatabaseKeyConverter
from oparl import views
from oparl.identifiers import FILE_DOWNLOAD_PATH, LIST_PATHS, OBJECT_PATHS
from oparl.kinds import DATABASE_LISTS, KINDS

register_converter(DatabaseKeyConverter, "oparl_key")


def _route(template, converter="oparl_key"):
    return template.replace("{key}", f"<{converter}:key>").replace("{body}", "<str:body_key>")


urlpatterns = [
    path(OBJECT_PATHS["system"], views.system, name="oparl_system"),
    path(_route(OBJECT_PATHS["body"], "str"), views.body, name="oparl_body"),
    path(
        _route(OBJECT_PATHS["legislative-term"], "str"),
        views.legislative_term,
        name="oparl_legislative_term",
    ),
    path(_route(FILE_DOWNLOAD_PATH), views.file_download, name="oparl_file_download"),
    *(path(_route(OBJECT_PATHS[kind]), views.database_object, {"kind": kind}) for kind in KINDS),
    path(LIST_PATHS["bodies"], views.bodies, name="oparl_bodies"),
    path(_route(LIST_PATHS["legislative-term"]), views.legislative_terms),
    *(
        path(_route(LIST_PATHS[name]), views.database_list, {"list_name": name})
        for name in DATABASE_LISTS
    ),
    # Any other address, line breaks included, is unknown to the API.
    re_path(r"^(?P<path>[\s\S]*)$", views.not_found),
]
