"""A full-page cache for anonymous visitors, and the invalidation that keeps it exact.

Design: every cached page is stored under a key that contains the current *generation*, a random
token kept in a cache that all processes share. Any change to public content (a page published,
unpublished, moved or deleted, an approval, a member, faction, body, document, collection or view
restriction saved or deleted; saving a draft touches the page row and counts too) replaces the
token, and from then on no request finds a page cached before the change; the old entries simply
expire.

Trade-off: one change invalidates every cached page, not just the pages that show the changed
object. Working out which pages list what (the register and its filters and pages, home, topic
pages, feeds, iCal, OParl lists, every result page that names a council body) would be exact only
as long as that map is kept in step with every template; the generation is exact by construction
and costs one cache miss per page after a change, which at the AG's rate of a few changes a day is
nothing. The token is a fresh random value rather than a counter, so that no race and no eviction
can bring an old generation back.

Who gets cached pages: only GET requests without a session or messages cookie and without
credentials. A request with a session cookie (every logged-in AG member, who may see non-public
content) never reads from the cache and never fills it. A response is stored only if it is a
plain 200 that sets no cookie, did not touch the session, carries no messages, embeds no CSRF
token, is no preview and varies on nothing but the cookie and the language.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from wagtail import signals as wagtail_signals

GENERATION_KEY = "page-cache:generation"
STATUS_HEADER = "X-Page-Cache"
# A response that varies on these request headers is still shared: the key carries the language,
# and only requests without session and messages cookies are served, whose Cookie header changes
# nothing in a page.
SHARED_VARY_HEADERS = {"cookie", "accept-language"}
UNSHAREABLE_CACHE_CONTROL = {"private", "no-cache", "no-store"}
MESSAGES_COOKIE = "messages"


def response_cache():
    return caches["default"]


def generation_cache():
    """Where the generation token lives. It must be shared by all processes (gunicorn workers, the
    `publish_scheduled` cron job); the settings give a file cache for it when there is no Redis.
    Settings that define only "default" (the tests) run in one process."""
    return caches["page_generation" if "page_generation" in settings.CACHES else "default"]


def current_generation():
    cache = generation_cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # First use or evicted: a fresh token can never match an entry stored before.
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


# Only bounds how long an unused generation's entries stay; a change replaces the generation.
DERIVED_DATA_SECONDS = 24 * 60 * 60


def per_generation(name, compute):
    """What compute() derives from the public content, computed once per content generation:
    every change that could alter it replaces the generation (see the module docstring), so
    the value is exact without invalidation of its own."""
    key = f"derived:{name}:{current_generation()}"
    cache = response_cache()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, DERIVED_DATA_SECONDS)
    return value


def bump_generation():
    generation_cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def invalidate(**kwargs):
    """Signal receiver: a change to public content invalidates every cached page.

    Bumped at once, for requests on the same database connection (and tests, whose transaction
    never commits), and again after the commit: a request that read the new token while the
    transaction was still open may have rendered the old content, and must not keep it.
    """
    bump_generation()
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        purge_frontend_cache()
    elif getattr(connection, "page_cache_hooks", None) is not connection.run_on_commit:
        # Once per transaction: Django starts a new list of commit hooks for every transaction
        # (and after a savepoint rollback), so the list's identity tells whether ours is in it.
        transaction.on_commit(after_commit)
        connection.page_cache_hooks = connection.run_on_commit


def after_commit():
    bump_generation()
    purge_frontend_cache()


def purge_frontend_cache():
    """Purge the pages that list content from a CDN or Varnish in front, where one is configured
    (WAGTAILFRONTENDCACHE). Wagtail's frontend_cache app purges a published page itself; a CDN
    keeps other pages (filtered register URLs, pages that merely mention a member) for at most
    PAGE_CACHE_CDN_SECONDS, the s-maxage these responses carry."""
    from wagtail.contrib.frontend_cache.utils import PurgeBatch, get_backends

    if not get_backends():
        return
    from wagtail.models import Site

    batch = PurgeBatch()
    for site in Site.objects.select_related("root_page"):
        root = site.root_page
        batch.add_page(root)
        batch.add_pages(root.get_children().live().specific())
        base = root.get_full_url(batch).rstrip("/")
        batch.add_urls(base + reverse(name) for name in ("feed_results", "search"))
    batch.purge()


def is_personal(request):
    """Whether the request may belong to someone: then the cache is bypassed entirely."""
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or MESSAGES_COOKIE in request.COOKIES
        or "HTTP_AUTHORIZATION" in request.META
    )


def is_cacheable_request(request):
    return request.method == "GET" and not request.path.startswith(
        settings.PAGE_CACHE_EXCLUDED_PATHS
    )


def cache_key(request):
    url = hashlib.md5(request.build_absolute_uri().encode(), usedforsecurity=False).hexdigest()
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return f"page-cache:{current_generation()}:{language}:{url}"


def is_shareable_response(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and len(messages):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or getattr(request, "is_preview", False):
        return False
    cache_control = {
        part.split("=")[0].strip().lower() for part in response.get("Cache-Control", "").split(",")
    }
    if cache_control & UNSHAREABLE_CACHE_CONTROL:
        return False
    vary = {header.strip().lower() for header in response.get("Vary", "").split(",") if header}
    return vary <= SHARED_VARY_HEADERS


def mark_shared(response):
    """Headers of a page that anyone may receive. Browsers revalidate every time (they cannot be
    told when content changes); a CDN with purging configured may keep it briefly."""
    if "Cache-Control" not in response:
        if settings.WAGTAILFRONTENDCACHE:
            patch_cache_control(
                response, public=True, max_age=0, s_maxage=settings.PAGE_CACHE_CDN_SECONDS
            )
        else:
            patch_cache_control(response, public=True, max_age=0)
    # Anything in front must keep the anonymous and the logged-in versions apart.
    patch_vary_headers(response, ["Cookie"])


def mark_personal(response):
    """A page for one reader (an AG member may see non-public content) is stored nowhere."""
    if "Cache-Control" not in response:
        add_never_cache_headers(response)
    patch_vary_headers(response, ["Cookie"])


class AnonymousPageCacheMiddleware:
    """Serve anonymous GET requests from the page cache, and fill it.

    Sits after LocaleMiddleware (the key carries the language) and before CsrfViewMiddleware,
    AuthenticationMiddleware and MessageMiddleware, so that a hit skips them and a miss sees the
    cookies, user and messages they produce.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_SECONDS or not is_cacheable_request(request):
            return self.get_response(request)
        if is_personal(request):
            response = self.get_response(request)
            mark_personal(response)
            response[STATUS_HEADER] = "bypass"
            return response

        key = cache_key(request)
        cached = response_cache().get(key)
        if cached is not None:
            status, content, headers = cached
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response[STATUS_HEADER] = "hit"
            return response

        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            mark_personal(response)
        elif is_shareable_response(request, response):
            mark_shared(response)
            response[STATUS_HEADER] = "miss"
            headers = [(name, value) for name, value in response.items() if name != STATUS_HEADER]
            response_cache().set(
                key,
                (response.status_code, response.content, headers),
                settings.PAGE_CACHE_SECONDS,
            )
        elif response.cookies:
            # A cookie for one visitor must not be shared by a cache in front either.
            patch_cache_control(response, private=True)
        return response


