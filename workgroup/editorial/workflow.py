"""Nothing reaches the public unapproved: the AG's outcomes go online only through the
Koordination's approval (workflow "Freigabe durch die Koordination").

The rules about revisions (who wrote what, when a review restarts) are the models' own
(workgroup.models.revisions), and so is who may publish directly (workgroup.models.publishing);
this module acts on them for the admin: notifications, the approval line, malformed requests.
"""

import json
import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from workgroup.editorial.groups import COORDINATION_GROUP
from workgroup.models.publishing import may_publish_directly as may_publish_directly
from workgroup.models.revisions import authors_since_approval as authors_since_approval
from workgroup.models.revisions import content_changed as content_changed
from workgroup.models.revisions import pending_task_state, restart_review_if_changed
from workgroup.models.revisions import review_latest_revision as review_latest_revision

logger = logging.getLogger(__name__)

DIRECT_PUBLISHING_REFUSED = _(
    "Direktes Veröffentlichen ist abgeschaltet: Inhalte gehen nur nach der Freigabe durch die "
    "Koordination online. Bitte reichen Sie den Inhalt zur Freigabe ein."
)


def restart_review_after_edit(obj, user):
    """Restart a running review that an edit changed; return the task state now pending."""
    task_state = pending_task_state(obj)
    if task_state and restart_review_if_changed(task_state, user):
        task_state = pending_task_state(obj)
    return task_state


def requested_changes(obj):
    """The rejection the editor still has to address, or None."""
    from wagtail.models import TaskState, WorkflowState

    return (
        TaskState.objects.filter(
            status=TaskState.STATUS_REJECTED,
            workflow_state__status=WorkflowState.STATUS_NEEDS_CHANGES,
            workflow_state__base_content_type=obj.get_base_content_type(),
            workflow_state__object_id=str(obj.pk),
        )
        .select_related("finished_by")
        .order_by("-finished_at")
        .first()
    )


# --- The editor's workflow actions -------------------------------------------------------------

MALFORMED_WORKFLOW_ACTION = _(
    "Die Angaben zur Freigabeaktion sind ungültig. Bitte laden Sie die Seite neu und wählen Sie "
    "„Freigeben“ oder „Änderungen anfordern“ erneut."
)


def workflow_action_data_error(request, obj):
    """Why the workflow action the editor posts cannot be done as posted, or None.

    The editor's approve and reject buttons post the action's form as JSON in
    "workflow-action-extra-data"; Wagtail's edit views parse it with json.loads and pass it
    to Task.on_action as keyword arguments, unchecked and after saving the form, so anything
    but an object of the action form's fields failed with a 500. This checks it the way
    the dashboard's workflow action view checks its POST: through the action's form.
    """
    if request.method != "POST" or not request.POST.get("action-workflow-action"):
        return None
    try:
        data = json.loads(request.POST.get("workflow-action-extra-data", "{}"))
    except (ValueError, RecursionError):
        return MALFORMED_WORKFLOW_ACTION
    if not isinstance(data, dict) or not all(isinstance(value, str) for value in data.values()):
        return MALFORMED_WORKFLOW_ACTION
    task = getattr(obj, "current_workflow_task", None)
    if task is None:
        # No review waits any more (decided in the meantime): Wagtail only saves the form.
        return None
    form_class = task.get_form_for_action(request.POST.get("workflow-action-name"))
    if form_class is None:
        return MALFORMED_WORKFLOW_ACTION if data else None
    form = form_class(data)
    if set(data) - set(form.fields):
        return MALFORMED_WORKFLOW_ACTION
    if not form.is_valid():
        errors = " ".join(str(error) for errors in form.errors.values() for error in errors)
        return f"{MALFORMED_WORKFLOW_ACTION} {errors}"
    return None


# --- The approval line on the public page -----------------------------------------------------


@dataclass(frozen=True)
class Approval:
    approved_at: datetime
    approved_by: str


def approval_for(obj):
    """The approval of the live version, or None if it went live without one.

    Only the approval of the live revision counts: a later direct publication by a superuser,
    or an approved version still waiting for its go-live date, claims no approval. The line names
    the role, never the person: "stellv. Vorsitz" when the approver's e-mail address is that of
    the member who was vice chair on the day of the approval (the vice chair approves in the
    coordinator's stead), "Koordination" for anyone else in that group, "Administration"
    otherwise. One query.
    """
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef, Q
    from django.db.models.functions import TruncDate
    from wagtail.models import TaskState, WorkflowState

    from workgroup.models import Member

    if not obj.live or obj.live_revision_id is None:
        return None
    approved_on = OuterRef("approved_on")
    vice_chair = (
        Member.objects.filter(
            live=True, role=Member.Role.VICE_CHAIR, email__iexact=OuterRef("finished_by__email")
        )
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=approved_on))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=approved_on))
        .exclude(email="")
    )
    in_coordination = get_user_model().groups.through.objects.filter(
        user_id=OuterRef("finished_by_id"), group__name=COORDINATION_GROUP
    )
    approval = (
        TaskState.objects.filter(
            status=TaskState.STATUS_APPROVED,
            workflow_state__status=WorkflowState.STATUS_APPROVED,
            revision_id=obj.live_revision_id,
        )
        .annotate(approved_on=TruncDate("finished_at"))
        .annotate(by_vice_chair=Exists(vice_chair), by_coordination=Exists(in_coordination))
        .order_by("-finished_at")
        .values("finished_at", "by_vice_chair", "by_coordination")
        .first()
    )
    if approval is None:
        return None
    if approval["by_vice_chair"]:
        label = _("stellv. Vorsitz")
    elif approval["by_coordination"]:
        label = _("Koordination")
    else:
        label = _("Administration")
    return Approval(approved_at=approval["finished_at"], approved_by=label)


