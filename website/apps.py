from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    """The public outputs: the register's exports, search, feeds, iCalendar, sitemap, media."""

    name = "website"
    verbose_name = "Website"

    def ready(self):
        # The page routes' formats (core.page_outputs) register themselves on import.
        from website import exports, ical  # noqa: F401
