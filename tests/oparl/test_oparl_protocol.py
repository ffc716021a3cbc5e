"""The OParl API's protocol: entry point, ids, errors, headers, pagination and its parameters."""

import datetime
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from oparl.identifiers import base_url
from tests import factories
from tests.oparl.oparl_validation import CONTENT_TYPE, Validator, fetch
from workgroup.models import ResultPage

pytestmark = pytest.mark.django_db

API = "/oparl/v1/"
TZ = timezone.get_default_timezone()


@pytest.fixture
def papers(site_root):
    index = factories.ResultIndexPageFactory(parent=site_root)
    body = factories.CouncilBodyFactory(name="Stadtrat")
    pages = []
    for _ in range(5):
        page = factories.ResultPageFactory(parent=index)
        factories.ConsultationFactory(result=page, body=body)
        factories.ResultAttachmentFactory(result=page)
        factories.ResultAttachmentFactory(result=page)
        pages.append(page)
    return pages


def test_system_leads_to_the_body_and_its_lists(client, papers):
    system = fetch(client, API + "system")
    assert system["id"] == "http://testserver/oparl/v1/system"
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
    bodies = fetch(client, system["body"])
    assert bodies["pagination"]["totalElements"] == 1
    body = bodies["data"][0]
    assert body == fetch(client, body["id"])
    assert (body["name"], body["shortName"], body["website"]) == (
        "Stadt Plauen",
        "Plauen",
        "https://www.plauen.de",
    )
    assert [term["name"] for term in body["legislativeTerm"]] == [
        "Wahlperiode 2019–2024",
        "Wahlperiode 2024–2029",
    ]
    assert body["legislativeTerm"][0]["startDate"] == "2019-05-26"
    assert fetch(client, body["paper"])["pagination"]["totalElements"] == 5
    validator = Validator(base_url())
    for obj in (system, body):
        validator.check_object(obj)


def test_ids_and_web_links_are_built_from_the_site_url(client, papers, settings):
    settings.SITE_URL = "https://ratsinfo.example.org"
    paper = fetch(client, API + "body/1/paper")["data"][0]
    assert paper["id"] == f"https://ratsinfo.example.org/oparl/v1/paper/{papers[0].pk}"
    assert paper["web"].startswith("https://ratsinfo.example.org/")
    assert paper["consultation"][0]["paper"] == paper["id"]
    # The request's own host never shows.
    assert "testserver" not in json.dumps(paper)


@pytest.mark.parametrize(
    "path",
    [
        "paper/999999",
        "meeting/999999",
        "organization/faction/999999",
        "membership/workgroup/999999",
        "legislative-term/1990-1994",
        "body/2",
        "body/2/paper",
        "file/999999/download",
        # Beyond what a key column holds.
        "paper/99999999999999999999999",
        "agenda-item/9223372036854775808",
        "file/9223372036854775808/download",
        "meeting/%0a",
        "papers",
        "",
    ],
)
def test_unknown_addresses_answer_404_as_oparl_errors(client, papers, path):
    fetch(client, API + path, status=404)


@pytest.mark.parametrize(
    "value",
    [
        "gestern",
        "2024-01-01",
        "2024-01-01T00:00:00",
        "2024-13-01T00:00:00+01:00",
        "",
        # Valid, but beyond what a date-time can hold once in UTC or a second later.
        "0001-01-01T00:00:00%2B01:00",
        "9999-12-31T23:59:59-05:00",
    ],
)
def test_malformed_filter_dates_answer_400(client, papers, value):
    answer = fetch(client, API + f"body/1/paper?modified_since={value}", status=400)
    assert "modified_since" in answer["message"]


@pytest.mark.parametrize("page", ["zwei", "0", "-1"])
def test_malformed_page_numbers_answer_400(client, papers, page):
    fetch(client, API + f"body/1/paper?page={page}", status=400)


def test_pages_beyond_the_last_answer_404(client, papers):
    fetch(client, API + "body/1/paper?limit=2&page=3")
    fetch(client, API + "body/1/paper?limit=2&page=4", status=404)


def test_the_api_is_read_only(client, papers):
    response = client.post(API + "body/1/paper")
    assert response.status_code == 405
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Access-Control-Allow-Origin"] == "*"
    assert json.loads(response.content)["type"] == "https://schema.oparl.org/1.1/Error"


@pytest.mark.parametrize(
    "offset",
    ["%2B01:00", "+01:00", "%2B01%3A00", "Z", "%2B23:59", "-16:00"],
    ids=["encoded", "raw-plus", "all-encoded", "utc", "beyond-postgresql-east", "-west"],
)
def test_filters_accept_the_offset_however_clients_send_it(client, papers, offset):
    answer = fetch(client, API + f"body/1/paper?created_since=2000-01-01T00:00:00{offset}")
    assert answer["pagination"]["totalElements"] == 5


