from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"
# Tests log in with force_login and client.login; the throttling tests switch axes back on.
AXES_ENABLED = False
LOGGING = {"version": 1, "disable_existing_loggers": False}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SITE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = SITE_URL
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
