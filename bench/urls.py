"""The site's URLs plus the benchmark's floor: a plain response through the same server and
middleware, against which bench/run.py sets every page. Mounted only by bench.settings."""

from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor),
    path("", include("config.urls")),
]
