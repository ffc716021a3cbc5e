"""The half-year report to the Verwaltungsausschuss (founding paper: „zweimal jährlich“)."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from wagtail.test.utils.form_data import nested_form_data, streamfield

from tests.factories import (
    ConsultationFactory,
    MeetingIndexPageFactory,
    MeetingPageFactory,
    ReportIndexPageFactory,
    ReportPageFactory,
    ResultIndexPageFactory,
    ResultPageFactory,
)
from tests.scenarios import aware
from workgroup.models import HalfYear, MeetingPage, ReportDue, ReportPage, ResultPage

pytestmark = pytest.mark.django_db

D = datetime.date
UNIQUE_REPORT = "Für dieses Halbjahr gibt es bereits einen Bericht."
PRESENTED_TOO_EARLY = (
    "Der Bericht kann nicht vor Beginn seines Berichtszeitraums vorgestellt werden."
)


# --- HalfYear -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2024, 1, 1), HalfYear(2024, 1)),
        (D(2024, 6, 30), HalfYear(2024, 1)),
        (D(2024, 7, 1), HalfYear(2024, 2)),
        (D(2024, 12, 31), HalfYear(2024, 2)),
    ],
)
def test_half_year_containing(day, expected):
    assert HalfYear.containing(day) == expected


def test_half_year_bounds():
    assert (HalfYear(2024, 1).start, HalfYear(2024, 1).end) == (D(2024, 1, 1), D(2024, 6, 30))
    assert (HalfYear(2024, 2).start, HalfYear(2024, 2).end) == (D(2024, 7, 1), D(2024, 12, 31))


def test_half_year_previous_crosses_the_year_boundary():
    assert HalfYear(2024, 2).previous == HalfYear(2024, 1)
    assert HalfYear(2024, 1).previous == HalfYear(2023, 2)


def test_half_year_reads_in_german():
    assert str(HalfYear(2022, 2)) == "2. Halbjahr 2022"


# --- ReportPage rules ---------------------------------------------------------------------------


@pytest.fixture
def report_index(site_root):
    return ReportIndexPageFactory(parent=site_root)


def test_one_report_per_half_year_is_a_validation_error(report_index):
    ReportPageFactory(parent=report_index, period_year=2024, period_half=1)

    with pytest.raises(ValidationError) as error:
        ReportPage(title="Doppelt", period_year=2024, period_half=1).validate_constraints()

    assert UNIQUE_REPORT in error.value.messages
    ReportPage(title="Zweites Halbjahr", period_year=2024, period_half=2).validate_constraints()
    ReportPage(title="Nächstes Jahr", period_year=2025, period_half=1).validate_constraints()


def test_one_report_per_half_year_holds_in_the_database(report_index):
    ReportPageFactory(parent=report_index, period_year=2024, period_half=1)
    second = ReportPageFactory(parent=report_index, period_year=2024, period_half=2)

    # Past model validation, e.g. a bulk update: the constraint itself still holds.
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportPage.objects.filter(pk=second.pk).update(period_half=1)


def test_report_cannot_be_presented_before_its_period_starts(report_index):
    report = ReportPageFactory(parent=report_index, period_year=2024, period_half=2)

    report.presented_on = D(2024, 6, 30)
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert error.value.message_dict["presented_on"] == [PRESENTED_TOO_EARLY]

    report.presented_on = D(2024, 7, 1)
    report.full_clean()
    report.presented_on = None
    report.full_clean()


def report_form(title, year, half, presented_on=""):
    return nested_form_data(
        {
            "title": title,
            "slug": slugify(title),
            "period_year": str(year),
            "period_half": str(half),
            "presented_on": presented_on,
            "summary": streamfield([]),
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            "action-publish": "action-publish",
        }
    )


def report_add_url(report_index):
    return reverse("wagtailadmin_pages:add", args=["workgroup", "reportpage", report_index.pk])


def test_admin_creates_a_report(admin_client, report_index):
    response = admin_client.post(
        report_add_url(report_index),
        report_form("Bericht 2/2024", 2024, 2, presented_on="12.02.2025"),
    )

    assert response.status_code == 302
    report = ReportPage.objects.get()
    assert (report.period, report.presented_on, report.live) == (
        HalfYear(2024, 2),
        D(2025, 2, 12),
        True,
    )


def test_admin_rejects_a_second_report_for_the_same_half_year(admin_client, report_index):
    ReportPageFactory(parent=report_index, period_year=2024, period_half=1)

    response = admin_client.post(
        report_add_url(report_index), report_form("Noch ein Bericht 1/2024", 2024, 1)
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert UNIQUE_REPORT in content
    assert 'value="Noch ein Bericht 1/2024"' in content
    assert ReportPage.objects.count() == 1


def test_admin_rejects_a_presentation_before_the_period(admin_client, report_index):
    response = admin_client.post(
        report_add_url(report_index), report_form("Bericht 2/2024", 2024, 2, "30.06.2024")
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert PRESENTED_TOO_EARLY in content
    assert 'value="30.06.2024"' in content
    assert not ReportPage.objects.exists()


# --- ReportDue ----------------------------------------------------------------------------------


def test_report_due_without_any_report(report_index):
    due = ReportDue.on(D(2024, 3, 15))

    assert due.period == HalfYear(2024, 1)
    assert due.due_date == D(2024, 6, 30)
    assert due.draft is None
    assert due.previous_period == HalfYear(2023, 2)
    assert due.previous_published is False


def test_report_due_finds_the_current_draft_and_the_published_previous_report(report_index):
    draft = ReportPageFactory(parent=report_index, period_year=2024, period_half=2, live=False)
    ReportPageFactory(parent=report_index, period_year=2024, period_half=1)
    ReportPageFactory(parent=report_index, period_year=2023, period_half=2, live=False)

    due = ReportDue.on(D(2024, 9, 1))

    assert due.period == HalfYear(2024, 2)
    assert due.draft == draft
    assert due.previous_published is True


def test_report_due_across_the_year_boundary(report_index):
    ReportPageFactory(parent=report_index, period_year=2023, period_half=2)

    due = ReportDue.on(D(2024, 1, 2))

    assert due.period == HalfYear(2024, 1)
    assert due.previous_period == HalfYear(2023, 2)
    assert due.previous_published is True
    assert due.draft is None


def test_report_due_previous_only_as_a_draft_is_not_published(report_index):
    ReportPageFactory(parent=report_index, period_year=2023, period_half=2, live=False)

    assert ReportDue.on(D(2024, 1, 2)).previous_published is False


def test_report_due_ignores_the_same_half_of_another_year(report_index):
    ReportPageFactory(parent=report_index, period_year=2023, period_half=1)

    due = ReportDue.on(D(2024, 3, 1))

    assert due.draft is None
    assert due.previous_published is False


# --- what a report collects ---------------------------------------------------------------------


@pytest.fixture
def meeting_index(site_root):
    return MeetingIndexPageFactory(parent=site_root)


@pytest.fixture
def result_index(site_root):
    return ResultIndexPageFactory(parent=site_root)


def meeting(parent, title, start, status=MeetingPage.Status.HELD, **kwargs):
    return MeetingPageFactory(
        parent=parent,
        title=title,
        start=start,
        end=start + datetime.timedelta(hours=2),
        status=status,
        **kwargs,
    )


def test_meetings_held_are_the_held_meetings_in_the_period(report_index, meeting_index):
    report = ReportPageFactory(parent=report_index, period_year=2024, period_half=1)
    meeting(meeting_index, "Januar", aware(2024, 1, 10, 16, 0))
    meeting(meeting_index, "Nicht öffentlich", aware(2024, 2, 10, 16, 0), is_public=False)
    meeting(meeting_index, "Letzter Abend", aware(2024, 6, 30, 23, 30))
    meeting(meeting_index, "Geplant", aware(2024, 5, 1, 16, 0), status=MeetingPage.Status.PLANNED)
    meeting(
        meeting_index, "Abgesagt", aware(2024, 5, 2, 16, 0), status=MeetingPage.Status.CANCELLED
    )
    meeting(meeting_index, "Entwurf", aware(2024, 5, 3, 16, 0), live=False)
    meeting(meeting_index, "Dezember davor", aware(2023, 12, 31, 23, 30))
    meeting(meeting_index, "Juli danach", aware(2024, 7, 1, 0, 30))

    assert [m.title for m in report.meetings_held()] == [
        "Januar",
        "Nicht öffentlich",
        "Letzter Abend",
    ]


def test_results_in_period_by_date_or_consultation(report_index, result_index):
    report = ReportPageFactory(parent=report_index, period_year=2024, period_half=2)
    dated = ResultPageFactory(parent=result_index, title="Datiert", result_date=D(2024, 7, 1))
    consulted = ResultPageFactory(parent=result_index, title="Beraten", result_date=D(2023, 11, 1))
    ConsultationFactory(result=consulted, date=D(2024, 9, 11))
    ConsultationFactory(result=consulted, date=D(2024, 10, 1))
    outside = ResultPageFactory(parent=result_index, title="Früher", result_date=D(2024, 6, 30))
    ConsultationFactory(result=outside, date=D(2025, 1, 1))
    ResultPageFactory(parent=result_index, title="Entwurf", result_date=D(2024, 8, 1), live=False)
    ResultPageFactory(parent=result_index, title="Silvester", result_date=D(2024, 12, 31))

    results = list(report.results_in_period())

    assert [r.title for r in results] == ["Beraten", "Datiert", "Silvester"]
    assert dated in results and consulted in results and outside not in results


def test_progress_overview_counts_by_status_in_order(report_index, result_index):
    report = ReportPageFactory(parent=report_index, period_year=2024, period_half=1)
    progress = ResultPage.Progress
    for status in (
        progress.IMPLEMENTED,
        progress.DECIDED,
        progress.DECIDED,
        progress.IN_PREPARATION,
    ):
        ResultPageFactory(parent=result_index, result_date=D(2024, 3, 1), progress=status)
    ResultPageFactory(parent=result_index, result_date=D(2023, 3, 1), progress=progress.REJECTED)

    assert report.progress_overview() == [
        ("in Vorbereitung", 1),
        ("beschlossen", 2),
        ("umgesetzt", 1),
    ]


def test_progress_overview_of_an_empty_period(report_index):
    report = ReportPageFactory(parent=report_index, period_year=2030, period_half=1)

    assert report.progress_overview() == []


# --- the dashboard panel ------------------------------------------------------------------------


def report_panel_text(admin_client):
    response = admin_client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    panel = soup.find(id="ag-report-due-content")
    assert panel is not None, "the report panel is missing from the dashboard"
    return " ".join(panel.get_text(" ").split()), panel


@pytest.fixture
def today_period():
    return HalfYear.containing(timezone.localdate())


def test_dashboard_panel_without_any_report(admin_client, report_index, today_period):
    text, _panel = report_panel_text(admin_client)

    assert f"Nächster Bericht: {today_period}, fällig zum {today_period.end:%d.%m.%Y}." in text
    assert "Es gibt noch keinen Entwurf." in text
    assert f"Der Bericht für das {today_period.previous} ist noch nicht veröffentlicht." in text


def test_dashboard_panel_with_a_draft_and_a_published_previous_report(
    admin_client, report_index, today_period
):
    draft = ReportPageFactory(
        parent=report_index,
        period_year=today_period.year,
        period_half=today_period.half,
        live=False,
    )
    ReportPageFactory(
        parent=report_index,
        period_year=today_period.previous.year,
        period_half=today_period.previous.half,
    )

    text, panel = report_panel_text(admin_client)

    assert "Ein Entwurf liegt vor." in text
    assert panel.find("a", href=reverse("wagtailadmin_pages:edit", args=[draft.pk]))
    assert "Es gibt noch keinen Entwurf." not in text
    assert "noch nicht veröffentlicht" not in text


def test_dashboard_panel_with_the_current_report_published(
    admin_client, report_index, today_period
):
    ReportPageFactory(
        parent=report_index, period_year=today_period.year, period_half=today_period.half
    )

    text, _panel = report_panel_text(admin_client)

    assert "Er ist veröffentlicht." in text
    assert "Ein Entwurf liegt vor." not in text
