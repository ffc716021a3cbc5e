"""The list filters return exactly the objects whose `created`/`modified`, as a client reads
them, lie on the asked side of a boundary: to the second, embedded objects and deleted objects
included."""

import datetime
from urllib.parse import quote

import pytest
from django.utils import timezone

from oparl.models import Observation, Tombstone
from tests import factories
from tests.oparl.oparl_validation import check_filters, collect
from workgroup.models import Consultation, CouncilBody, Faction, ResultPage

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()
BOUNDARY = datetime.datetime(2024, 3, 1, 12, 0, 0, tzinfo=TZ)
LONG_AGO = datetime.datetime(2020, 1, 1, tzinfo=TZ)
# Seconds from the boundary: just before, within the boundary's second, just after.
OFFSETS = [-1.0, -0.4, 0.0, 0.3, 0.999, 1.0]


def seconds(offset):
    return datetime.timedelta(seconds=offset)


@pytest.fixture
def timed_papers(site_root):
    """Papers created at the boundary plus each offset and modified an hour later, the change
    time coming alternately from the page and from an embedded consultation; and two deleted
    papers whose deletion lies around the boundary an hour later."""
    index = factories.ResultIndexPageFactory(parent=site_root)
    body = factories.CouncilBodyFactory()
    for number, offset in enumerate(OFFSETS + [-0.5, 0.5]):
        page = factories.ResultPageFactory(parent=index)
        consultation = factories.ConsultationFactory(result=page, body=body)
        created = BOUNDARY + seconds(offset)
        modified = created + datetime.timedelta(hours=1)
        by_page = number % 2 == 0
        ResultPage.objects.filter(pk=page.pk).update(
            first_published_at=created, last_published_at=modified if by_page else created
        )
        Consultation.objects.filter(pk=consultation.pk).update(
            created_at=created, updated_at=created if by_page else modified
        )
    Observation.objects.update(first_seen=LONG_AGO, last_changed=LONG_AGO)
    for page in ResultPage.objects.order_by("-pk")[:2]:
        page.unpublish()
        Tombstone.objects.filter(kind="paper", key=str(page.pk)).update(
            created=page.first_published_at,
            deleted_at=page.first_published_at + datetime.timedelta(hours=1),
        )
    Tombstone.objects.exclude(kind="paper").delete()


def test_paper_filters_at_the_boundary(client, timed_papers):
    check_filters(client, "paper", "created", BOUNDARY)
    check_filters(client, "paper", "modified", BOUNDARY + datetime.timedelta(hours=1))


def test_the_boundary_second_counts_for_both_sides(client, timed_papers):
    stamp = quote((BOUNDARY + datetime.timedelta(hours=1)).isoformat(), safe="")
    within = collect(client, "paper", f"modified_since={stamp}&modified_until={stamp}")
    assert len(within) == 4  # 0.0, 0.3, 0.5 (deleted) and 0.999 seconds after
    assert {obj["modified"] for obj in within.values()} == {"2024-03-01T13:00:00+01:00"}
    assert sum(1 for obj in within.values() if obj.get("deleted")) == 1
    created = collect(client, "paper", f"created_since={quote(BOUNDARY.isoformat(), safe='')}")
    assert len(created) == 4  # 0.0, 0.3, 0.999 and 1.0 seconds after, the deleted one left out


def test_filters_on_a_list_of_two_kinds(client, site_root):
    for offset in OFFSETS:
        moment = BOUNDARY + seconds(offset)
        body = factories.CouncilBodyFactory()
        faction = factories.FactionFactory()
        CouncilBody.objects.filter(pk=body.pk).update(created_at=moment, updated_at=moment)
        Faction.objects.filter(pk=faction.pk).update(created_at=moment, updated_at=moment)
    check_filters(client, "organization", "created", BOUNDARY)
    check_filters(client, "organization", "modified", BOUNDARY)
