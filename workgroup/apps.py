from django.apps import AppConfig


class WorkgroupConfig(AppConfig):
    name = "workgroup"
    verbose_name = "AG Digitalisierung"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from workgroup.editorial import workflow

        # Before Wagtail's admin app connects its own notifiers (it comes later in
        # INSTALLED_APPS), so that the AG's e-mails take their dispatch_uids.
        workflow.connect_notifications()
