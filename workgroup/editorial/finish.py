"""How an approved workflow ends (WAGTAIL_FINISH_WORKFLOW_ACTION).

Wagtail imports this while it loads its own models, so it imports nothing of ours.
"""


def publish_approved_revision(workflow_state, user=None):
    """Finish the workflow by publishing the approved version (WAGTAIL_FINISH_WORKFLOW_ACTION).

    The approval itself is the authority to publish: the Koordination's publish permission only
    serves taking content down, so the approval must not depend on it. Wagtail's own finish
    action publishes the latest revision; this one publishes the revision the task state
    approved, which the approval line on the public page then finds as the live revision. An
    edit during review restarts the review (restart_review_if_changed), so the two agree.
    """
    workflow_state.current_task_state.revision.publish(user=user, skip_permission_checks=True)
