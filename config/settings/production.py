"""Production: everything secret or site-specific comes from the environment, nothing defaults."""

import os

from django.core.exceptions import ImproperlyConfigured


def required(name):
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(
            f"Die Umgebungsvariable {name} muss für den Produktivbetrieb gesetzt sein "
            f"(the environment variable {name} is required with production settings)."
        )
    return value


required("DATABASE_URL")
SECRET_KEY = required("SECRET_KEY")
SITE_URL = required("SITE_URL")
WAGTAILADMIN_BASE_URL = SITE_URL

from .base import *  # noqa: E402, F403
from .base import CACHES, REDIS_URL  # noqa: E402

DEBUG = False
# No demo app and no demo accounts on a live installation.
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "demo"]  # noqa: F405
DEMO_CONTENT_ALLOWED = False
ALLOWED_HOSTS = [host.strip() for host in required("ALLOWED_HOSTS").split(",") if host.strip()]
CSRF_TRUSTED_ORIGINS = [
    origin.strip() for origin in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if origin
]

# TLS is terminated by the reverse proxy in front, which must set X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() == "true"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# Static files straight from the app servers, with hashed names and far-future caching.
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if os.environ.get("MEDIA_S3_BUCKET"):
    # S3-compatible object storage (e.g. a municipal MinIO); needs the "s3" extra installed.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["MEDIA_S3_BUCKET"],
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
        },
    }

if REDIS_URL:
    # Renditions are looked up on every page with images; keep them out of the database.
    CACHES["renditions"] = {**CACHES["default"], "KEY_PREFIX": "ag-digitalisierung-renditions"}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))

# Persistent connections, checked before reuse so a restarted database costs one failed check,
# not a failed request.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
