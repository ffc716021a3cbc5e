"""Settings shared by every environment; what differs comes from the environment (12-factor)."""

import hashlib
import os
import tempfile
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "core",
    "home",
    "oparl",
    "website",
    # Development only; production's settings leave it out.
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    # After wagtail.admin: its ready() replaces Wagtail's workflow e-mails with the AG's
    # (workgroup.editorial.notifications).
    "workgroup",
    "operations",
    "axes",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.security.AdminAwareCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Anonymous pages from the cache: after the language is known, before CSRF, user and messages.
    "core.page_cache.AnonymousPageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Throttles failed logins per account and per address before Django checks the password.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours: a locked account or address may try again after 15 minutes
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "operations/lockout.html"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0"))

SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# The public site runs no inline script and loads nothing from other hosts;
# core.security relaxes this for the Wagtail admin only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        # No one frames the public site, the same as X_FRAME_OPTIONS; core.security lets the
        # admin frame its own previews.
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# The same rule as the policy's frame-ancestors 'none'; Wagtail marks its preview views
# SAMEORIGIN, and core.security allows the admin to frame them.
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "core.logging.JsonLinesFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "website.context_processors.confidential_access",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# The embedded default: an SQLite file inside the project, so the site runs anywhere.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
DATABASE_IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
if DATABASE_IS_POSTGRES:
    INSTALLED_APPS.append("django.contrib.postgres")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch"))]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ag-digitalisierung",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Wagtail
WAGTAIL_SITE_NAME = "AG Digitalisierung Plauen"
# The one address where the public reaches the site (core/site_url.py): e-mail links, OParl ids
# and web links, sitemap, feeds and the Wagtail Site record (`manage.py sync_site`) follow it.
# `make run` sets it from HOST_PORT; production requires it.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("de", "Deutsch")]
# No avatars from Gravatar: a request to a third party with a hash of every editor's address,
# and one the site's own CSP blocks anyway. Wagtail shows its default avatar instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Page addresses in ASCII (workgroup/editorial/slugs.py spells umlauts the German way).
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Wagtail's login form leaves its password field without a label, which Django then derives
# from the field name, in English.
WAGTAILADMIN_USER_LOGIN_FORM = "workgroup.editorial.login.LoginForm"
WAGTAIL_DATE_FORMAT = "%d.%m.%Y"
WAGTAIL_DATETIME_FORMAT = "%d.%m.%Y %H:%M"
# What a council publishes: office documents and plain data. Anything else (.exe, .html, .svg)
# could run in a reader's browser or on their machine under the city's name.
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "ods", "docx", "xlsx", "pptx", "csv", "txt"]
# A document that approved content uses keeps its file, title and collection (workgroup.visibility).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "workgroup.editorial.documents.ApprovedDocumentForm"
# Scanned minutes run to a few megabytes; a larger file is a mistake or an attack on the disk.
# The reverse proxy should refuse request bodies above this size too (e.g. client_max_body_size).
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# A meeting's editor sends some ten fields per agenda item and attendance, more for its
# StreamField; Django's default of 1,000 refuses a long meeting with a bare 400, and the editor
# loses what was typed. The body size limit (DATA_UPLOAD_MAX_MEMORY_SIZE) stays Django's 2.5 MB.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        # German stemming and stop words; the config only exists on PostgreSQL.
        **({"SEARCH_CONFIG": "german"} if DATABASE_IS_POSTGRES else {}),
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ag-digitalisierung@plauen.de")
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

LOGIN_URL = "wagtailadmin_login"

# OParl 1.1 API (oparl app, SITE_URL + /oparl/v1/): the city is the one Body. Changes to the Body
# or the legislative terms show in their `modified` after the next `manage.py migrate`.
OPARL_BODY = {"name": "Stadt Plauen", "short_name": "Plauen", "website": "https://www.plauen.de"}
# The council's terms; `key` is part of the term's URL and must never change.
OPARL_LEGISLATIVE_TERMS = [
    {
        "key": "2019-2024",
        "name": "Wahlperiode 2019–2024",
        "start_date": "2019-05-26",
        "end_date": "2024-06-08",
    },
    {"key": "2024-2029", "name": "Wahlperiode 2024–2029", "start_date": "2024-06-09"},
]

# Moderation: the Redaktion drafts, the Koordination approves (four-eyes), and only the approval
# publishes (workgroup/editorial/). An edit during review restarts it.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_FINISH_WORKFLOW_ACTION = "workgroup.editorial.finish.publish_approved_revision"
# Approval e-mails go to the Koordination; the technical admin account is not an approver.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False

# Anonymous page cache (core/page_cache.py). Content changes invalidate it at once; the
# lifetime only bounds how long a page with the time in it (the next meeting on the home page)
# may lag behind the clock. 0 switches the cache off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
# Never shared: the admin (previews included) and document downloads, which Wagtail serves
# according to the collections' view restrictions.
PAGE_CACHE_EXCLUDED_PATHS = ("/admin/", "/dokumente/")
# The cache generation must be shared by every process that serves or changes content (gunicorn
# workers, the publish_scheduled cron job): Redis when configured, else a small file cache, since
# local memory is private to one process and would miss a change made by another. The file lives
# in shared memory where there is some: every content change rewrites it, and on disk that costs
# milliseconds.
_SHARED_MEMORY = Path("/dev/shm")
CACHES["page_generation"] = (
    {**CACHES["default"]}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get(
            "PAGE_CACHE_GENERATION_DIR",
            str(
                (_SHARED_MEMORY if _SHARED_MEMORY.is_dir() else Path(tempfile.gettempdir()))
                / "ag-digitalisierung-page-cache"
            ),
        ),
        # The directory is the machine's: installations and data sets on other databases must
        # neither see nor bump this one's generation.
        "KEY_PREFIX": hashlib.sha256(
            "|".join(
                str(DATABASES["default"].get(key, "")) for key in ("HOST", "PORT", "NAME")
            ).encode()
        ).hexdigest()[:16],
    }
)

# A CDN or Varnish in front, purged on publishing (wagtail.contrib.frontend_cache); off unless
# configured. FRONTEND_CACHE_PURGE_URL: where Varnish or another cache takes HTTP PURGE requests;
# CLOUDFLARE_ZONE_ID and CLOUDFLARE_BEARER_TOKEN: a Cloudflare zone.
INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
WAGTAILFRONTENDCACHE = {}
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
    }
if os.environ.get("CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": os.environ["CLOUDFLARE_ZONE_ID"],
        "BEARER_TOKEN": os.environ.get("CLOUDFLARE_BEARER_TOKEN", ""),
    }
# How long such a cache may keep a page (s-maxage); pages a purge does not name (filtered
# register URLs, pages that merely mention a changed member) are at most this old.
PAGE_CACHE_CDN_SECONDS = int(os.environ.get("PAGE_CACHE_CDN_SECONDS", "300"))

# Whether `load_demo` may fill this database with demo content and accounts whose passwords are
# published in the README. Production's settings say no, and leave the demo app out altogether.
DEMO_CONTENT_ALLOWED = True
