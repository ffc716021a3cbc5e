from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from workgroup.dashboard import CompositionPanel, ReportDuePanel
from workgroup.models import CouncilBody, Faction, Location, Member


class FactionViewSet(SnippetViewSet):
    model = Faction
    icon = "group"
    menu_label = _("Fraktionen")
    list_display = ["name", "short_name", BooleanColumn("is_active", label=_("aktiv"))]
    list_filter = ["is_active"]
    list_export = ["name", "short_name", "is_active"]
    search_fields = ["name", "short_name"]
    export_filename = "fraktionen"


class MemberViewSet(SnippetViewSet):
    model = Member
    icon = "user"
    menu_label = _("Mitglieder")
    list_display = ["name", "function_title", "role", "faction", "start_date", "end_date"]
    list_filter = ["role", "faction", "is_expert_citizen", "name_is_public"]
    # The e-mail address stays out of exports too: it is for the editors' eyes only.
    list_export = [
        "name",
        "function_title",
        "role",
        "faction",
        "principal",
        "is_expert_citizen",
        "start_date",
        "end_date",
        "name_is_public",
    ]
    search_fields = ["name", "function_title"]
    export_filename = "mitglieder"


class CouncilBodyViewSet(SnippetViewSet):
    model = CouncilBody
    icon = "site"
    menu_label = _("Gremien")
    list_display = [
        "name",
        "short_name",
        BooleanColumn("sessions_public_by_default", label=_("öffentlich")),
    ]
    list_filter = ["sessions_public_by_default"]
    list_export = ["name", "short_name", "sessions_public_by_default"]
    search_fields = ["name", "short_name"]
    export_filename = "gremien"


class LocationViewSet(SnippetViewSet):
    model = Location
    icon = "home"
    menu_label = _("Sitzungsorte")
    list_display = ["description", "room", "street_address", "locality"]
    list_filter = ["locality"]
    list_export = ["description", "room", "street_address", "postal_code", "locality"]
    search_fields = ["description", "street_address"]
    export_filename = "sitzungsorte"


class WorkgroupViewSetGroup(SnippetViewSetGroup):
    items = (MemberViewSet, FactionViewSet, CouncilBodyViewSet, LocationViewSet)
    menu_icon = "group"
    menu_label = _("AG Digitalisierung")
    menu_name = "ag-digitalisierung"


register_snippet(WorkgroupViewSetGroup)


@hooks.register("construct_homepage_panels")
def add_workgroup_panels(request, panels):
    panels.append(CompositionPanel())
    panels.append(ReportDuePanel())
