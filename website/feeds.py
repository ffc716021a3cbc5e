"""Atom feeds of new results, overall and per topic area (Django's syndication framework).

Every link is absolute under SITE_URL (Django would take the request's host otherwise)."""

import datetime
import zoneinfo

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from core.site_url import absolute_url
from workgroup import visibility
from workgroup.models import ResultPage, TopicAreaPage
from workgroup.models.topics import in_area_or_below

FEED_LENGTH = 30
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


class ResultsFeed(Feed):
    feed_type = Atom1Feed
    title = _("AG Digitalisierung Plauen – neue Ergebnisse")
    subtitle = _("Beschlussempfehlungen, Vorlagen, Konzepte und Berichte der Arbeitsgruppe")
    # RFC 4287 requires an author on the feed when its entries name none; the AG, never a
    # person or an e-mail address.
    author_name = _("Stadt Plauen – Arbeitsgruppe Digitalisierung")

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def link(self):
        return absolute_url("/")

    def feed_url(self):
        return absolute_url(reverse("feed_results"))

    def feed_guid(self):
        # Django would take the link's absolute URL, which changes with the host name.
        return "urn:ag-digitalisierung-plauen:feed:results"

    def results(self):
        return (
            visibility.public_pages(ResultPage.objects.all())
            .defer_streamfields()
            # PostgreSQL sorts NULL first in descending order; a page made live without
            # Wagtail's publish (an import) has no first_published_at and goes last.
            .order_by(F("first_published_at").desc(nulls_last=True), "-pk")
        )

    def items(self):
        return self.results()[:FEED_LENGTH]

    def item_title(self, item):
        return f"{item.get_kind_display()} {item.reference}: {item.title}"

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return absolute_url(item.get_url(self.request))

    def item_guid(self, item):
        # Stable even if the page moves: the page id never changes.
        return f"urn:ag-digitalisierung-plauen:result:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        # Atom requires a date on every entry; fall back to the result's own date.
        return item.first_published_at or datetime.datetime.combine(
            item.result_date, datetime.time(), tzinfo=BERLIN
        )

    def item_updateddate(self, item):
        return item.last_published_at or self.item_pubdate(item)


class TopicResultsFeed(ResultsFeed):
    def get_object(self, request, topic_id):
        return get_object_or_404(visibility.public_pages(TopicAreaPage.objects.all()), pk=topic_id)

    def title(self, topic):
        return _("AG Digitalisierung Plauen – neue Ergebnisse: %(topic)s") % {"topic": topic.title}

    def link(self, topic):
        return absolute_url(topic.get_url(self.request))

    def feed_url(self, topic):
        return absolute_url(reverse("feed_topic_results", args=[topic.pk]))

    def feed_guid(self, topic):
        return f"urn:ag-digitalisierung-plauen:feed:topic:{topic.pk}"

    def items(self, topic):
        # The same results as the topic area's page and the register's topic filter.
        return in_area_or_below(self.results(), topic.path)[:FEED_LENGTH]
