"""The approval step of the AG's workflow: a group approval under the four-eyes principle."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.forms import TaskStateCommentForm
from wagtail.models import AbstractGroupApprovalTask, TaskState

from workgroup.models import revisions

FOUR_EYES_REFUSAL = _(
    "Vier-Augen-Prinzip: Wer eine Fassung eingereicht oder seit der letzten Freigabe an ihrem "
    "Inhalt mitgeschrieben hat, gibt sie nicht selbst frei. Die Freigabe erteilt die andere "
    "Person der Koordination."
)
COMMENT_REQUIRED = _("Bitte begründen Sie, was geändert werden soll.")
REVIEW_CLOSED = _(
    "Diese Prüfung ist bereits abgeschlossen: Die Fassung wurde inzwischen geändert oder "
    "entschieden. Bitte prüfen Sie die aktuelle Fassung."
)


class RejectionForm(TaskStateCommentForm):
    comment = forms.CharField(
        label=_("Was soll die Redaktion ändern?"),
        widget=forms.Textarea({"rows": 3}),
        error_messages={"required": COMMENT_REQUIRED},
    )


class FourEyesApprovalTask(AbstractGroupApprovalTask):
    """Members of the chosen groups approve, but never a version they submitted or wrote.

    Wagtail's group approval lets anyone in the group approve anything, including their own
    submission. The AG's rules of procedure want a second person, so the coordinator and the
    vice chair check each other.
    """

    class Meta:
        verbose_name = _("Freigabe nach dem Vier-Augen-Prinzip")
        verbose_name_plural = _("Freigaben nach dem Vier-Augen-Prinzip")

    @classmethod
    def get_description(cls):
        return _(
            "Mitglieder der gewählten Gruppen geben frei – nie eine Fassung, die sie selbst "
            "eingereicht oder seit der letzten Freigabe mitgeschrieben haben."
        )

    @staticmethod
    def authors(task_state):
        """Who may not approve this task state: the workflow's requester and whoever wrote
        content in the version under review since the last approved version
        (revisions.authors_since_approval; an edit during review restarts the review on the
        editor's version, so the editor is one of them).
        """
        return revisions.authors_since_approval(task_state)

    def get_actions(self, obj, user):
        if not super().get_actions(obj, user):
            return []
        actions = [("reject", _("Änderungen anfordern"), True)]
        task_state = obj.current_workflow_task_state
        if not (task_state and user.pk in self.authors(task_state)):
            actions += [
                ("approve", _("Freigeben"), False),
                ("approve", _("Mit Kommentar freigeben"), True),
            ]
        return actions

    def get_form_for_action(self, action):
        if action == "reject":
            return RejectionForm
        return super().get_form_for_action(action)

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        # Wagtail's workflow action view acts on whichever task state its URL names, even one
        # that an edit has since closed or that belongs to another object; the lock keeps two
        # approvers from deciding the same review twice.
        waiting = TaskState.objects.select_for_update().filter(
            pk=task_state.pk, status=TaskState.STATUS_IN_PROGRESS
        )
        if not waiting.exists():
            raise PermissionDenied(REVIEW_CLOSED)
        # The admin's edit views save the form before they act, and post the extra data
        # as raw JSON without the action's form, so the rules are checked again here.
        if action_name == "approve":
            if revisions.restart_review_if_changed(task_state, user):
                return None
            if user.pk in self.authors(task_state):
                raise PermissionDenied(FOUR_EYES_REFUSAL)
            revisions.review_latest_revision(task_state)
        elif action_name == "reject" and not str(kwargs.get("comment", "")).strip():
            raise PermissionDenied(COMMENT_REQUIRED)
        return super().on_action(task_state, user, action_name, **kwargs)
