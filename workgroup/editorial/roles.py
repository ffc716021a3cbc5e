"""The editorial roles as groups: Redaktion drafts, Koordination approves, AG-Mitglieder read.

`ensure_roles()` sets up the groups, their permissions and the approval workflow in one go; the
`setup_roles` command, the demo content and the tests call it. It is safe to run any number of
times, and each run restores the roles as defined here: the code, not the admin's group editor,
is where the roles live.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)

from workgroup.editorial.groups import (
    CONFIDENTIAL_READER_GROUPS,
    COORDINATION_GROUP,
    EDITORS_GROUP,
    MEMBERS_GROUP,
)
from workgroup.models import CouncilBody, Faction, Location, Member
from workgroup.models.moderation import FourEyesApprovalTask

WORKFLOW_NAME = "Freigabe durch die Koordination"
TASK_NAME = "Freigabe durch die Koordination (Vier-Augen-Prinzip)"
# Created by Wagtail's own migrations and assigned to the tree root.
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"

ADMIN_ACCESS = ("wagtailadmin", "access_admin")
# Reading the AG's non-public parts on the website (workgroup.visibility).
VIEW_CONFIDENTIAL = ("workgroup", "view_confidential")

# Nobody holds a publish permission in order to publish: the approval publishes
# (workgroup.editorial.workflow), and the admin refuses direct publishing. The Koordination
# holds it because Wagtail ties taking content down, page privacy and unscheduling to it.
PAGE_PERMISSIONS = {
    EDITORS_GROUP: ("add_page", "change_page"),
    COORDINATION_GROUP: ("add_page", "change_page", "publish_page", "unlock_page"),
}

# The snippets the public sees (OParl lists them, the website names them): like pages, each goes
# online only through the approval workflow.
APPROVED_SNIPPETS = (Member, Faction, CouncilBody, Location)

# For these snippets the Redaktion drafts and submits and the Koordination approves; its publish
# permission serves unpublishing, as for pages, and unlock frees what an editor locked.
MODEL_PERMISSIONS = {
    EDITORS_GROUP: {
        Member: ("add", "change"),
        Faction: ("add", "change"),
        CouncilBody: ("add", "change"),
        Location: ("add", "change"),
    },
    COORDINATION_GROUP: {
        Member: ("add", "change", "delete", "publish", "unlock"),
        Faction: ("add", "change", "delete", "publish", "unlock"),
        CouncilBody: ("add", "change", "delete", "publish", "unlock"),
        Location: ("add", "change", "delete", "publish", "unlock"),
    },
    MEMBERS_GROUP: {},
}

# Wagtail lets whoever uploaded a document or image edit it; changing others' files would
# change live pages without approval, so that stays with the Koordination.
COLLECTION_PERMISSIONS = {
    EDITORS_GROUP: ("add_document", "choose_document", "add_image", "choose_image"),
    COORDINATION_GROUP: (
        "add_document",
        "change_document",
        "delete_document",
        "choose_document",
        "add_image",
        "change_image",
        "delete_image",
        "choose_image",
    ),
}


@transaction.atomic
def ensure_roles():
    """Create or restore the role groups and the approval workflow; return the groups by name."""
    groups = {
        name: Group.objects.get_or_create(name=name)[0]
        for name in (EDITORS_GROUP, COORDINATION_GROUP, MEMBERS_GROUP)
    }
    # The tree root rather than the home page: it exists from the first migration on, so the
    # setup works before any content does, and it covers every page created later.
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    for name, group in groups.items():
        group.permissions.set(_model_permissions(name))
        _set_exactly(GroupPagePermission, group, "page", root_page, PAGE_PERMISSIONS.get(name, ()))
        _set_exactly(
            GroupCollectionPermission,
            group,
            "collection",
            root_collection,
            COLLECTION_PERMISSIONS.get(name, ()),
        )
    _ensure_workflow(groups[COORDINATION_GROUP], root_page)
    return groups


def _model_permissions(group_name):
    permissions = []
    if group_name in PAGE_PERMISSIONS:
        permissions.append(_permission(*ADMIN_ACCESS))
    if group_name in CONFIDENTIAL_READER_GROUPS:
        permissions.append(_permission(*VIEW_CONFIDENTIAL))
    for model, actions in MODEL_PERMISSIONS[group_name].items():
        app_label = model._meta.app_label
        permissions += [
            _permission(app_label, f"{action}_{model._meta.model_name}") for action in actions
        ]
    return permissions


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _set_exactly(permission_model, group, target_field, target, codenames):
    """Give the group exactly these permissions on the target, and no others there."""
    wanted = {
        Permission.objects.get(
            content_type__app_label__in=("wagtailcore", "wagtaildocs", "wagtailimages"),
            codename=codename,
        ).pk
        for codename in codenames
    }
    existing = permission_model.objects.filter(group=group, **{target_field: target})
    existing.exclude(permission_id__in=wanted).delete()
    have = set(existing.values_list("permission_id", flat=True))
    permission_model.objects.bulk_create(
        permission_model(group=group, permission_id=pk, **{target_field: target})
        for pk in wanted - have
    )


def _ensure_workflow(approvers, root_page):
    """One workflow with one four-eyes approval by the Koordination, on every page and on every
    snippet the public sees (APPROVED_SNIPPETS)."""
    task, _ = FourEyesApprovalTask.objects.get_or_create(name=TASK_NAME)
    if not task.active:
        task.active = True
        task.save(update_fields=["active"])
    task.groups.set([approvers])

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    WorkflowTask.objects.filter(workflow=workflow).exclude(task=task).delete()
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    # A workflow on a page below the root would take precedence there; the whole tree is ours.
    WorkflowPage.objects.exclude(workflow=workflow).delete()
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})
    for model in APPROVED_SNIPPETS:
        WorkflowContentType.objects.update_or_create(
            content_type=ContentType.objects.get_for_model(model),
            defaults={"workflow": workflow},
        )

    for default in Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW, active=True):
        default.deactivate()
