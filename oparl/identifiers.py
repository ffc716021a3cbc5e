"""The one spelling of every URL the API hands out, built from one configured base URL.

OParl requires an object's `id` to be its canonical URL, the same however the request reached the
server, so ids come from settings and never from the request's host. `oparl.urls` routes the same
paths that these functions build.
"""

from urllib.parse import urlencode

from core.site_url import absolute_url

OPARL_VERSION = "https://schema.oparl.org/1.1/"

# The single Body (the city) has a fixed key: it is part of every list URL.
BODY_KEY = "1"

# Object URLs below the API root, by internal kind (see oparl.kinds).
OBJECT_PATHS = {
    "system": "system",
    "body": "body/{key}",
    "legislative-term": "legislative-term/{key}",
    "council-body": "organization/council-body/{key}",
    "faction": "organization/faction/{key}",
    "person": "person/{key}",
    "workgroup-membership": "membership/workgroup/{key}",
    "faction-membership": "membership/faction/{key}",
    "meeting": "meeting/{key}",
    "agenda-item": "agenda-item/{key}",
    "paper": "paper/{key}",
    "consultation": "consultation/{key}",
    "file": "file/{key}",
    "location": "location/{key}",
}

# The Body's external lists, by list name; `bodies` is the System's list.
LIST_PATHS = {
    "bodies": "bodies",
    "organization": "body/{body}/organization",
    "person": "body/{body}/person",
    "meeting": "body/{body}/meeting",
    "paper": "body/{body}/paper",
    "agenda-item": "body/{body}/agenda-item",
    "consultation": "body/{body}/consultation",
    "file": "body/{body}/file",
    "location": "body/{body}/location",
    "legislative-term": "body/{body}/legislative-term",
    "membership": "body/{body}/membership",
}

FILE_DOWNLOAD_PATH = "file/{key}/download"


def base_url():
    return absolute_url("/oparl/v1/")


def object_url(kind, key=""):
    return base_url() + OBJECT_PATHS[kind].format(key=key)


def list_url(name, query=()):
    url = base_url() + LIST_PATHS[name].format(body=BODY_KEY)
    return f"{url}?{urlencode(query)}" if query else url


def download_url(key):
    return base_url() + FILE_DOWNLOAD_PATH.format(key=key)


def type_url(oparl_type):
    return f"{OPARL_VERSION}{oparl_type}"
