"""Bad input never causes a server error: generated query strings against every public list."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import (
    MeetingIndexPageFactory,
    MeetingPageFactory,
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
    MeetingPageFactory(parent=meetings)
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
    ]
    return urls


def _without_nul(data):
    # Django's test client cannot encode NUL in a URL; a real server refuses it before Django.
    return {key: value.replace("\x00", "") for key, value in data.items()}


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(data=params, which=st.integers(min_value=0, max_value=8))
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
