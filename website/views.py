"""Public views that are not pages: site search and robots.txt."""

import re
from html import unescape
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from wagtail.blocks import StreamValue
from wagtail.models import Page
from wagtail.rich_text import RichText

from core.site_url import absolute_url
from home.models import StandardPage
from workgroup import visibility
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


# Endings a crude stemmer takes off, longest first; what is left must keep four letters.
GERMAN_ENDINGS = ("ern", "en", "er", "es", "e", "n", "s")


def mark_stem(word):
    """The word without a German inflection ending, for marking: PostgreSQL's German stemmer
    lets „Sitzungen“ find „Sitzung“, and the snippet should then mark „Sitzung“ too."""
    word = word.lower()
    for ending in GERMAN_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def plain_text(value):
    """The readable text of a text field or a StreamField body, without markup."""
    if isinstance(value, str):
        return " ".join(value.split())
    if not isinstance(value, StreamValue):
        return ""
    texts = []
    for block in value:
        if isinstance(block.value, RichText):
            texts.append(unescape(strip_tags(block.value.source)))
        elif block.block_type in ("heading", "quote"):
            texts.append(block.value.get("text", ""))
    return " ".join(" ".join(texts).split())


def snippet_source(page, terms=(), request=None):
    """The public text a hit is summarised from: the first field that holds a search term,
    else the first that holds any text; never a non-public field."""
    fields = ["summary", "intro", "search_description"]
    if not isinstance(page, MeetingPage) or visibility.meeting_details_visible(page, request):
        # A closed meeting's further information is for AG members only.
        fields.insert(2, "body")
    texts = [text for text in (plain_text(getattr(page, f, "")) for f in fields) if text]
    for text in texts:
        if any(term in text.lower() for term in terms):
            return text
    return texts[0] if texts else ""


def mark_terms(text, terms):
    """The text with every search term marked, each to the end of the word it starts, so that
    a stem marks the whole inflected word. Text and marks are escaped piece by piece, so that
    a term never matches inside an HTML entity."""
    parts = []
    last = 0
    if terms:
        pattern = re.compile(
            "|".join(re.escape(term) + r"\w*" for term in sorted(terms, key=len, reverse=True)),
            re.IGNORECASE,
        )
        for match in pattern.finditer(text):
            parts.append(escape(text[last : match.start()]))
            parts.append(format_html("<mark>{}</mark>", match.group()))
            last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped


def highlight(text, terms):
    """Wagtail's database backend has no highlighter, so cut a window of whole words around
    the first match and mark every term in it."""
    lowered = text.lower()
    positions = [lowered.find(term) for term in terms if term and term in lowered]
    start = max(min(positions) - SNIPPET_LENGTH // 3, 0) if positions else 0
    end = start + SNIPPET_LENGTH
    # Whole words at both ends: „… ei zugänglich“ reads as a typo.
    if start:
        space = text.find(" ", start, min(positions))
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + mark_terms(text[start:end], terms) + suffix)  # noqa: S308


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
        results = visibility.searchable_pages(model.objects.all(), request).search(" ".join(words))
        results_page = Paginator(results, SEARCH_RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        ids = [page.pk for page in results_page.object_list]
        # Not deferring StreamFields: snippets may come from a body.
        specific = Page.objects.filter(pk__in=ids).specific().in_bulk()
        terms = [mark_stem(word) for word in words if len(word) > 1]
        context["hits"] = [
            {
                "page": specific[pk],
                "type_label": specific[pk]._meta.verbose_name,
                "title": mark_terms(specific[pk].title, terms),
                "snippet": highlight(snippet_source(specific[pk], terms, request), terms),
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
        # Every query makes another page of hits; search engines should index the pages the
        # sitemap names, not the site search's answers.
        "Disallow: /suche/",
        f"Sitemap: {absolute_url('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
