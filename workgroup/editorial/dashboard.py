"""Panels on the Wagtail admin dashboard: the founding paper's duties and the review queue."""

from django.utils.text import capfirst
from wagtail.admin.ui.components import Component
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel

from workgroup.models import NOMINATION_DEADLINE, NominationStatus, ReportDue


class CompositionPanel(Component):
    name = "composition"
    template_name = "workgroup/admin/composition_panel.html"
    order = 150

    def get_context_data(self, parent_context):
        return {
            "statuses": NominationStatus.for_active_factions(),
            "deadline": NOMINATION_DEADLINE,
        }


class ReportDuePanel(Component):
    name = "report_due"
    template_name = "workgroup/admin/report_due_panel.html"
    order = 160

    def get_context_data(self, parent_context):
        return {"report_due": ReportDue.on()}


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
