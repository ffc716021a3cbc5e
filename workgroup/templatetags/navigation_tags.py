from django import template
from django.db.models import Q
from wagtail.models import Page, Site

register = template.Library()

# Service pages the footer links to, wherever they sit in the site.
FOOTER_SLUGS = ("impressum", "barrierefreiheit")


def site_chrome(request, page):
    """Menu items, breadcrumb ancestors and footer pages of every page, in one query per request
    instead of one for each (plus two per footer link)."""
    chrome = getattr(request, "site_chrome", None)
    if chrome is not None:
        return chrome
    site = Site.find_for_request(request)
    chrome = {"menu": [], "ancestors": [], "footer": {}}
    if site is not None:
        root = site.root_page
        steplen = Page.steplen
        ancestor_paths = [page.path[:end] for end in range(steplen, len(page.path), steplen)]
        in_site = Q(path__startswith=root.path)
        found = Page.objects.filter(
            Q(path__in=ancestor_paths)
            | (in_site & Q(depth=root.depth + 1, live=True, show_in_menus=True))
            | (in_site & Q(slug__in=FOOTER_SLUGS, live=True))
        ).order_by("path")
        for candidate in found:
            if candidate.path in ancestor_paths:
                chrome["ancestors"].append(candidate)
            if candidate.depth == root.depth + 1 and candidate.live and candidate.show_in_menus:
                chrome["menu"].append(candidate)
            if candidate.slug in FOOTER_SLUGS and candidate.live:
                chrome["footer"].setdefault(candidate.slug, candidate)
    if request is not None:
        request.site_chrome = chrome
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
    """The page's address with the host the reader used, for printouts: Wagtail's
    `fullpageurl` takes the host from the Site record, which on a demo or staging
    installation is not the one the browser reached."""
    request = context["request"]
    return request.build_absolute_uri(page.get_url(request))
