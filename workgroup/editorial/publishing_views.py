"""The admin's side of direct publishing: only superusers publish without the approval.

Pages ask their permission tester (workgroup.models.publishing); what Wagtail decides without
asking it is here: the copy form, the snippet views and the page listing's bulk action.
"""

from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction
from wagtail.snippets.views.snippets import CopyView, CreateView, EditView

from workgroup.editorial import workflow


class PublishesOnlyThroughApproval:
    """For a snippet's create, copy, edit and revert views: "publish" is no action for anyone
    but a superuser, so a request posting "action-publish" saves a draft, as Wagtail does for
    users without the publish permission.

    The Koordination holds the snippets' publish permission because Wagtail's unpublish and
    unschedule views and actions require it, and asks the same permission for publishing; a
    permission policy cannot tell the two apart, the view can.
    """

    def get_available_actions(self):
        actions = super().get_available_actions()
        if workflow.may_publish_directly(self.request.user):
            return actions
        return [action for action in actions if action != "publish"]


class ApprovalCreateView(PublishesOnlyThroughApproval, CreateView):
    pass


class ApprovalCopyView(PublishesOnlyThroughApproval, CopyView):
    """The copy view only shows the create form filled with the original's values; the form
    posts to the create view. Wagtail's copy view would save a POST into the original (its
    form instance is the original, pk and all): past the edit view, its lock and the approval,
    and, as a create view saves a draft, taking a live snippet offline. So it takes no POST."""

    http_method_names = ["get", "head", "options"]


class ApprovalEditView(PublishesOnlyThroughApproval, EditView):
    pass


class HiddenPublishBulkAction(PublishBulkAction):
    """Wagtail's bulk "Publish" for pages, offered to nobody in the page listing.

    Wagtail's bulk action bar lists every action registered for the model, whoever looks
    (wagtailadmin_tags.bulk_action_choices asks neither the user nor check_perm), so it would
    offer "Veröffentlichen" to the Redaktion and the Koordination and then refuse all their
    pages. The bar cannot show it to superusers alone, so its button is hidden for everyone
    (the `classes` of a bulk action style its button); a superuser's emergency path is the
    editor's "Veröffentlichen", and the bulk action still works at its address for them.
    check_perm asks may_publish_directly as well: a page of Wagtail's own Page class (the
    welcome page of a fresh installation) has Wagtail's tester, which lets the publish
    permission publish.
    """

    classes = {"w-hidden"}

    def check_perm(self, page):
        return workflow.may_publish_directly(self.request.user) and super().check_perm(page)
