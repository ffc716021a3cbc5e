"""Checks OParl 1.1 answers against the specification: the vendored schema files
(oparl/schema/) through JSON Schema, and the rules of the specification's text that the schema
files cannot express (see oparl/schema/README.md). `Crawler` walks the whole API from the System
object through every list, every page and every id.
"""

import datetime
import json
import re
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft7Validator, FormatChecker

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "oparl" / "schema"
TYPE_PREFIX = "https://schema.oparl.org/1.1/"
CONTENT_TYPE = "application/json; charset=utf-8"

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")

# The Body's external lists and the type of their objects.
BODY_LISTS = {
    "organization": "Organization",
    "person": "Person",
    "meeting": "Meeting",
    "paper": "Paper",
    "agendaItem": "AgendaItem",
    "consultation": "Consultation",
    "file": "File",
    "locationList": "Location",
    "legislativeTermList": "LegislativeTerm",
    "membership": "Membership",
}

# The schema files' `format: url` and their dates are checked as the specification's text says:
# jsonschema's own date-time check would accept `Z` and fractions of a second.
format_checker = FormatChecker(formats=())


@format_checker.checks("url")
def is_url(value):
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


@format_checker.checks("date")
def is_date(value):
    if not DATE.match(value):
        return False
    datetime.date.fromisoformat(value)
    return True


@format_checker.checks("date-time", raises=ValueError)
def is_date_time(value):
    if not DATE_TIME.match(value):
        return False
    datetime.datetime.fromisoformat(value)
    return True


@cache
def schema(type_name):
    return json.loads((SCHEMA_DIR / f"{type_name}.json").read_text(encoding="utf-8"))


@cache
def validator(type_name):
    return Draft7Validator(schema(type_name), format_checker=format_checker)


def type_name(obj):
    oparl_type = obj.get("type", "")
    assert oparl_type.startswith(TYPE_PREFIX), f"type {oparl_type!r} is no OParl 1.1 type"
    return oparl_type.removeprefix(TYPE_PREFIX)


def embedded_type(property_schema):
    """The type of the objects a property embeds, from the schema files' `schema` key."""
    target = property_schema.get("schema") or property_schema.get("items", {}).get("schema")
    if target and target.endswith(".json") and "references" not in property_schema:
        return target.removesuffix(".json")
    return None