def content_models():
    """Every model whose rows the public site shows, and view restrictions that hide them."""
    from django.apps import apps
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import (
        Collection,
        CollectionViewRestriction,
        Locale,
        Page,
        PageViewRestriction,
        Site,
    )

    own_apps = {"home", "workgroup", "oparl"}
    models = {
        model
        for model in apps.get_models()
        if model._meta.app_label in own_apps or issubclass(model, Page)
    }
    models.update(
        {
            Collection,
            CollectionViewRestriction,
            Locale,
            PageViewRestriction,
            Site,
            get_document_model(),
            get_image_model(),
            apps.get_model("wagtailredirects", "Redirect"),
        }
    )
    return models


def connect_signal_handlers():
    """Connected in WorkgroupConfig.ready(). Per model rather than for every sender, so that
    Django keeps its fast bulk deletes for unrelated models (sessions, search index rows)."""
    from wagtail.models import CollectionViewRestriction, PageViewRestriction

    for model in content_models():
        post_save.connect(invalidate, sender=model, dispatch_uid=f"page-cache-save-{model}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"page-cache-delete-{model}")
    for restriction in (PageViewRestriction, CollectionViewRestriction):
        m2m_changed.connect(
            invalidate, sender=restriction.groups.through, dispatch_uid=f"page-cache-{restriction}"
        )
    # Publishing and unpublishing change rows through QuerySet.update() as well, and a move
    # rewrites the tree with raw updates: none of that sends post_save.
    for signal in (
        wagtail_signals.page_published,
        wagtail_signals.page_unpublished,
        wagtail_signals.post_page_move,
        wagtail_signals.published,
        wagtail_signals.unpublished,
        wagtail_signals.workflow_approved,
        wagtail_signals.task_approved,
    ):
        signal.connect(invalidate, dispatch_uid="page-cache")
