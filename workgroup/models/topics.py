"""The AG's task areas (Themenfelder) from the founding paper; they can nest."""

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import BodyBlock
from core.listing import first
from core.page_visibility import public_pages
from workgroup.models.meetings import MeetingPage
from workgroup.models.publishing import ApprovalRequiredPage
from workgroup.models.sections import SectionIndexPage


def in_area_or_below(results, path):
    """The results tagged with the topic area at `path` or with an area nested in it: whoever
    picks „Digitalstrategie“ expects the results of its sub-areas too. A subquery rather than a
    join, so that a result tagged with two sub-areas is listed once and no DISTINCT is needed."""
    tagged = results.model.topic_areas.through.objects.filter(
        resultpage_id=OuterRef("pk"), topicareapage__path__startswith=path
    )
    return results.filter(Exists(tagged))


class TopicAreaIndexPage(SectionIndexPage):
    subpage_types = ["workgroup.TopicAreaPage"]

    class Meta:
        verbose_name = _("Übersicht Themenfelder")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["topic_areas"] = self.topic_tree()
        return context

    def topic_tree(self):
        """The visible topic areas under this page, each with its visible sub-areas in
        `subtopics`, at any depth: the founding paper's areas and what nests in them (OZG,
        DigitalPakt Schulen, …), read in one query. An area under a hidden one is hidden too."""
        step = TopicAreaPage.steplen
        topics = public_pages(TopicAreaPage.objects.descendant_of(self).live()).order_by("path")
        placed, roots = {}, []
        for topic in topics:
            topic.subtopics = []
            if topic.depth == self.depth + 1:
                roots.append(topic)
            elif topic.path[:-step] in placed:
                placed[topic.path[:-step]].subtopics.append(topic)
            else:
                continue
            placed[topic.path] = topic
        return roots


class TopicAreaPage(ApprovalRequiredPage, Page):
    intro = models.TextField(_("Kurzbeschreibung"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("Inhalt"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["workgroup.TopicAreaIndexPage", "workgroup.TopicAreaPage"]
    subpage_types = ["workgroup.TopicAreaPage"]

    class Meta:
        verbose_name = _("Themenfeld")
        verbose_name_plural = _("Themenfelder")

    def results(self):
        result_model = type(self).results_in_area.rel.related_model
        return (
            in_area_or_below(public_pages(result_model.objects.live()), self.path)
            .defer_streamfields()
            .order_by("-result_date", "-pk")
        )

    def meetings(self):
        return (
            public_pages(MeetingPage.objects.live())
            # Only public items of public meetings: listing a meeting here because of a closed
            # item would tell the public what that item was about. One filter() call, so that
            # both conditions hold for the same agenda item.
            .filter(
                is_public=True,
                agenda_items__topic_area__path__startswith=self.path,
                agenda_items__is_public=True,
            )
            .distinct()
            .defer_streamfields()
            .order_by("-start")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["subtopics"] = public_pages(self.get_children().live()).specific()
        context["results"] = first(self.results(), 50)
        context["meetings"] = self.meetings()[:50]
        return context
