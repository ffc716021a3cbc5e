from django.apps import AppConfig


class OparlConfig(AppConfig):
    """The OParl 1.1 API. It reads the workgroup app's models; workgroup never imports it."""

    name = "oparl"
    verbose_name = "OParl-Schnittstelle"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from oparl import signals

        signals.connect(self)
