"""The sections below the home page: one page each (register, calendar, topic areas, reports,
members), with an introduction."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from workgroup.models.publishing import ApprovalRequiredPage


class SectionIndexPage(ApprovalRequiredPage, Page):
    intro = models.TextField(_("Einleitung"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    max_count_per_parent = 1

    class Meta:
        abstract = True
