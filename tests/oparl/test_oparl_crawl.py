"""The whole OParl API, crawled from /oparl/v1/system through every list, every page and every
id, and validated against the specification (tests/oparl/oparl_validation.py): on content shaped
like the demo, on the demo content itself, on a mixed data set in small pages and on the data set of
`manage.py generate_data`. The objects validated per type are printed and written to
test-artifacts/oparl/."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction
from wagtail.signal_handlers import disable_reference_index_auto_update

from oparl.identifiers import base_url, object_url
from tests import factories, scenarios
from tests.oparl.oparl_validation import SYNCHRONISING, Crawler, check_filters
from workgroup.models import (
    AgendaItem,
    Consultation,
    CouncilBody,
    Faction,
    Location,
    MeetingPage,
    Member,
    ResultAttachment,
    ResultPage,
)
from workgroup.visibility import public_pages as unrestricted

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()
ARTIFACTS = Path(django_settings.BASE_DIR) / "test-artifacts" / "oparl"
SECRET = "Geheimsache-c41d"


@pytest.fixture(autouse=True)
def files_on_disk(settings, tmp_path):
    """The website serves documents from a file system path, which the tests' in-memory
    storage pretends to have; on disk, every File's accessUrl can be followed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }


@pytest.fixture
def without_indexing(settings):
    """Hundreds of pages are this test's setup, not its subject: Wagtail's search and reference
    indexes are left alone while it builds them (generate_data does so itself)."""
    settings.WAGTAILSEARCH_BACKENDS = {
        name: {**config, "AUTO_UPDATE": False}
        for name, config in settings.WAGTAILSEARCH_BACKENDS.items()
    }
    with disable_reference_index_auto_update():
        yield


def served_to_anonymous(document):
    """Whether the website's document view serves the document to anyone: Wagtail's collection
    restrictions and the project's own rules are its `before_serve_document` hooks."""
    request = RequestFactory().get(document.url)
    request.user = AnonymousUser()
    request.session = {}
    return all(hook(document, request) is None for hook in hooks.get_hooks("before_serve_document"))


def expected_ids():
    """What the public website shows, by the domain app's own rules (live pages outside view
    restrictions, public items of public meetings, public consultations, documents its document
    view serves to anyone, released names), as the ids the API must list."""

    def urls(kind, keys):
        return {object_url(kind, key) for key in keys}

    meetings = unrestricted(MeetingPage.objects.live())
    results = unrestricted(ResultPage.objects.live())
    open_meetings = meetings.filter(is_public=True)
    document_ids = (
        set(open_meetings.values_list("invitation_id", flat=True))
        | set(open_meetings.values_list("minutes_id", flat=True))
        | set(
            ResultAttachment.objects.filter(result__in=results).values_list(
                "document_id", flat=True
            )
        )
    )
    documents = get_document_model().objects.filter(pk__in=document_ids - {None})
    persons = Member.objects.filter(live=True, name_is_public=True)
    workgroup_memberships = (
        urls("workgroup-membership", persons.values_list("pk", flat=True))
        if CouncilBody.objects.filter(is_workgroup=True).exists()
        else set()
    )
    return {
        "meeting": urls("meeting", meetings.values_list("pk", flat=True)),
        "paper": urls("paper", results.values_list("pk", flat=True)),
        "agendaItem": urls(
            "agenda-item",
            [
                item.pk
                for item in AgendaItem.objects.filter(meeting__in=meetings).select_related(
                    "meeting"
                )
                if item.is_publicly_visible
            ],
        ),
        "consultation": urls(
            "consultation",
            Consultation.objects.filter(result__in=results, is_public=True).values_list(
                "pk", flat=True
            ),
        ),
        "file": urls("file", [doc.pk for doc in documents if served_to_anonymous(doc)]),
        "person": urls("person", persons.values_list("pk", flat=True)),
        "membership": workgroup_memberships
        | urls(
            "faction-membership", persons.filter(faction__live=True).values_list("pk", flat=True)
        ),
        "organization": urls("council-body", CouncilBody.objects.values_list("pk", flat=True))
        | urls("faction", Faction.objects.filter(live=True).values_list("pk", flat=True)),
        "locationList": urls("location", Location.objects.values_list("pk", flat=True)),
        "legislativeTermList": urls(
            "legislative-term", [term["key"] for term in django_settings.OPARL_LEGISLATIVE_TERMS]
        ),
    }


def check_lists(lists):
    """The lists hold exactly what the website shows, and no deleted object unasked."""
    expected = expected_ids()
    for name, objects in lists.items():
        assert not any(obj.get("deleted") for obj in objects), name
        assert {obj["id"] for obj in objects} == expected[name], name


