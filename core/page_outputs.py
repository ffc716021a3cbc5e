"""Formats a page's routes answer in, rendered by the app that owns the output.

Page models are domain code and import no output code (the import contracts in pyproject.toml):
the register's CSV and JSON exports and the meetings' iCalendar files are the website's. A route
therefore names the output it serves, and the website registers its renderer under that name
when it loads (website.apps.WebsiteConfig.ready). Django's URL resolver cannot do this for a
page's own sub-addresses (`…/ergebnisse/export/csv/`), which Wagtail's routable pages own.
"""

from django.http import Http404

_renderers = {}


def renders(name):
    """Register the decorated function as the renderer of the output `name`."""

    def register(renderer):
        _renderers[name] = renderer
        return renderer

    return register


def render(name, *args, **kwargs):
    """The response of the output `name`; a 404 where no app renders it (e.g. a settings file
    without the website)."""
    renderer = _renderers.get(name)
    if renderer is None:
        raise Http404
    return renderer(*args, **kwargs)
