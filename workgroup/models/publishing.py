"""Who publishes a page directly: Wagtail's permission tester for every page of the site.

The Koordination holds Wagtail's page publish permission because Wagtail ties taking content
down to it (unpublishing, deleting live pages, moving them, reordering, privacy, unscheduling);
publishing itself is the approval's job (workflow.publish_approved_revision). The
tester below keeps the permission for all of that and allows publishing only to superusers, so
every place that asks it agrees: the editor's publish button and action, creating a page
published, the copy form's "publish copies" and "alias", the bulk action and the revert view.
"""

from django.utils.functional import classproperty
from wagtail.admin.forms.pages import CopyForm
from wagtail.models import PagePermissionTester


def may_publish_directly(user):
    """Publishing without the approval is the superusers' emergency path, nobody else's.

    Every page asks it through its permission tester (workgroup.models.publishing), the
    approved snippets through their views (workgroup.editorial.publishing_views).
    """
    return bool(user and user.is_active and user.is_superuser)


class ApprovalCopyForm(CopyForm):
    """Wagtail's copy form without "publish copies" and "alias" for anyone but a superuser.

    Wagtail offers both to whoever holds the page publish permission anywhere, the Koordination
    included. A copy published at once, and an alias (live as soon as its original is, at a
    place whose privacy the approval never saw), would both skip the approval. A request
    posting the fields anyway gets a copy that is a draft: a form ignores fields it does not
    have. The alias matters most here, as the copy view creates it without asking the tester;
    only this form's clean() would have.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_publish_directly(self.user):
            self.fields.pop("publish_copies", None)
            self.fields.pop("alias", None)


class ApprovalPagePermissionTester(PagePermissionTester):
    def can_publish(self):
        return may_publish_directly(self.user) and super().can_publish()

    def can_publish_subpage(self):
        return may_publish_directly(self.user) and super().can_publish_subpage()

    # Wagtail grants these with can_publish; they publish nothing unapproved, so they stay with
    # the publish permission as Wagtail defines it.
    def can_set_view_restrictions(self):
        return super().can_publish()

    def can_unschedule(self):
        return super().can_publish()


class ApprovalRequiredPage:
    """Mixed into every page class of the site, before Page: its pages go online only through
    the approval. It has no fields, so it changes no table and needs no migration.

    Wagtail asks the specific class for the tester even when it holds a plain Page
    (Page.permissions_for_user), and the copy view asks it for the copy form.
    """

    def permissions_for_user(self, user):
        return ApprovalPagePermissionTester(user, self)

    @classproperty
    def copy_form_class(cls):
        return ApprovalCopyForm
