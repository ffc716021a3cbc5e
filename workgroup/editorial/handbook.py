"""The editors' handbook inside the admin: how the AG's process works, where the help menu leads
instead of Wagtail's English release notes and guide."""

from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem

from workgroup.editorial.groups import COORDINATION_GROUP, EDITORS_GROUP, MEMBERS_GROUP

# Wagtail's own help entries: external, English, about Wagtail rather than the AG's work.
WAGTAIL_HELP_ITEMS = {"editor-guide"}
WAGTAIL_HELP_PREFIXES = ("whats-new-in-wagtail",)


def handbook(request):
    return render(
        request,
        "workgroup/admin/handbook.html",
        {
            "page_title": _("Handbuch der Redaktion"),
            "header_icon": "help",
            "editors_group": EDITORS_GROUP,
            "coordination_group": COORDINATION_GROUP,
            "members_group": MEMBERS_GROUP,
        },
    )


def urls():
    return [path("handbuch/", handbook, name="ag_handbook")]


def menu_item():
    return MenuItem(
        _("Handbuch der Redaktion"),
        reverse("ag_handbook"),
        icon_name="help",
        order=900,
        name="ag-handbook",
    )


def without_wagtails_help(request, menu_items):
    menu_items[:] = [
        item
        for item in menu_items
        if item.name not in WAGTAIL_HELP_ITEMS and not item.name.startswith(WAGTAIL_HELP_PREFIXES)
    ]
