from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the site: health checks, backups, login throttling pages."""

    name = "operations"
    verbose_name = "Betrieb"
    default_auto_field = "django.db.models.BigAutoField"
