"""Public views that are not pages: site search and robots.txt."""

import re
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from wagtail.models import Page

from home.models import StandardPage
from workgroup.models import MeetingPage, ReportPage, ResultPage, TopicAreaPage

SEARCH_RESULTS_PER_PAGE = 20
MAX_QUERY_LENGTH = 200
SNIPPET_LENGTH = 240
SEARCHABLE_TYPES = {
    "ergebnis": (ResultPage, _("Ergebnisse")),
    "sitzung": (MeetingPage, _("Sitzungen")),
    "themenfeld": (TopicAreaPage, _("Themenfelder")),
    "bericht": (ReportPage, _("Halbjahresberichte")),
    "seite": (StandardPage, _("Seiten")),
}


def snippet_source(page):
    """The public text a result is summarised from; never a non-public field."""
    for field in ("summary", "intro", "search_description"):
        text = getattr(page, field, "")
        if text:
            return text
    return ""


def highlight(text, terms):
    """Wagtail's database backend has no highlighter, so cut a window around the first
    match and mark every term in it; the text is escaped before the marks go in."""
    lowered = text.lower()
    positions = [lowered.find(term) for term in terms if term and term in lowered]
    start = max(min(positions) - SNIPPET_LENGTH // 3, 0) if positions else 0
    window = text[start : start + SNIPPET_LENGTH]
    html = escape(window)
    if terms:
        pattern = "|".join(re.escape(escape(term)) for term in sorted(terms, key=len, reverse=True))
        html = re.sub(f"({pattern})", r"<mark>\1</mark>", html, flags=re.IGNORECASE)
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_LENGTH < len(text) else ""
    return mark_safe(prefix + html + suffix)  # noqa: S308 - built from escaped text above


@require_GET
def search(request):
    raw_query = request.GET.get("q", "")
    query = " ".join(raw_query.split())[:MAX_QUERY_LENGTH]
    page_type = request.GET.get("typ", "")
    model, _label = SEARCHABLE_TYPES.get(page_type, (Page, None))
    context = {
        "query": query,
        "query_was_shortened": len(" ".join(raw_query.split())) > MAX_QUERY_LENGTH,
        "page_type": page_type if page_type in SEARCHABLE_TYPES else "",
        "types": [(key, label) for key, (_model, label) in SEARCHABLE_TYPES.items()],
        "unknown_type": bool(page_type) and page_type not in SEARCHABLE_TYPES,
        "hits": [],
        "results_page": None,
    }
    # Only words reach the search backend: SQLite's FTS5 and PostgreSQL's tsquery each read
    # quotes, stars and dashes as operators and fail on unbalanced ones.
    words = re.findall(r"\w+", query)
    if words:
        results = model.objects.live().public().search(" ".join(words))
        results_page = Paginator(results, SEARCH_RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        ids = [page.pk for page in results_page.object_list]
        specific = Page.objects.filter(pk__in=ids).specific().defer_streamfields().in_bulk()
        terms = [word.lower() for word in words if len(word) > 1]
        context["hits"] = [
            {
                "page": specific[pk],
                "type_label": specific[pk]._meta.verbose_name,
                "snippet": highlight(snippet_source(specific[pk]), terms),
            }
            for pk in ids
            if pk in specific
        ]
        context["results_page"] = results_page
        params = {"q": query, "typ": context["page_type"]}
        context["querystring"] = urlencode({k: v for k, v in params.items() if v})
    return render(request, "workgroup/search.html", context)


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
