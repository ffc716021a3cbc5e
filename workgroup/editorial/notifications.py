"""The AG's e-mails on submission, approval and rejection, as subclasses of Wagtail's notifiers.

Wagtail's notifiers already do the delivery right: one SMTP connection per event, only active
recipients with an address who want this kind of notification (their account settings), each
in their own language, and a failed e-mail is logged without undoing the workflow step. What
the AG changes is whom they reach and what they say:

- submission: the approvers minus everyone who wrote any of the version (four eyes: they could
  not approve it anyway), with a link to the review queue;
- approval and rejection: whoever asked for approval and whoever submitted the version under
  review, with the approver's comment (Wagtail's approval mail leaves it out).

WorkgroupConfig.ready() puts them in place of Wagtail's own receivers (replace_wagtail_notifiers).
"""

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.mail import (
    GroupApprovalTaskStateSubmissionEmailNotifier,
    WorkflowStateApprovalEmailNotifier,
    WorkflowStateRejectionEmailNotifier,
)
from wagtail.admin.utils import get_latest_str, get_user_display_name
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected

from core.site_url import absolute_url
from workgroup.models.revisions import authors_since_approval


class AGMailMixin:
    """The AG's German templates (workgroup/mail/<notification>*.txt) and the context they share."""

    template_directory = "workgroup/mail/"

    def get_template_base_prefix(self, instance, **kwargs):
        return ""

    def describe(self, obj):
        return {
            "object": obj,
            "title": get_latest_str(obj),
            "kind": capfirst(obj._meta.verbose_name),
            "edit_url": absolute_url(AdminURLFinder().get_edit_url(obj)),
            "account_url": admin_url("wagtailadmin_account"),
        }


class SubmissionNotifier(AGMailMixin, GroupApprovalTaskStateSubmissionEmailNotifier):
    """A version waits for approval: tell the approvers who may approve it."""

    def get_recipient_users(self, task_state, **kwargs):
        return (
            super()
            .get_recipient_users(task_state, **kwargs)
            .exclude(pk__in=authors_since_approval(task_state))
        )

    def get_context(self, task_state, **kwargs):
        user = kwargs.get("user")
        return {
            **self.describe(current_object(task_state.workflow_state)),
            "submitted_by": display_name(task_state.revision.user or user),
            "resubmitted": task_state.workflow_state.task_states.exclude(pk=task_state.pk).exists(),
            "dashboard_url": admin_url("wagtailadmin_home"),
        }


class SubmittersMixin:
    """Approval and rejection reach whoever asked for approval and whoever submitted the version
    under review (Wagtail tells only the former), never the one acting."""

    def get_recipient_users(self, workflow_state, **kwargs):
        task_state = workflow_state.current_task_state
        users = {workflow_state.requested_by, task_state.revision.user}
        return users - {None, kwargs.get("user")}


class ApprovalNotifier(SubmittersMixin, AGMailMixin, WorkflowStateApprovalEmailNotifier):
    def get_context(self, workflow_state, **kwargs):
        obj = current_object(workflow_state)
        scheduled = obj.scheduled_revision
        return {
            **self.describe(obj),
            "approved_by": display_name(kwargs.get("user")),
            "comment": workflow_state.current_task_state.comment,
            "go_live_at": scheduled.approved_go_live_at if scheduled else None,
            "public_url": public_url(obj) if obj.live and not scheduled else None,
        }


class RejectionNotifier(SubmittersMixin, AGMailMixin, WorkflowStateRejectionEmailNotifier):
    def get_context(self, workflow_state, **kwargs):
        return {
            **self.describe(current_object(workflow_state)),
            "rejected_by": display_name(kwargs.get("user")),
            "comment": workflow_state.current_task_state.comment,
        }


# Each AG notifier with the signal, sender and dispatch_uid of the Wagtail notifier it replaces
# (wagtail.admin.signal_handlers.register_signal_handlers).
REPLACEMENTS = [
    (
        task_submitted,
        TaskState,
        "group_approval_task_submitted_email_notification",
        SubmissionNotifier(),
    ),
    (
        workflow_approved,
        WorkflowState,
        "workflow_state_approved_email_notification",
        ApprovalNotifier(),
    ),
    (
        workflow_rejected,
        WorkflowState,
        "workflow_state_rejected_email_notification",
        RejectionNotifier(),
    ),
]


def replace_wagtail_notifiers():
    """Disconnect Wagtail's notifiers for these events and connect the AG's in their place.

    Runs in WorkgroupConfig.ready(), after wagtail.admin's ready() has connected its own
    (INSTALLED_APPS lists workgroup after wagtail.admin); should that order ever change,
    start-up fails rather than letting both e-mails go out.
    """
    for signal, sender, dispatch_uid, notifier in REPLACEMENTS:
        if not signal.disconnect(sender=sender, dispatch_uid=dispatch_uid):
            raise ImproperlyConfigured(
                f"Wagtail's notifier {dispatch_uid} is not connected: list workgroup after "
                "wagtail.admin in INSTALLED_APPS, or both e-mails would go out."
            )
        signal.connect(notifier, sender=sender, dispatch_uid=f"ag_{dispatch_uid}")


def current_object(workflow_state):
    """The object as it is now, of its specific type: the workflow state's cached content object
    predates the publication that finishing the workflow has just done."""
    return workflow_state.content_type.get_object_for_this_type(pk=workflow_state.object_id)


def public_url(obj):
    """Pages have an address on the website; members, factions and the like have none."""
    url = getattr(obj, "url", None)
    return absolute_url(url) if url else None


def admin_url(url_name):
    return absolute_url(reverse(url_name))


def display_name(user):
    return get_user_display_name(user) if user else _("unbekannt")
