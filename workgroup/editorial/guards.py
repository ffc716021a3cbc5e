"""What the admin's hooks check before and after an editor acts: the approval's rules where
Wagtail's views do not ask the permission tester, malformed workflow data, and the notes the
editor gets (requested changes, four eyes)."""

from django.http import HttpResponseBadRequest, HttpResponseForbidden
from django.utils.dateformat import format as date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.utils import get_user_display_name
from wagtail.models import WorkflowMixin

from workgroup.editorial import workflow
from workgroup.models import FourEyesApprovalTask
from workgroup.models.publishing import ApprovalPagePermissionTester


def refuse_pages_outside_the_approval(request, page):
    """Only a superuser changes, or creates below, a page of a class without the AG's tester.

    Every page class of the site is an ApprovalRequiredPage, but Wagtail's own Page class
    (the root, and the welcome page a fresh installation starts with) keeps Wagtail's tester,
    which lets the Koordination's publish permission publish: creating below such a page or
    editing it would publish without the approval.
    """
    if request.method != "POST" or workflow.may_publish_directly(request.user):
        return None
    if isinstance(page.permissions_for_user(request.user), ApprovalPagePermissionTester):
        return None
    return HttpResponseForbidden(str(workflow.DIRECT_PUBLISHING_REFUSED))


def refuse_malformed_workflow_action(request, obj):
    """Answer 400 before the editor saves anything if its workflow action cannot be done as
    posted; Wagtail would save the form first and then fail with a 500."""
    error = workflow.workflow_action_data_error(request, obj)
    if error is None:
        return None
    return HttpResponseBadRequest(error, content_type="text/plain; charset=utf-8")


def show_requested_changes(request, obj):
    """Tell the editor, on opening the editor, what the Koordination asked to change."""
    if request.method != "GET" or not isinstance(obj, WorkflowMixin):
        return None
    rejection = workflow.requested_changes(obj)
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
