"""Wiring only: registers the admin's snippets, panels and hooks; what they do lives in
workgroup.editorial and workgroup.visibility."""

from django.http import HttpResponseForbidden
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.models import WorkflowMixin
from wagtail.snippets.models import register_snippet
from wagtail.wagtail_hooks import require_wagtail_login

from workgroup import visibility
from workgroup.editorial import guards, handbook, publishing_views, workflow
from workgroup.editorial.dashboard import CompositionPanel, ReportDuePanel, ReviewQueuePanel
from workgroup.editorial.viewsets import WorkgroupViewSetGroup
from workgroup.models import ResultPage

register_snippet(WorkgroupViewSetGroup)

hooks.register("register_admin_urls", handbook.urls)
hooks.register("register_help_menu_item", handbook.menu_item)
hooks.register("construct_help_menu", handbook.without_wagtails_help)


@hooks.register("construct_homepage_panels")
def add_workgroup_panels(request, panels):
    panels.append(CompositionPanel())
    panels.append(ReportDuePanel())


@hooks.register("construct_homepage_panels")
def show_review_queue(request, panels):
    panels[:] = [
        ReviewQueuePanel() if panel.name == WorkflowObjectsToModeratePanel.name else panel
        for panel in panels
    ]


# Direct publishing is the superusers' emergency path. Pages decide it in their permission
# tester (workgroup.models.publishing), which the page editor's buttons and actions, the create,
# copy and revert views and the bulk action all ask; the approved snippets in their views
# (ApprovedSnippetViewSet). The hooks here cover what neither reaches.


@hooks.register("construct_snippet_action_menu")
def hide_snippet_publish_button(menu_items, request, context):
    # The snippet editor's publish button asks user.has_perm("publish_…"), neither the view
    # nor a permission policy, and the Koordination holds that permission for unpublishing.
    if not workflow.may_publish_directly(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


# Order 1: the registry keeps the last class registered per action, and Wagtail's own
# PublishBulkAction is registered with order 0.
hooks.register("register_bulk_action", publishing_views.HiddenPublishBulkAction, order=1)


@hooks.register("before_create_page")
def guard_page_creation(request, parent_page, page_class):
    return guards.refuse_pages_outside_the_approval(request, parent_page)


@hooks.register("before_edit_page")
def guard_page_editor(request, page):
    return (
        guards.refuse_pages_outside_the_approval(request, page)
        or guards.refuse_malformed_workflow_action(request, page)
        or guards.show_requested_changes(request, page)
    )


@hooks.register("before_edit_snippet")
def guard_snippet_editor(request, instance):
    return guards.refuse_malformed_workflow_action(
        request, instance
    ) or guards.show_requested_changes(request, instance)


@hooks.register("after_edit_page")
def restart_page_review_after_edit(request, page):
    guards.remind_of_four_eyes(request, workflow.restart_review_after_edit(page, request.user))


@hooks.register("after_edit_snippet")
def restart_snippet_review_after_edit(request, instance):
    if isinstance(instance, WorkflowMixin):
        guards.remind_of_four_eyes(
            request, workflow.restart_review_after_edit(instance, request.user)
        )


@hooks.register("before_serve_page")
def attach_approval(page, request, serve_args, serve_kwargs):
    # The result page shows when and by whom it was approved, from the workflow's own record.
    if isinstance(page, ResultPage):
        page.approval = workflow.approval_for(page)


# Before Wagtail's own check of the collection (which only knows "log in"), so that a logged-in
# reader who may not see the document is told why.
@hooks.register("before_serve_document", order=-1)
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
