"""KeysFirst: a slice of an ordered listing loads the rows of the slice only, in the
listing's order, with the listing's prefetches."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.listing import KeysFirst, first
from tests import factories
from workgroup.models import ResultPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def results(site_root):
    register = factories.ResultIndexPageFactory(parent=site_root)
    topic = factories.TopicAreaPageFactory(
        parent=factories.TopicAreaIndexPageFactory(parent=site_root)
    )
    for day in (3, 1, 2, 5, 4):
        result = factories.ResultPageFactory(
            parent=register, title=f"Tag {day}", result_date=datetime.date(2024, 1, day)
        )
        result.topic_areas.add(topic)
        result.save()
    return (
        ResultPage.objects.child_of(register)
        .prefetch_related("topic_areas")
        .order_by("-result_date", "-pk")
    )


def test_slices_keep_the_order_and_the_prefetches(results):
    with CaptureQueriesContext(connection) as queries:
        page = KeysFirst(results)[1:4]
        topics = [[topic.title for topic in result.topic_areas.all()] for result in page]
    assert [result.title for result in page] == ["Tag 4", "Tag 3", "Tag 2"]
    assert all(topics)
    assert len(queries) == 3, "keys, rows, topic areas"


def test_paginator_pages_and_an_empty_slice(results):
    paginator = Paginator(KeysFirst(results), 2)
    assert paginator.count == 5 and paginator.num_pages == 3
    assert [result.title for result in paginator.page(3)] == ["Tag 1"]
    assert KeysFirst(results)[10:20] == []
    assert KeysFirst(results)[0].title == "Tag 5"
    assert [result.title for result in first(results, 2)] == ["Tag 5", "Tag 4"]
