from django.apps import AppConfig


class WorkgroupConfig(AppConfig):
    name = "workgroup"
    verbose_name = "AG Digitalisierung"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from workgroup import page_cache

        page_cache.connect_signal_handlers()