class Validator:
    """Validates objects, embedded ones included, and counts them by type."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.counts = Counter()
        # Every spelling of every object by id, to check that they all agree.
        self.spellings = defaultdict(list)

    def check_object(self, obj, expected_type=None, where="", embedded=False):
        assert isinstance(obj, dict), f"{where}: not an object"
        name = type_name(obj)
        if expected_type:
            assert name == expected_type, f"{where}: {name} where {expected_type} belongs"
        assert obj.get("id", "").startswith(self.base_url), f"{where}: id {obj.get('id')!r}"
        where = f"{where} {obj['id']}".strip()
        self._check_no_nulls(obj, where)
        if obj.get("deleted"):
            assert not embedded, f"{where}: a deleted object is never embedded"
            assert set(obj) == {"id", "type", "created", "modified", "deleted"}, (
                f"{where}: a deleted object has only id, type, created, modified, deleted"
            )
            for key in ("created", "modified"):
                assert is_date_time(obj[key]), f"{where}: {key} {obj[key]!r}"
            self.counts[f"{name} (gelöscht)"] += 1
            self.spellings[obj["id"]].append(obj)
            return

        errors = sorted(validator(name).iter_errors(obj), key=lambda error: list(error.path))
        assert not errors, f"{where}: " + "; ".join(
            f"{'/'.join(map(str, error.path))}: {error.message}" for error in errors
        )
        definition = schema(name)
        unknown = set(obj) - set(definition["properties"])
        assert not unknown, f"{where}: properties the specification does not know: {unknown}"
        assert "created" in obj and "modified" in obj, f"{where}: created/modified missing"
        assert _parse(obj["created"]) <= _parse(obj["modified"]), f"{where}: modified < created"
        for key, value in obj.items():
            if value == [] and key not in definition["required"]:
                raise AssertionError(f"{where}: empty optional list {key} must be left out")
        if name == "System":
            assert obj["oparlVersion"] == TYPE_PREFIX
        self.counts[name] += 1
        self.spellings[obj["id"]].append(obj)

        for key, value in obj.items():
            target = embedded_type(definition["properties"][key])
            if target is None:
                continue
            for item in value if isinstance(value, list) else [value]:
                self.check_object(item, target, f"{where} {key}", embedded=True)

    def unique_counts(self):
        """Distinct objects by type, deleted ones apart."""
        counts = Counter()
        for spellings in self.spellings.values():
            obj = spellings[0]
            counts[type_name(obj) + (" (gelöscht)" if obj.get("deleted") else "")] += 1
        return counts

    def _check_no_nulls(self, value, where):
        if isinstance(value, dict):
            for key, item in value.items():
                assert item is not None, f"{where}: {key} is null"
                self._check_no_nulls(item, where)
        elif isinstance(value, list):
            for item in value:
                assert item is not None, f"{where}: null in a list"
                self._check_no_nulls(item, where)

    def check_list(self, page, url):
        assert set(page) == {"data", "pagination", "links"}, f"{url}: {sorted(page)}"
        pagination, links = page["pagination"], page["links"]
        for key in ("totalElements", "elementsPerPage", "currentPage", "totalPages"):
            assert isinstance(pagination[key], int), f"{url}: pagination {key}"
        assert 0 < pagination["elementsPerPage"] <= 100
        assert len(page["data"]) <= pagination["elementsPerPage"]
        assert {"first", "self", "last"} <= set(links), f"{url}: links {sorted(links)}"
        last_page = pagination["currentPage"] == pagination["totalPages"]
        assert ("next" in links) != last_page, f"{url}: next on every page but the last"
        assert ("prev" in links) == (pagination["currentPage"] > 1), f"{url}: prev"
        for link in links.values():
            assert is_url(link) and link.startswith(self.base_url), f"{url}: link {link}"


def fetch(client, url, status=200):
    """An API answer as JSON, after checking what every answer must carry."""
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code} {response.content}"
    assert response["Content-Type"] == CONTENT_TYPE, url
    assert response["Access-Control-Allow-Origin"] == "*", url
    answer = json.loads(response.content)
    if status >= 400:
        assert answer["type"] == TYPE_PREFIX + "Error" and answer["message"], url
    return answer


def _parse(text):
    return datetime.datetime.fromisoformat(text)


class Crawler:
    """Walks the API as a client would: from the System object through the Body's lists,
    following `next`, then fetches every id and every reference it saw."""

    def __init__(self, client, base_url):
        self.client = client
        self.base_url = base_url
        self.validator = Validator(base_url)
        self.list_urls = set()
        # Every answer, for tests that search them all.
        self.answers = []

    def get(self, url):
        assert url.startswith(self.base_url), url
        answer = fetch(self.client, url)
        self.answers.append(answer)
        return answer

    def walk_list(self, url, expected_type):
        """Every object of the list, each exactly once, in as many pages as it has."""
        seen, objects = set(), []
        first = self.get(url)
        total = first["pagination"]["totalElements"]
        page, page_url = first, url
        while True:
            self.list_urls.add(page_url)
            self.validator.check_list(page, page_url)
            assert page["pagination"]["totalElements"] == total, f"{page_url}: total changed"
            for obj in page["data"]:
                self.validator.check_object(obj, expected_type, page_url)
                assert obj["id"] not in seen, f"{page_url}: {obj['id']} listed twice"
                seen.add(obj["id"])
                objects.append(obj)
            if "next" not in page["links"]:
                break
            page_url = page["links"]["next"]
            page = self.get(page_url)
        assert len(objects) == total, f"{url}: {len(objects)} objects, totalElements {total}"
        return objects

    def crawl(self, query=""):
        """The whole API; `query` (e.g. "?limit=7") goes on each list's first URL."""
        system = self.get(self.base_url + "system")
        self.validator.check_object(system, "System")
        lists = {}
        for body in self.walk_list(system["body"] + query, "Body"):
            for prop, expected_type in BODY_LISTS.items():
                lists[prop] = self.walk_list(body[prop] + query, expected_type)
        self.check_ids_and_references()
        return lists

    def check_ids_and_references(self):
        """Every id answers the same object as every place that spelled it; every URL an object
        refers to answers an object that exists."""
        fetched = set()
        for object_id, spellings in list(self.validator.spellings.items()):
            answer = self.get(object_id)
            fetched.add(object_id)
            for spelling in spellings:
                assert spelling == answer, f"{object_id}: differs from its own id's answer"
        for reference in self._references() - fetched - self.list_urls:
            answer = self.get(reference)
            self.validator.check_object(answer, where=f"reference {reference}")
            assert not answer.get("deleted"), f"reference to the deleted {reference}"

    def _references(self):
        found = set()

        def collect(value):
            if isinstance(value, dict):
                for item in value.values():
                    collect(item)
            elif isinstance(value, list):
                for item in value:
                    collect(item)
            elif (
                isinstance(value, str)
                and value.startswith(self.base_url)
                and not value.endswith("/download")
                and "?" not in value
            ):
                found.add(value)

        for spellings in self.validator.spellings.values():
            collect(spellings[0])
        # Links to lists are walked, not fetched as objects.
        return {url for url in found if not _is_list_url(url, self.base_url)}


def _is_list_url(url, base_url):
    rest = url.removeprefix(base_url)
    return rest == "bodies" or (rest.startswith("body/") and rest.count("/") == 2)
