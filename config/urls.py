import re

from django.conf import settings
from django.urls import include, path, re_path, register_converter
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from core.url_converters import DatabaseKeyConverter
from operations.views import healthz
from website import views as website_views
from website.feeds import ResultsFeed, TopicResultsFeed
from website.media import serve_media
from website.sitemap import PublicSitemap

register_converter(DatabaseKeyConverter, "key")

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("dokumente/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"wagtail": PublicSitemap}}),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", website_views.robots_txt),
    path("suche/", website_views.search, name="search"),
    path("feeds/ergebnisse/", ResultsFeed(), name="feed_results"),
    path(
        "feeds/ergebnisse/themenfeld/<key:topic_id>/", TopicResultsFeed(), name="feed_topic_results"
    ),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

# Uploads stored on this server go out only through the visibility policy, under `make run` as
# in production; never through a static route (object storage hands out signed addresses).
if settings.MEDIA_URL.startswith("/"):
    urlpatterns += [
        re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$", serve_media)
    ]

urlpatterns += [path("oparl/v1/", include("oparl.urls"))]
urlpatterns += [path("", include(wagtail_urls))]
