"""The admin's views of the AG's snippets: members, factions, council bodies and meeting
places, each under the approval workflow with drafts and revisions."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, LiveStatusTagColumn
from wagtail.admin.views import generic
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from workgroup.editorial import publishing_views
from workgroup.models import CouncilBody, Faction, Location, Member

# The listings search only their `search_fields`. SQLite's full-text backend cannot restrict a
# search to fields and fails with "no such column" (wagtail/wagtail#10217), so on SQLite the
# listings search the table itself (icontains); PostgreSQL keeps the German full-text search.
LISTING_SEARCH_BACKEND = "default" if settings.DATABASE_IS_POSTGRES else None


class RestoresDraftsAsDrafts(generic.RevisionsRevertMixin):
    """Wagtail 8.0 saves a snippet draft without the required fields (drafts defer them), but
    its revert view validates the restored version in full: restoring such a draft was a 500.
    This saves it the way the edit view saves a draft."""

    def save_instance(self):
        instance = self.form.save(commit=not self.object.live)
        self.has_content_changes = self.form.has_changed()
        self.new_revision = instance.save_revision(
            user=self.request.user,
            log_action=True,
            previous_revision=self.revision,
            clean=not self.saving_as_draft,
        )
        return instance


class ApprovedSnippetViewSet(SnippetViewSet):
    """A snippet under the Koordination's approval workflow, with drafts and revisions."""

    # Publishing without the approval only for superusers (workgroup.editorial.publishing_views).
    add_view_class = publishing_views.ApprovalCreateView
    copy_view_class = publishing_views.ApprovalCopyView
    edit_view_class = publishing_views.ApprovalEditView

    @property
    def revisions_revert_view_class(self):
        return type(
            "RevisionsRevertView",
            (RestoresDraftsAsDrafts, self.edit_view_class),
            {"view_name": "revisions_revert"},
        )


class FactionViewSet(ApprovedSnippetViewSet):
    model = Faction
    icon = "group"
    menu_label = _("Fraktionen")
    list_display = ["name", "short_name", BooleanColumn("is_active", label=_("aktiv"))]
    list_filter = ["is_active"]
    list_export = ["name", "short_name", "is_active"]
    search_fields = ["name", "short_name"]
    search_backend_name = LISTING_SEARCH_BACKEND
    export_filename = "fraktionen"


class MemberViewSet(ApprovedSnippetViewSet):
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
    search_backend_name = LISTING_SEARCH_BACKEND
    export_filename = "mitglieder"


class CouncilBodyViewSet(ApprovedSnippetViewSet):
    model = CouncilBody
    icon = "site"
    menu_label = _("Gremien")
    # An explicit list_display replaces Wagtail's default one, status column included; the
    # editors need to see which bodies are public and which still wait for approval.
    list_display = [
        "name",
        "short_name",
        BooleanColumn("sessions_public_by_default", label=_("öffentlich")),
        LiveStatusTagColumn(),
    ]
    list_filter = ["sessions_public_by_default"]
    list_export = ["name", "short_name", "sessions_public_by_default"]
    search_fields = ["name", "short_name"]
    search_backend_name = LISTING_SEARCH_BACKEND
    export_filename = "gremien"


class LocationViewSet(ApprovedSnippetViewSet):
    model = Location
    icon = "home"
    menu_label = _("Sitzungsorte")
    list_display = ["description", "room", "street_address", "locality", LiveStatusTagColumn()]
    list_filter = ["locality"]
    list_export = ["description", "room", "street_address", "postal_code", "locality"]
    search_fields = ["description", "street_address"]
    search_backend_name = LISTING_SEARCH_BACKEND
    export_filename = "sitzungsorte"


class WorkgroupViewSetGroup(SnippetViewSetGroup):
    items = (MemberViewSet, FactionViewSet, CouncilBodyViewSet, LocationViewSet)
    menu_icon = "group"
    menu_label = _("AG Digitalisierung")
    menu_name = "ag-digitalisierung"