# --- Notifications ----------------------------------------------------------------------------


def connect_notifications():
    """Send the AG's own e-mails on submission, approval and rejection.

    They take the dispatch_uids of Wagtail's notifiers, which therefore never connect (a signal
    keeps the first receiver per dispatch_uid): Wagtail's approval e-mail leaves out the
    approver's comment. WorkgroupConfig.ready() calls it before Wagtail's admin app connects its
    own.
    """
    from wagtail.models import TaskState, WorkflowState
    from wagtail.signals import task_submitted, workflow_approved, workflow_rejected

    task_submitted.connect(
        notify_approvers,
        sender=TaskState,
        dispatch_uid="group_approval_task_submitted_email_notification",
    )
    workflow_approved.connect(
        notify_approved,
        sender=WorkflowState,
        dispatch_uid="workflow_state_approved_email_notification",
    )
    workflow_rejected.connect(
        notify_rejected,
        sender=WorkflowState,
        dispatch_uid="workflow_state_rejected_email_notification",
    )


def notify_approvers(sender, instance, user=None, **kwargs):
    """A version waits for approval: tell the approvers who may approve it, never whoever
    submitted it or wrote any of it (four eyes: they could not approve it anyway)."""
    from django.contrib.auth import get_user_model
    from wagtail.models import AbstractGroupApprovalTask

    task = instance.task.specific
    if not isinstance(task, AbstractGroupApprovalTask):
        return
    approvers = get_user_model().objects.filter(groups__in=task.groups.all()).distinct()
    if user is not None:
        approvers = approvers.exclude(pk=user.pk)
    approvers = approvers.exclude(pk__in=authors_since_approval(instance))
    obj = _current(instance.workflow_state)
    _send(
        "submitted",
        approvers,
        {
            **_describe(obj),
            "submitted_by": _display_name(instance.revision.user or user),
            "resubmitted": instance.workflow_state.task_states.exclude(pk=instance.pk).exists(),
            "dashboard_url": _absolute("wagtailadmin_home"),
        },
    )


def notify_approved(sender, instance, user=None, **kwargs):
    """Approved: tell whoever asked for it, with the approver's comment if there is one."""
    task_state = instance.current_task_state
    obj = _current(instance)
    scheduled = obj.scheduled_revision
    _send(
        "approved",
        _submitters(instance, task_state, user),
        {
            **_describe(obj),
            "approved_by": _display_name(user),
            "comment": task_state.comment,
            "go_live_at": scheduled.approved_go_live_at if scheduled else None,
            "public_url": getattr(obj, "full_url", None) if obj.live and not scheduled else None,
        },
    )


def notify_rejected(sender, instance, user=None, **kwargs):
    """Changes requested: tell whoever asked for approval what to change."""
    task_state = instance.current_task_state
    obj = _current(instance)
    _send(
        "rejected",
        _submitters(instance, task_state, user),
        {
            **_describe(obj),
            "rejected_by": _display_name(user),
            "comment": task_state.comment,
        },
    )


def _submitters(workflow_state, task_state, acting_user):
    """The requester and whoever submitted the version under review, not the one acting."""
    users = {workflow_state.requested_by, task_state.revision.user} - {None, acting_user}
    return sorted(users, key=lambda user: user.pk)


def _current(workflow_state):
    """The object as it is now, of its specific type: the workflow state's cached content object
    predates the publication that finishing the workflow has just done."""
    return workflow_state.content_type.get_object_for_this_type(pk=workflow_state.object_id)


def _describe(obj):
    from wagtail.admin.admin_url_finder import AdminURLFinder
    from wagtail.admin.utils import get_latest_str

    return {
        "object": obj,
        "title": get_latest_str(obj),
        "kind": capfirst(obj._meta.verbose_name),
        "edit_url": settings.WAGTAILADMIN_BASE_URL + AdminURLFinder().get_edit_url(obj),
    }


def _absolute(url_name):
    from django.urls import reverse

    return settings.WAGTAILADMIN_BASE_URL + reverse(url_name)


def _display_name(user):
    from wagtail.admin.utils import get_user_display_name

    return get_user_display_name(user) if user else _("unbekannt")


def _send(notification, recipients, context):
    """One e-mail per recipient, honouring the notification settings in their account.

    A failed e-mail is logged and never undoes the workflow step that caused it.
    """
    from wagtail.admin.mail import send_mail
    from wagtail.users.models import UserProfile

    for recipient in recipients:
        wanted = getattr(UserProfile.get_for_user(recipient), f"{notification}_notifications")
        if not (recipient.is_active and recipient.email and wanted):
            continue
        message_context = {
            **context,
            "recipient": recipient,
            "account_url": _absolute("wagtailadmin_account"),
        }
        subject = render_to_string(f"workgroup/mail/{notification}_subject.txt", message_context)
        body = render_to_string(f"workgroup/mail/{notification}.txt", message_context)
        try:
            send_mail(" ".join(subject.split()), body, [recipient.email])
        except Exception:
            logger.exception("Benachrichtigung %s an %s fehlgeschlagen", notification, recipient.pk)
