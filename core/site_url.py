"""The site's one public address.

`settings.SITE_URL` (scheme, host and port, no path) is where the public reaches the site. Every
absolute link the site writes follows it: e-mail links, OParl ids and `web` links, the feeds,
iCalendar files, exports, robots.txt, and, through the Wagtail Site record that Wagtail builds
page URLs from, the sitemap. Never the request's Host (a proxy may present another) and never a
second setting. `manage.py sync_site` brings the Site record in line with it.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register

DEFAULT_PORTS = {"http": 80, "https": 443}


def site_url():
    """SITE_URL without a trailing slash."""
    return settings.SITE_URL.rstrip("/")


def absolute_url(path_or_url):
    """An absolute URL on the public website for a path (URLs pass unchanged)."""
    if path_or_url.startswith(("http://", "https://")):
        return path_or_url
    return site_url() + path_or_url


def problem(url):
    """Why `url` cannot be the site's address, or None."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return "SITE_URL muss mit http:// oder https:// beginnen und einen Rechnernamen enthalten."
    if parts.path.strip("/") or parts.query or parts.fragment:
        return "SITE_URL nennt nur Schema, Rechner und Port, keinen Pfad."
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        return "Der Port in SITE_URL ist keine Zahl."
    # Wagtail derives a page's scheme from its Site record's port: https only on port 443.
    if (parts.scheme == "https") != (port == 443):
        return "HTTPS geht nur über Port 443, Port 443 nur mit HTTPS (so bildet Wagtail Adressen)."
    return None


def site_record():
    """The hostname and port of the Wagtail Site record that serves SITE_URL."""
    parts = urlsplit(site_url())
    return {"hostname": parts.hostname, "port": parts.port or DEFAULT_PORTS[parts.scheme]}


@register()
def check_site_url(app_configs, **kwargs):
    message = problem(settings.SITE_URL)
    if message is None:
        return []
    return [Error(message, hint=f"SITE_URL ist {settings.SITE_URL!r}.", id="core.E001")]