def test_every_link_keeps_the_filters_limit_and_omit_internal(client, papers):
    query = (
        "created_since=2000-01-01T00:00:00%2B01:00&created_until=2100-01-01T00:00:00%2B01:00"
        "&modified_until=2100-01-01T00:00:00%2B01:00&limit=2&omit_internal=true"
    )
    first = fetch(client, API + f"body/1/paper?{query}")
    middle = fetch(client, first["links"]["next"])
    assert set(middle["links"]) == {"first", "prev", "self", "next", "last"}
    for link in middle["links"].values():
        params = parse_qs(urlsplit(link).query)
        assert params["created_since"] == ["2000-01-01T00:00:00+01:00"]
        assert params["created_until"] == ["2100-01-01T00:00:00+01:00"]
        assert params["modified_until"] == ["2100-01-01T00:00:00+01:00"]
        assert params["limit"] == ["2"] and params["omit_internal"] == ["true"]
    assert middle["pagination"] == {
        "totalElements": 5,
        "elementsPerPage": 2,
        "currentPage": 2,
        "totalPages": 3,
    }
    last = fetch(client, middle["links"]["last"])
    assert "next" not in last["links"] and len(last["data"]) == 1


def test_a_filter_with_a_fraction_of_a_second_is_kept_exactly_in_every_link(client, papers):
    boundary = datetime.datetime(2024, 3, 1, 12, 0, 0, tzinfo=TZ)
    for offset, page in zip([-0.5, 0.0, 0.4, 0.9, 1.0], papers, strict=True):
        ResultPage.objects.filter(pk=page.pk).update(
            first_published_at=boundary + datetime.timedelta(seconds=offset)
        )
    # Shown as 11:59:59, 12:00:00 (three times) and 12:00:01: since 12:00:00.5 finds the last.
    found, url = [], API + "body/1/paper?created_since=2024-03-01T12:00:00.5%2B01:00&limit=1"
    since_first = fetch(client, url)
    assert parse_qs(urlsplit(since_first["links"]["self"]).query)["created_since"] == [
        "2024-03-01T12:00:01+01:00"
    ]
    assert [paper["created"] for paper in since_first["data"]] == ["2024-03-01T12:00:01+01:00"]

    # Until 12:00:00.5 finds all that shows 12:00:00, on every page alike.
    url = API + "body/1/paper?created_until=2024-03-01T12:00:00.5%2B01:00&limit=1"
    while url:
        page = fetch(client, url)
        found += [paper["created"] for paper in page["data"]]
        url = page["links"].get("next")
    assert found == ["2024-03-01T11:59:59+01:00"] + ["2024-03-01T12:00:00+01:00"] * 3


def test_a_failure_answers_as_an_oparl_error_and_is_logged(papers, monkeypatch, caplog):
    def broken(ctx):
        raise RuntimeError("kaputt")

    monkeypatch.setattr("oparl.serializers.system", broken)
    response = Client(raise_request_exception=False).get(API + "system")
    assert response.status_code == 500
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Access-Control-Allow-Origin"] == "*"
    answer = json.loads(response.content)
    assert answer["type"] == "https://schema.oparl.org/1.1/Error"
    assert "kaputt" not in json.dumps(answer)
    assert any(record.exc_info and record.levelname == "ERROR" for record in caplog.records)


@pytest.mark.parametrize(("limit", "per_page"), [("3", 3), ("1000", 100), ("viele", 100)])
def test_limit_is_a_hint_of_at_most_100(client, papers, limit, per_page):
    answer = fetch(client, API + f"body/1/paper?limit={limit}")
    assert answer["pagination"]["elementsPerPage"] == per_page


def test_omit_internal_leaves_the_embedded_lists_out(client, papers):
    full = fetch(client, API + "body/1/paper")["data"][0]
    short = fetch(client, API + "body/1/paper?omit_internal=true")["data"][0]
    assert full["consultation"] and full["auxiliaryFile"]
    assert "consultation" not in short and "auxiliaryFile" not in short
    assert short["mainFile"] == full["mainFile"]
    assert short == {k: v for k, v in full.items() if k not in ("consultation", "auxiliaryFile")}


def test_date_times_are_spelled_as_the_specification_writes_them(client, site_root):
    index = factories.MeetingIndexPageFactory(parent=site_root)
    summer = factories.MeetingPageFactory(
        parent=index, start=datetime.datetime(2024, 7, 3, 17, 0, 0, 123456, tzinfo=TZ)
    )
    winter = factories.MeetingPageFactory(
        parent=index, start=datetime.datetime(2024, 1, 10, 16, 30, tzinfo=datetime.UTC)
    )
    assert fetch(client, API + f"meeting/{summer.pk}")["start"] == "2024-07-03T17:00:00+02:00"
    answer = fetch(client, API + f"meeting/{winter.pk}")
    assert answer["start"] == "2024-01-10T17:30:00+01:00"
    stamp = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
    assert stamp.match(answer["created"]) and stamp.match(answer["modified"])


def test_files_download_as_attachments(client, papers):
    paper = fetch(client, API + f"paper/{papers[0].pk}")
    main_file = paper["mainFile"]
    assert main_file["mimeType"] == "application/pdf"
    assert main_file["accessUrl"].startswith("http://testserver/dokumente/")
    response = client.get(main_file["downloadUrl"])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
