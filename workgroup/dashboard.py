"""Panels on the Wagtail admin dashboard that keep the founding paper's duties in view."""

from wagtail.admin.ui.components import Component

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
