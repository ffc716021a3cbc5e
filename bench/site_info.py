"""Prints, as JSON, the URLs bench/run.py measures in the current database, with the SQL queries
each makes uncached. Run by bench/run.py under bench.settings."""

import json
import os
import sys
from urllib.parse import urlsplit

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from workgroup.models import (  # noqa: E402
    MeetingIndexPage,
    MeetingPage,
    MembersPage,
    ResultIndexPage,
    ResultPage,
)


def urls():
    register = ResultIndexPage.objects.live().get().url
    meetings = MeetingIndexPage.objects.live().get()
    result = ResultPage.objects.live().public().order_by("-result_date", "-pk").first()
    meeting = MeetingPage.objects.live().public().filter(is_public=True).order_by("-start").first()
    found = {
        "home": "/",
        "register": register,
        "register filtered": f"{register}?kind=recommendation&year=2024",
        "register page 300": f"{register}?page=300",
        "result": result.url,
        "meeting calendar": meetings.url,
        "meeting": meeting.url,
        "members": MembersPage.objects.live().get().url,
        "search": "/suche/?q=Digitalisierung",
        "ical feed": f"{meetings.url}kalender/",
        "atom feed": "/feeds/ergebnisse/",
    }
    if "oparl" in settings.INSTALLED_APPS:
        from oparl.identifiers import list_url

        found["oparl papers"] = urlsplit(list_url("paper")).path
    return found


def query_counts(found):
    client = Client()
    counts = {}
    with override_settings(PAGE_CACHE_SECONDS=0):
        for name, url in found.items():
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, HTTP_HOST="127.0.0.1")
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            counts[name] = len(queries)
    return counts


if __name__ == "__main__":
    found = urls()
    print(json.dumps({"urls": found, "queries": query_counts(found)}))
