"""What the results register lists: filters kept in the URL, and pagination. Its exports are
the website's (website/exports.py)."""

from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.db.models import CharField
from django.db.models.functions import Cast, Substr
from django.utils.translation import gettext_lazy as _

from core.listing import KeysFirst
from core.page_visibility import public_pages
from workgroup.models.topics import TopicAreaPage, in_area_or_below

RESULTS_PER_PAGE = 25


class ResultFilterForm(forms.Form):
    """Every filter optional; an unknown value is a form error shown in German, never a 500."""

    topic = forms.TypedChoiceField(
        label=_("Themenfeld"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(label=_("Art"), required=False)
    progress = forms.ChoiceField(label=_("Bearbeitungsstand"), required=False)
    year = forms.TypedChoiceField(label=_("Jahr"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, results, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("alle"))]
        topics = public_pages(TopicAreaPage.objects.live()).order_by("path")
        topics = list(topics.only("pk", "title", "depth", "path"))
        self.topic_paths = {topic.pk: topic.path for topic in topics}
        top_depth = min((topic.depth for topic in topics), default=0)
        # Indented by depth, so that the list shows which areas a choice includes.
        self.fields["topic"].choices = everything + [
            (topic.pk, "\u2003" * (topic.depth - top_depth) + topic.title) for topic in topics
        ]
        self.fields["kind"].choices = everything + list(results.model.Kind.choices)
        self.fields["progress"].choices = everything + list(results.model.Progress.choices)
        # The year as text from the date's ISO form: SQLite extracts date parts with a Python
        # function per row, three times slower over 10,000 results than this plain substring.
        years = sorted(
            {
                int(year)
                for year in results.order_by()
                .annotate(year=Substr(Cast("result_date", CharField()), 1, 4))
                .values_list("year", flat=True)
                .distinct()
            },
            reverse=True,
        )
        self.fields["year"].choices = everything + [(y, str(y)) for y in years]

    def valid_filters(self):
        """The filters that validated; an invalid one is dropped, the others still apply,
        as the notice on the page says."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {key: value for key, value in self.cleaned_data.items() if value}

    def filter(self, results):
        data = self.valid_filters()
        if data.get("topic"):
            results = in_area_or_below(results, self.topic_paths[data["topic"]])
        if data.get("kind"):
            results = results.filter(kind=data["kind"])
        if data.get("progress"):
            results = results.filter(progress=data["progress"])
        if data.get("year"):
            results = results.filter(result_date__year=data["year"])
        return results

    def querystring(self):
        """The applied filters as a query string, for pagination and export links."""
        data = self.valid_filters()
        return urlencode([(name, data[name]) for name in self.fields if name in data])


def filtered_results(index_page, request):
    results = index_page.results()
    form = ResultFilterForm(request.GET or None, results=results)
    return form, form.filter(results)


def paginate(results, request):
    return Paginator(KeysFirst(results), RESULTS_PER_PAGE).get_page(request.GET.get("page"))
