from django.apps import AppConfig


class WorkgroupConfig(AppConfig):
    name = "workgroup"
    verbose_name = "AG Digitalisierung"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from workgroup.editorial.notifications import replace_wagtail_notifiers
        from workgroup.editorial.slugs import use_german_slugs

        replace_wagtail_notifiers()
        use_german_slugs()
