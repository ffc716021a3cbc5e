from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseForbidden
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.tables import BooleanColumn, LiveStatusTagColumn
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views import generic
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.models import WorkflowMixin
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup
from wagtail.wagtail_hooks import require_wagtail_login

from workgroup import moderation, visibility
from workgroup.dashboard import CompositionPanel, ReportDuePanel
from workgroup.editorial import publishing_views
from workgroup.editorial.permissions import ApprovalPagePermissionTester
from workgroup.models import (
    CouncilBody,
    Faction,
    FourEyesApprovalTask,
    Location,
    Member,
    ResultPage,
)

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


register_snippet(WorkgroupViewSetGroup)


@hooks.register("construct_homepage_panels")
def add_workgroup_panels(request, panels):
    panels.append(CompositionPanel())
    panels.append(ReportDuePanel())


# --- Moderation: nothing goes public without the Koordination's approval ----------------------


class ReviewQueuePanel(WorkflowObjectsToModeratePanel):
    """Wagtail's "awaiting your review", oldest first, with who submitted and how long it waits."""

    template_name = "workgroup/admin/review_queue_panel.html"
    order = 100

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["states"].sort(key=lambda state: state["task_state"].started_at)
        for state in context["states"]:
            state["kind"] = capfirst(state["obj"]._meta.verbose_name)
            state["can_approve"] = any(name == "approve" for name, *_ in state["actions"])
        return context


@hooks.register("construct_homepage_panels")
def show_review_queue(request, panels):
    panels[:] = [
        ReviewQueuePanel() if panel.name == WorkflowObjectsToModeratePanel.name else panel
        for panel in panels
    ]


# Direct publishing is the superusers' emergency path. Pages decide it in their permission
# tester (workgroup.editorial.permissions), which the page editor's buttons and actions, the create,
# copy and revert views and the bulk action all ask; the approved snippets in their views
# (ApprovedSnippetViewSet). The hooks here cover what neither reaches.


@hooks.register("construct_snippet_action_menu")
def hide_snippet_publish_button(menu_items, request, context):
    # The snippet editor's publish button asks user.has_perm("publish_…"), neither the view
    # nor a permission policy, and the Koordination holds that permission for unpublishing.
    if not moderation.may_publish_directly(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


# Order 1: the registry keeps the last class registered per action, and Wagtail's own
# PublishBulkAction is registered with order 0.
hooks.register("register_bulk_action", publishing_views.HiddenPublishBulkAction, order=1)


@hooks.register("before_create_page")
def guard_page_creation(request, parent_page, page_class):
    return refuse_pages_outside_the_approval(request, parent_page)


@hooks.register("before_edit_page")
def guard_page_editor(request, page):
    return (
        refuse_pages_outside_the_approval(request, page)
        or refuse_malformed_workflow_action(request, page)
        or show_requested_changes(request, page)
    )


def refuse_pages_outside_the_approval(request, page):
    """Only a superuser changes, or creates below, a page of a class without the AG's tester.

    Every page class of the site is an ApprovalRequiredPage, but Wagtail's own Page class
    (the root, and the welcome page a fresh installation starts with) keeps Wagtail's tester,
    which lets the Koordination's publish permission publish: creating below such a page or
    editing it would publish without the approval.
    """
    if request.method != "POST" or moderation.may_publish_directly(request.user):
        return None
    if isinstance(page.permissions_for_user(request.user), ApprovalPagePermissionTester):
        return None
    return HttpResponseForbidden(str(moderation.DIRECT_PUBLISHING_REFUSED))


@hooks.register("before_edit_snippet")
def guard_snippet_editor(request, instance):
    return refuse_malformed_workflow_action(request, instance) or show_requested_changes(
        request, instance
    )


def refuse_malformed_workflow_action(request, obj):
    """Answer 400 before the editor saves anything if its workflow action cannot be done as
    posted; Wagtail would save the form first and then fail with a 500."""
    error = moderation.workflow_action_data_error(request, obj)
    if error is None:
        return None
    return HttpResponseBadRequest(error, content_type="text/plain; charset=utf-8")


def show_requested_changes(request, obj):
    """Tell the editor, on opening the editor, what the Koordination asked to change."""
    if request.method != "GET" or not isinstance(obj, WorkflowMixin):
        return None
    rejection = moderation.requested_changes(obj)
    if rejection:
        messages.warning(
            request,
            _("%(name)s bittet um Änderungen (%(date)s): „%(comment)s“")
            % {
                "name": get_user_display_name(rejection.finished_by),
                "date": date_format(localtime(rejection.finished_at), "d.m.Y H:i"),
                "comment": rejection.comment,
            },
        )
    return None


@hooks.register("after_edit_page")
def restart_page_review_after_edit(request, page):
    remind_of_four_eyes(request, moderation.restart_review_after_edit(page, request.user))


@hooks.register("after_edit_snippet")
def restart_snippet_review_after_edit(request, instance):
    if isinstance(instance, WorkflowMixin):
        remind_of_four_eyes(request, moderation.restart_review_after_edit(instance, request.user))


def remind_of_four_eyes(request, task_state):
    """An approver whose own version waits learns who approves it instead."""
    if task_state is None or not request.accepts("text/html"):
        return
    is_author = request.user.pk in FourEyesApprovalTask.authors(task_state)
    if is_author and task_state.task.specific.groups.filter(user=request.user).exists():
        messages.info(
            request,
            _(
                "Diese Fassung wartet auf Freigabe. Nach dem Vier-Augen-Prinzip gibt sie die "
                "andere Person der Koordination frei."
            ),
        )


@hooks.register("before_serve_page")
def attach_approval(page, request, serve_args, serve_kwargs):
    # The result page shows when and by whom it was approved, from the workflow's own record.
    if isinstance(page, ResultPage):
        page.approval = moderation.approval_for(page)


@hooks.register("before_serve_document")
def serve_documents_by_the_policy(document, request):
    """A document goes to a reader only while approved content the reader may see uses it
    (workgroup.visibility): an upload, a move into a public collection or a closed meeting's
    minutes filed in a public one publish nothing. Wagtail's check of the collection's view
    restriction runs as well."""
    if visibility.document_is_visible(document, request):
        return None
    if request.user.is_authenticated:
        return HttpResponseForbidden(
            _(
                "Dieses Dokument ist nicht öffentlich: Es gehört zu einem nicht öffentlichen "
                "Teil, etwa einer nicht öffentlichen Sitzung, oder ist noch nicht freigegeben."
            )
        )
    # Anonymous readers may be AG members who have not logged in yet.
    return require_wagtail_login(next=request.get_full_path())
