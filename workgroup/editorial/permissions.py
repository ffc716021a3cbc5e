"""Who publishes a page directly: Wagtail's permission tester for every page of the site.

The Koordination holds Wagtail's page publish permission because Wagtail ties taking content
down to it (unpublishing, deleting live pages, moving them, reordering, privacy, unscheduling);
publishing itself is the approval's job (workgroup.moderation.publish_approved_revision). The
tester below keeps the permission for all of that and allows publishing only to superusers, so
every place that asks it agrees: the editor's publish button and action, creating a page
published, the copy form's "publish copies" and "alias", the bulk action and the revert view.
"""

from django.utils.functional import classproperty
from wagtail.models import PagePermissionTester

from workgroup import moderation


class ApprovalPagePermissionTester(PagePermissionTester):
    def can_publish(self):
        return moderation.may_publish_directly(self.user) and super().can_publish()

    def can_publish_subpage(self):
        return moderation.may_publish_directly(self.user) and super().can_publish_subpage()

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
        # Imported late: the admin's forms are not to be loaded while the models load.
        from workgroup.editorial.publishing_views import ApprovalCopyForm

        return ApprovalCopyForm
