from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import BodyBlock
from core.listing import first
from core.page_visibility import public_pages
from workgroup.models import MeetingPage, ResultPage, TopicAreaIndexPage
from workgroup.models.publishing import ApprovalRequiredPage


class HomePage(ApprovalRequiredPage, Page):
    intro = models.TextField(_("Einleitung"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("Inhalt"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "workgroup.TopicAreaIndexPage",
        "workgroup.MeetingIndexPage",
        "workgroup.ResultIndexPage",
        "workgroup.ReportIndexPage",
        "workgroup.MembersPage",
        "home.StandardPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("Startseite")

    def next_meeting(self):
        return (
            public_pages(MeetingPage.objects.descendant_of(self).live())
            .filter(start__gte=timezone.now())
            .exclude(status=MeetingPage.Status.CANCELLED)
            .select_related("location")
            .defer_streamfields()
            .order_by("start")
            .first()
        )

    def latest_results(self, count=5):
        return first(
            public_pages(ResultPage.objects.descendant_of(self).live())
            .defer_streamfields()
            .order_by("-result_date", "-pk"),
            count,
        )

    def topic_areas(self):
        index_page = public_pages(TopicAreaIndexPage.objects.child_of(self).live()).first()
        if index_page is None:
            return []
        return public_pages(index_page.get_children().live()).specific()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["next_meeting"] = self.next_meeting()
        context["latest_results"] = self.latest_results()
        context["topic_areas"] = self.topic_areas()
        return context


class StandardPage(ApprovalRequiredPage, Page):
    """Editable pages such as the imprint and the accessibility statement."""

    intro = models.TextField(_("Einleitung"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("Inhalt"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("Inhaltsseite")
        verbose_name_plural = _("Inhaltsseiten")
