"""Nothing reaches the public unapproved: the AG's outcomes go online only through the
Koordination's approval (workflow "Freigabe durch die Koordination").

The rules about revisions (who wrote what, when a review restarts) are the models' own
(workgroup.models.revisions), and so is who may publish directly (workgroup.models.publishing);
this module acts on them for the admin: the approval line and malformed requests. The e-mails
are workgroup.editorial.notifications.
"""

import json
import logging
from dataclasses import dataclass
from datetime import datetime

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
