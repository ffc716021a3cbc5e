"""Bad input never causes a server error: generated query strings against every public list,
the search and every OParl list and object URL.

Requests generated per run: 60 + 60 on the website's lists, 150 + 60 + 60 on the OParl API,
390 in all (see FUZZ_SETTINGS and OPARL_FUZZ_SETTINGS).
"""

import datetime
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oparl.identifiers import BODY_KEY, LIST_PATHS, OBJECT_PATHS
from tests.factories import (
    AgendaItemFactory,
    ConsultationFactory,
    CouncilBodyFactory,
    FactionFactory,
    LocationFactory,
    MeetingIndexPageFactory,
    MeetingPageFactory,
    MemberFactory,
    MembersPageFactory,
    ReportIndexPageFactory,
    ReportPageFactory,
    ResultAttachmentFactory,
    ResultIndexPageFactory,
    ResultPageFactory,
    TopicAreaIndexPageFactory,
    TopicAreaPageFactory,
)

# Text as browsers, scripts and attackers send it: control characters, quotes, SQL and
# full-text operators, very long values, non-Latin scripts.
hostile_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "'",
            '"',
            "*",
            "-",
            "NEAR(",
            "a AND OR NOT",
            "'; DROP TABLE wagtailcore_page; --",
            "%00",
            "\x00",
            "😀" * 50,
            "9" * 40,
            "-1",
            "0",
            "1e309",
            "x" * 5000,
            "2024-13-45",
        ]
    ),
)
params = st.dictionaries(
    st.sampled_from(["q", "typ", "page", "topic", "kind", "progress", "year", "format", "limit"]),
    hostile_text,
    max_size=4,
)

FUZZ_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def public_lists(site_root):
    topics = TopicAreaIndexPageFactory(parent=site_root)
    topic = TopicAreaPageFactory(parent=topics)
    results = ResultIndexPageFactory(parent=site_root)
    for _ in range(3):
        ResultPageFactory(parent=results).topic_areas.add(topic)
    meetings = MeetingIndexPageFactory(parent=site_root)
    meeting = MeetingPageFactory(parent=meetings)
    reports = ReportIndexPageFactory(parent=site_root)
    ReportPageFactory(parent=reports)
    members = MembersPageFactory(parent=site_root)
    urls = [
        results.url,
        results.url + "export/csv/",
        results.url + "export/json/",
        meetings.url,
        meetings.url + "kalender/",
        topic.url,
        "/suche/",
        "/feeds/ergebnisse/",
        "/",
        f"/feeds/ergebnisse/themenfeld/{topic.pk}/",
        meeting.url + "kalender/",
        reports.url,
        members.url,
    ]
    return urls


def _without_nul(data):
    # Django's test client cannot encode NUL in a URL; a real server refuses it before Django.
    return {key: value.replace("\x00", "") for key, value in data.items()}


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(data=params, which=st.integers(min_value=0, max_value=12))
def test_public_lists_never_answer_5xx(client, public_lists, data, which):
    response = client.get(public_lists[which], _without_nul(data))
    assert response.status_code < 500, (public_lists[which], data)


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(raw=st.text(max_size=200))
def test_raw_query_strings_never_answer_5xx(client, public_lists, raw):
    url = f"{public_lists[0]}?{raw.replace(chr(0), '')}"
    response = client.get(url)
    assert response.status_code < 500


@pytest.mark.django_db
def test_unknown_filter_values_get_a_german_message(client, public_lists):
    response = client.get(public_lists[0], {"kind": "gibt-es-nicht", "year": "zwanzig"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Einige Filterwerte sind ungültig" in content
    assert "Bitte eine gültige Auswahl treffen. gibt-es-nicht ist keine gültige Auswahl." in content


# --- The OParl API -----------------------------------------------------------------------------

OPARL = "/oparl/v1/"
OPARL_LISTS = [OPARL + path.format(body=BODY_KEY) for path in LIST_PATHS.values()]
OPARL_FILTERS = ("created_since", "created_until", "modified_since", "modified_until")

OPARL_FUZZ_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Offsets up to ±15:59, what PostgreSQL takes; beyond, up to the ±23:59 that Python parses:
# test_oparl_filter_offsets_beyond_what_postgresql_takes.
offsets = st.integers(min_value=-(16 * 60 - 1), max_value=16 * 60 - 1).map(
    lambda minutes: datetime.timezone(datetime.timedelta(minutes=minutes))
)
aware_datetimes = st.datetimes(timezones=offsets)
filter_values = st.one_of(
    aware_datetimes.map(datetime.datetime.isoformat),
    # The space a raw `+` becomes in a query string.
    aware_datetimes.map(lambda value: value.isoformat().replace("+", " ")),
    # Without an offset, without a time, or no date at all: a 400 with a German message.
    st.datetimes().map(datetime.datetime.isoformat),
    st.dates().map(datetime.date.isoformat),
    hostile_text,
)
numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        ["1", "2", "100", "101", "0", "-1", "1.5", "1e3", "eins", "", " 1", "9" * 5000]
    ),
    hostile_text,
)
oparl_params = st.fixed_dictionaries(
    {},
    optional={
        **dict.fromkeys(OPARL_FILTERS, filter_values),
        "page": numbers,
        "limit": numbers,
        "omit_internal": st.sampled_from(["true", "false", "1", "0", "TRUE", "ja", ""]),
        "body": hostile_text,
    },
)