def check_filters_of_every_list(client, lists):
    """The filters around the median time of each list, to the second, on real content."""
    names = {
        "agendaItem": "agenda-item",
        "locationList": "location",
        "legislativeTermList": "legislative-term",
    }
    for name, objects in lists.items():
        for field in ("created", "modified"):
            times = sorted(datetime.datetime.fromisoformat(obj[field]) for obj in objects)
            check_filters(client, names.get(name, name), field, times[len(times) // 2], limit=100)


@pytest.mark.usefixtures("without_indexing")
def test_crawl_demo_like_content(client, site_root):
    scenarios.demo_shaped(site_root)
    crawler = Crawler(client, base_url())
    lists = crawler.crawl()
    crawler.report("demo-like", ARTIFACTS)
    crawler.check_files()

    check_lists(lists)
    assert len(lists["organization"]) == 9
    assert len(lists["meeting"]) == 4
    assert len(lists["paper"]) == 3
    # Two of the founding paper's four consultations are public, as are the AG's own.
    assert len(lists["consultation"]) == 4
    assert {item["name"] for item in lists["agendaItem"]} == {"Begrüßung", "Onlinezugangsgesetz"}


@pytest.mark.usefixtures("without_indexing")
def test_crawl_mixed_content_in_small_pages(client, site_root):
    scenarios.mixed(site_root)
    # Embedded objects change after the objects embedding them were published.
    location = Location.objects.order_by("pk").first()
    location.room = "Ratssaal"
    location.save()
    consultation = Consultation.objects.filter(is_public=True).order_by("pk").last()
    consultation.role = Consultation.Role.INFORMATION
    consultation.save()
    document = get_document_model().objects.order_by("pk").last()
    document.title = "Anlage (berichtigt)"
    document.save()
    # Some objects leave the API, so that the synchronising crawl meets tombstones too.
    for page in ResultPage.objects.order_by("pk")[:3]:
        page.unpublish()
    Consultation.objects.filter(is_public=True).order_by("pk").first().delete()
    Member.objects.filter(role=Member.Role.GUEST, name_is_public=True).order_by(
        "pk"
    ).first().delete()

    crawler = Crawler(client, base_url())
    lists = crawler.crawl("?limit=7")
    crawler.report("mixed", ARTIFACTS)
    crawler.check_files()
    check_lists(lists)
    assert len(lists["paper"]) == 42
    assert sum(crawler.validator.unique_counts().values()) > 300

    synchronising = Crawler(client, base_url())
    everything = synchronising.crawl(f"?{SYNCHRONISING}&limit=40")
    synchronising.report("mixed, modified_since", ARTIFACTS)
    deleted = [obj for objects in everything.values() for obj in objects if obj.get("deleted")]
    assert {obj["type"].rsplit("/", 1)[1] for obj in deleted} >= {
        "Paper",
        "Consultation",
        "Person",
        "Membership",
    }


@pytest.mark.usefixtures("without_indexing")
def test_crawl_demo_content(client, site_root):
    call_command("load_demo", stdout=io.StringIO())
    crawler = Crawler(client, base_url())
    lists = crawler.crawl()
    crawler.report("load_demo", ARTIFACTS)
    crawler.check_files()
    check_lists(lists)
    assert lists["paper"] and lists["meeting"] and lists["person"] and lists["file"]
    # Uploaded documents carry what OParl clients check a download against.
    for file in lists["file"]:
        assert {"mimeType", "size", "sha1Checksum", "downloadUrl"} <= set(file), file["id"]


def hide_and_remove_some():
    """On top of the generated data set's own closed meetings, items, consultations and
    unreleased names: a pending change and a never published result, a document in a restricted
    collection and a closed meeting's minutes on a public result, each marked SECRET; and
    results, a consultation and a name that leave the API."""
    results = list(ResultPage.objects.live().order_by("pk"))
    pending = results[0]
    pending.title = f"{SECRET} Umbenennung"
    pending.save_revision()
    index = results[0].get_parent()
    draft = ResultPage(
        title=f"{SECRET} Entwurf",
        slug="geheimer-entwurf",
        kind=ResultPage.Kind.PAPER,
        reference="AG-DIG/ENTWURF/1",
        result_date=datetime.date(2024, 1, 1),
        summary=SECRET,
        live=False,
    )
    index.add_child(instance=draft)
    internal = Collection.get_first_root_node().add_child(name="Intern")
    CollectionViewRestriction.objects.create(
        collection=internal, restriction_type=CollectionViewRestriction.PASSWORD, password="x"
    )
    restricted = factories.DocumentFactory(title=f"{SECRET} Anlage", collection=internal)
    closed = MeetingPage.objects.live().filter(is_public=False).order_by("pk").first()
    closed.minutes = factories.DocumentFactory(title=f"{SECRET} Niederschrift")
    closed.save_revision().publish()
    attached = ResultPage.objects.get(pk=results[1].pk)
    attached.attachments.add(ResultAttachment(document=restricted))
    attached.attachments.add(ResultAttachment(document=closed.minutes))
    attached.save_revision().publish()

    for page in results[-3:]:
        ResultPage.objects.get(pk=page.pk).unpublish()
    Consultation.objects.filter(is_public=True, result__live=True).order_by("pk").first().delete()
    member = Member.objects.filter(live=True, name_is_public=True).order_by("pk").first()
    member.name_is_public = False
    member.save_revision().publish()


def test_crawl_the_generated_data_set(client):
    call_command("generate_data", results=150, meetings=30, seed=7, stdout=io.StringIO())
    hide_and_remove_some()

    crawler = Crawler(client, base_url())
    lists = crawler.crawl("?limit=37")
    counts = crawler.report("generate_data", ARTIFACTS)
    crawler.check_files()
    check_lists(lists)
    assert sum(counts.values()) > 400
    assert SECRET.lower() not in json.dumps(crawler.answers, ensure_ascii=False).lower()

    synchronising = Crawler(client, base_url())
    everything = synchronising.crawl(f"?{SYNCHRONISING}")
    synchronising.report("generate_data, modified_since", ARTIFACTS)
    assert SECRET.lower() not in json.dumps(synchronising.answers, ensure_ascii=False).lower()
    deleted = {
        obj["type"].rsplit("/", 1)[1]
        for objects in everything.values()
        for obj in objects
        if obj.get("deleted")
    }
    assert deleted >= {"Paper", "Consultation", "Person", "Membership"}

    check_filters_of_every_list(client, everything)
