from django import template
from django.db.models import Q
from wagtail.models import Page, Site

from core import page_cache, page_visibility
from core.site_url import absolute_url

register = template.Library()

# Service pages the footer links to, wherever they sit in the site.
FOOTER_SLUGS = ("impressum", "barrierefreiheit")


def site_chrome(request, page):
    """Menu items, breadcrumb ancestors and footer pages of every page, once per request.

    Menu and footer are the same on every page of a site, and finding the menu means scanning
    the whole tree (the depth of a page has no index), so they are kept per content generation
    of the page cache, which every change to a page replaces. The ancestors are looked up by
    their paths, which the unique index on the path finds at once.
    """
    chrome = getattr(request, "site_chrome", None)
    if chrome is not None:
        return chrome
    site = Site.find_for_request(request)
    chrome = {"menu": [], "ancestors": [], "footer": {}}
    if site is not None:
        # Kept for the whole site, then narrowed to what this reader may see: a page under a
        # view restriction shows in no menu of a reader who does not pass it.
        site_wide = site_wide_chrome(site)
        chrome["menu"] = page_visibility.only_visible(site_wide["menu"], request)
        chrome["footer"] = {
            slug: page
            for slug, page in site_wide["footer"].items()
            if page_visibility.page_is_visible(page, request)
        }
        steplen = Page.steplen
        ancestor_paths = [page.path[:end] for end in range(steplen, len(page.path), steplen)]
        if ancestor_paths:
            chrome["ancestors"] = list(
                Page.objects.filter(path__in=ancestor_paths).order_by("path")
            )
    if request is not None:
        request.site_chrome = chrome
    return chrome


def site_wide_chrome(site):
    return page_cache.per_generation(f"site-chrome:{site.pk}", lambda: _site_wide_chrome(site))


def _site_wide_chrome(site):
    root = site.root_page
    found = Page.objects.filter(
        Q(path__startswith=root.path),
        Q(depth=root.depth + 1, show_in_menus=True) | Q(slug__in=FOOTER_SLUGS),
        live=True,
    ).order_by("path")
    chrome = {"menu": [], "footer": {}}
    for candidate in found:
        if candidate.depth == root.depth + 1 and candidate.show_in_menus:
            chrome["menu"].append(candidate)
        if candidate.slug in FOOTER_SLUGS:
            chrome["footer"].setdefault(candidate.slug, candidate)
    return chrome


def _page(context):
    # Views that are not pages (search, errors) have no `page`; the home page stands in.
    return context.get("page") or Page(path="", depth=0)


@register.inclusion_tag("includes/navigation.html", takes_context=True)
def main_navigation(context):
    current = context.get("page")
    chrome = site_chrome(context.get("request"), _page(context))
    current_path = current.url_path if current else ""
    return {"items": [(item, current_path.startswith(item.url_path)) for item in chrome["menu"]]}


@register.simple_tag(takes_context=True)
def breadcrumb_ancestors(context):
    return site_chrome(context.get("request"), _page(context))["ancestors"]


@register.simple_tag(takes_context=True)
def footer_pages(context):
    """The footer's service pages by slug, e.g. `footer.impressum`."""
    return site_chrome(context.get("request"), _page(context))["footer"]


@register.simple_tag(takes_context=True)
def absolute_pageurl(context, page):
    """The page's address under SITE_URL, for printouts."""
    request = context["request"]
    return absolute_url(page.get_url(request))


@register.simple_tag(takes_context=True)
def webcal_url(context, page, route):
    """A routable page's calendar route as webcal://, which opens the calendar program's
    subscription dialog instead of downloading a file."""
    path = page.get_url(context["request"]) + page.reverse_subpage(route)
    return "webcal://" + absolute_url(path).split("://", 1)[1]