@pytest.fixture
def oparl_data(site_root):
    """At least one object of every kind the API lists, and one deleted object."""
    cdu = FactionFactory()
    representative = MemberFactory(representative=True, faction=cdu)
    MemberFactory(deputy=True, faction=cdu, principal=representative)
    results = ResultIndexPageFactory(parent=site_root)
    result = ResultPageFactory(parent=results)
    ConsultationFactory(result=result, body=CouncilBodyFactory())
    ResultAttachmentFactory(result=result)
    meetings = MeetingIndexPageFactory(parent=site_root)
    meeting = MeetingPageFactory(parent=meetings, location=LocationFactory())
    AgendaItemFactory(meeting=meeting, result=result)
    ResultPageFactory(parent=results).unpublish()


def assert_oparl_answer(response):
    """Below 500, and in the API's own format: a list page or an Error with a German message."""
    assert response.status_code < 500
    body = json.loads(response.content)
    if response.status_code == 200:
        assert {"data", "pagination", "links"} <= set(body)
    else:
        assert body["type"] == "https://schema.oparl.org/1.1/Error"
        assert body["message"]


@pytest.mark.django_db
@OPARL_FUZZ_SETTINGS
@given(data=oparl_params, which=st.sampled_from(OPARL_LISTS))
def test_oparl_lists_never_answer_5xx(client, oparl_data, data, which):
    response = client.get(which, _without_nul(data))
    assert_oparl_answer(response)


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(raw=st.text(max_size=200), which=st.sampled_from(OPARL_LISTS))
def test_oparl_raw_query_strings_never_answer_5xx(client, oparl_data, raw, which):
    response = client.get(f"{which}?{raw.replace(chr(0), '')}")
    assert_oparl_answer(response)


# Keys the URL patterns accept (digits) and the catch-all takes (anything else).
object_keys = st.one_of(
    st.integers(min_value=0, max_value=2**63 - 1).map(str),
    st.text(alphabet="0123456789abc-_.%", min_size=1, max_size=20),
)


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(kind=st.sampled_from(sorted(OBJECT_PATHS)), key=object_keys)
def test_oparl_object_urls_never_answer_5xx(client, oparl_data, kind, key):
    response = client.get(OPARL + OBJECT_PATHS[kind].format(key=key))
    assert response.status_code < 500


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["abc", "-1", "1.5", "%20", "9" * 30])
@pytest.mark.parametrize("kind", ["meeting", "paper", "person", "file"])
def test_oparl_unknown_object_urls_answer_with_an_oparl_error(client, oparl_data, kind, key):
    response = client.get(OPARL + f"{kind}/{key}")
    assert response.status_code == 404
    assert response.json()["type"] == "https://schema.oparl.org/1.1/Error"


# "." in a route's pattern matches no line break: such an address must still reach the OParl
# catch-all and answer with an OParl Error, not the website's HTML 404 page.
@pytest.mark.django_db
def test_an_oparl_address_with_a_line_break_answers_with_an_oparl_error(client, oparl_data):
    response = client.get(OPARL + "meeting/%0a")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("name", OPARL_FILTERS)
def test_oparl_filter_errors_name_the_filter_in_german(client, oparl_data, name):
    for value in ("gestern", "2024-01-31", "2024-01-31T12:00:00", "2024-02-30T12:00:00+01:00"):
        response = client.get(OPARL + f"body/{BODY_KEY}/paper", {name: value})
        assert response.status_code == 400
        assert f"Ungültiger Wert für {name}" in response.json()["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["0", "-1", "eins", "1.5"])
def test_oparl_invalid_page_numbers_are_a_400_with_a_german_message(client, oparl_data, page):
    response = client.get(OPARL + f"body/{BODY_KEY}/paper", {"page": page})
    assert response.status_code == 400
    assert response.json()["message"] == "Ungültige Seitenzahl."


@pytest.mark.django_db
def test_oparl_a_page_past_the_end_is_a_404_and_an_unusable_limit_is_ignored(client, oparl_data):
    response = client.get(OPARL + f"body/{BODY_KEY}/paper", {"page": "9" * 40})
    assert response.status_code == 404
    assert response.json()["message"] == "Die Liste hat nur 1 Seite(n)."
    for limit in ("0", "-5", "viele", "9" * 40):
        response = client.get(OPARL + f"body/{BODY_KEY}/paper", {"limit": limit})
        assert response.status_code == 200
        assert response.json()["pagination"]["elementsPerPage"] == 100


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value",
    ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59.500000+00:00", "9999-12-31T23:30:00-05:00"],
)
@pytest.mark.parametrize("name", OPARL_FILTERS)
def test_oparl_filter_dates_at_the_ends_of_time(client, oparl_data, name, value):
    """A second later or in Berlin time these leave what a date-time can hold."""
    response = client.get(OPARL + f"body/{BODY_KEY}/paper", {name: value})
    assert response.status_code == 400
    assert f"Ungültiger Wert für {name}" in response.json()["message"]


# PostgreSQL refuses a time zone offset beyond ±15:59 ("time zone displacement out of range");
# the lists convert their bounds to UTC before they query.
@pytest.mark.django_db
@pytest.mark.parametrize("value", ["2024-01-31T12:00:00+23:59", "2024-01-31T12:00:00-16:00"])
def test_oparl_filter_offsets_beyond_what_postgresql_takes(client, oparl_data, value):
    response = client.get(OPARL + f"body/{BODY_KEY}/paper", {"modified_since": value})
    assert response.status_code in (200, 400)


# On SQLite a key beyond 64 bits cannot even be bound as a query parameter: the feed's route
# refuses it (core.url_converters), so that it is a 404 there as on PostgreSQL.
@pytest.mark.django_db
def test_a_topic_feed_id_beyond_64_bits_is_a_404(client, oparl_data):
    assert client.get("/feeds/ergebnisse/themenfeld/" + "9" * 30 + "/").status_code == 404
