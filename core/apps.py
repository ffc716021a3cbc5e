from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Grundlagen"

    def ready(self):
        from core import page_cache, site_url  # noqa: F401 (site_url registers its check)

        # Every save of public content replaces the page cache's generation.
        page_cache.connect_signal_handlers()
