"""The results register's exports (CSV for spreadsheets, JSON for re-use), each with the
register's filters and the visibility policy's topic areas."""

import csv

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _

from core import page_outputs
from core.site_url import absolute_url
from workgroup import visibility
from workgroup.models import register

EXPORT_COLUMNS = [
    ("reference", _("Nummer")),
    ("title", _("Titel")),
    ("kind", _("Art")),
    ("progress", _("Bearbeitungsstand")),
    ("date", _("Datum")),
    ("topic_areas", _("Themenfelder")),
    ("url", _("Adresse")),
]


def export_rows(results, request):
    for result in results:
        yield {
            "reference": result.reference,
            "title": result.title,
            "kind": result.get_kind_display(),
            "progress": result.get_progress_display(),
            "date": result.result_date.isoformat(),
            "topic_areas": [
                topic.title for topic in visibility.only_visible(result.topic_areas.all(), request)
            ],
            "url": absolute_url(result.get_url(request)),
        }


@page_outputs.renders("register-csv")
def csv_response(register_page, request):
    _form, results = register.filtered_results(register_page, request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ergebnisse.csv"'
    # The byte order mark makes spreadsheet programs read the file as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([str(label) for _key, label in EXPORT_COLUMNS])
    for row in export_rows(results, request):
        row["topic_areas"] = ", ".join(row["topic_areas"])
        writer.writerow([row[key] for key, _label in EXPORT_COLUMNS])
    return response


@page_outputs.renders("register-json")
def json_response(register_page, request):
    _form, results = register.filtered_results(register_page, request)
    response = JsonResponse(
        {"results": list(export_rows(results, request))}, json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Disposition"] = 'inline; filename="ergebnisse.json"'
    return response
