"""Revisions under review: what counts as a change, who wrote a version since its last
approval, and when a review starts again. The approval task (workgroup.models.moderation) and
the admin's workflow (workgroup.editorial.workflow) both rely on these rules."""

import functools
import itertools


@functools.cache
def _content_fields(model):
    """The fields and inline panels an editor edits; what the admin keeps for itself (tree,
    timestamps, locks) does not count as a change, and neither do review comments.

    Cached per model: the panels are fixed once the admin has loaded, and building the form
    class for every pair of revisions compared would cost more than the comparison.
    """
    from wagtail.models import Page

    if issubclass(model, Page):
        form_class = model.get_edit_handler().get_form_class()
    else:
        form_class = model.snippet_viewset.get_form_class(for_update=True)
    # The comment panel's formset, named "comments", edits the review comments.
    formsets = set(getattr(form_class, "formsets", {})) - {"comments"}
    return set(form_class.base_fields), formsets


def _comparable(model, content, fields, formsets):
    result = {name: content.get(name) for name in fields}
    for name in formsets:
        child_model = model._meta.get_field(name).related_model
        kept = {f.name for f in child_model._meta.concrete_fields if f.editable}
        result[name] = [
            {key: value for key, value in child.items() if key in kept or key == "pk"}
            for child in content.get(name) or []
        ]
    return result


def content_changed(old_revision, new_revision):
    """Whether new_revision changes what an editor sees in old_revision.

    Saving without changes still creates a revision (always so for snippets, and an approval
    from the snippet editor saves one first); such a revision is no edit.
    """
    from django.contrib.contenttypes.models import ContentType

    # get_for_id answers from ContentType's cache; new_revision.content_type would be a query.
    model = ContentType.objects.get_for_id(new_revision.content_type_id).model_class()
    fields, formsets = _content_fields(model)
    return _comparable(model, old_revision.content, fields, formsets) != _comparable(
        model, new_revision.content, fields, formsets
    )


def authors_since_approval(task_state):
    """Who wrote content in the version under review since the last approved version, and who
    asked for the review: none of them may approve it (four eyes on the content, not on the
    submit button).

    The baseline is the live revision, or the latest revision a finished workflow approved if
    that is newer (approved, but waiting for its go-live date), at or before the version under
    review; what was written up to it has been approved already. Every later revision up to
    the one under review counts, and its user is an author if it changed the content of the
    revision before it: an unchanged re-save (the editor's before submitting, the snippet
    editor's before approving) writes nothing.
    Without a baseline every revision counts, the first one as a change. One query.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Exists, Q, Subquery
    from wagtail.models import Revision, TaskState, WorkflowState

    reviewed = task_state.revision
    same_object = Q(base_content_type_id=reviewed.base_content_type_id) & Q(
        object_id=reviewed.object_id
    )
    up_to_reviewed = Q(created_at__lt=reviewed.created_at) | Q(
        created_at=reviewed.created_at, pk__lte=reviewed.pk
    )
    model = ContentType.objects.get_for_id(reviewed.base_content_type_id).model_class()
    live = model._default_manager.filter(pk=reviewed.object_id).values("live_revision_id")
    approved = TaskState.objects.filter(
        status=TaskState.STATUS_APPROVED,
        workflow_state__status=WorkflowState.STATUS_APPROVED,
        workflow_state__base_content_type_id=reviewed.base_content_type_id,
        workflow_state__object_id=reviewed.object_id,
    ).values("revision_id")
    baseline = (
        Revision.objects.filter(same_object & up_to_reviewed)
        .filter(Q(pk__in=Subquery(live)) | Q(pk__in=approved))
        .order_by("-created_at", "-pk")
    )
    baseline_at = Subquery(baseline.values("created_at")[:1])
    baseline_pk = Subquery(baseline.values("pk")[:1])
    revisions = list(
        Revision.objects.filter(same_object & up_to_reviewed)
        .filter(
            Q(created_at__gt=baseline_at)
            | Q(created_at=baseline_at, pk__gte=baseline_pk)
            | ~Exists(baseline)
        )
        .annotate(baseline_pk=baseline_pk)
        .only("pk", "content_type_id", "content", "user_id")
        .order_by("created_at", "pk")
    )
    authors = {task_state.workflow_state.requested_by_id}
    if revisions and revisions[0].pk != revisions[0].baseline_pk:
        authors.add(revisions[0].user_id)
    for before, revision in itertools.pairwise(revisions):
        if content_changed(before, revision):
            authors.add(revision.user_id)
    authors.discard(None)
    return authors


def pending_task_state(obj):
    """The task state waiting for approval on obj, fresh from the database."""
    from wagtail.models import TaskState, WorkflowState

    return (
        TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
            workflow_state__base_content_type=obj.get_base_content_type(),
            workflow_state__object_id=str(obj.pk),
        )
        .select_related("revision", "workflow_state", "task")
        .first()
    )


def _latest_revision(task_state):
    from wagtail.models import Revision

    return (
        Revision.objects.filter(
            base_content_type_id=task_state.revision.base_content_type_id,
            object_id=task_state.revision.object_id,
        )
        .order_by("-created_at", "-id")
        .first()
    )


def restart_review_if_changed(task_state, user):
    """Restart the review on the latest version if someone changed the content since the review
    began (WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT): an approval covers what the approvers
    saw, and whoever edited becomes an author of the new version. Returns whether it restarted.
    """
    latest = _latest_revision(task_state)
    if latest.pk == task_state.revision_id or not content_changed(task_state.revision, latest):
        return False
    task_state.cancel(user=user, resume=True)
    return True


def review_latest_revision(task_state):
    """Let the review cover an unchanged newer revision.

    Wagtail counts an approval only for the latest revision and would otherwise start the same
    review again on a mere re-save, such as the one the snippet editor makes before approving.
    """
    latest = _latest_revision(task_state)
    if latest.pk != task_state.revision_id:
        task_state.revision = latest
        task_state.save(update_fields=["revision"])
