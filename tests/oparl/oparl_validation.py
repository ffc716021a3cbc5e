"""Checks OParl 1.1 answers against the specification: the vendored schema files
(oparl/schema/) through JSON Schema, and the rules of the specification's text that the schema
files cannot express (see oparl/schema/README.md). `Crawler` walks the whole API from the System
object through every list, every page and every id.
"""

import datetime
import hashlib
import json
import re
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path
from urllib.parse import quote, urlsplit

from jsonschema import Draft7Validator, FormatChecker

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "oparl" / "schema"
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


def referenced_type(property_schema):
    """The type of the object a property names by its URL, from the `references` key; external
    lists are walked, not fetched."""
    target = property_schema.get("references") or property_schema.get("items", {}).get("references")
    return None if target in (None, "externalList") else target


class Validator:
    """Validates objects, embedded ones included, and counts them by type."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.counts = Counter()
        # Every spelling of every object by id, to check that they all agree.
        self.spellings = defaultdict(list)
        # The URLs objects name, with the types the schema says they name.
        self.references = defaultdict(set)

    def check_object(self, obj, expected_type=None, where="", embedded=False, parent=None):
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
        if parent is not None:
            # A change to an embedded object is a change to the object embedding it.
            assert _parse(obj["modified"]) <= _parse(parent["modified"]), (
                f"{where}: modified after the modified of {parent['id']}"
            )
        for key, value in obj.items():
            if value == [] and key not in definition["required"]:
                raise AssertionError(f"{where}: empty optional list {key} must be left out")
        if name == "System":
            assert obj["oparlVersion"] == TYPE_PREFIX
        self.counts[name] += 1
        self.spellings[obj["id"]].append(obj)

        for key, value in obj.items():
            values = value if isinstance(value, list) else [value]
            named = referenced_type(definition["properties"][key])
            if named is not None:
                for url in values:
                    self.references[url].add(named)
            target = embedded_type(definition["properties"][key])
            if target is None:
                continue
            for item in values:
                self.check_object(item, target, f"{where} {key}", embedded=True, parent=obj)

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
    following `next`, then fetches every id and every reference it saw, and opens every `web`
    page; `check_files` follows the files' links."""

    def __init__(self, client, base_url):
        self.client = client
        self.base_url = base_url
        self.validator = Validator(base_url)
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
        self.check_web_pages()
        return lists

    def check_ids_and_references(self):
        """Every id answers the same object as every place that spelled it; every URL an object
        names answers an object of the type the schema names, and not a deleted one."""
        fetched = {}
        for object_id, spellings in list(self.validator.spellings.items()):
            answer = self.get(object_id)
            fetched[object_id] = answer
            for spelling in spellings:
                assert spelling == answer, f"{object_id}: differs from its own id's answer"
        for reference, types in self.validator.references.items():
            assert reference.startswith(self.base_url), f"reference {reference} elsewhere"
            answer = fetched.get(reference)
            if answer is None:
                answer = fetched[reference] = self.get(reference)
                self.validator.check_object(answer, where=f"reference {reference}")
            assert not answer.get("deleted"), f"reference to the deleted {reference}"
            assert {type_name(answer)} == types, f"{reference} is no {types}"

    def check_files(self):
        """Every File's downloadUrl delivers the file the File describes, and its accessUrl
        delivers the same file to anonymous visitors of the website (which needs a storage
        that the website's document view can serve from)."""
        for object_id, spellings in self.validator.spellings.items():
            obj = spellings[0]
            if type_name(obj) != "File" or obj.get("deleted"):
                continue
            download = self.client.get(obj["downloadUrl"])
            assert download.status_code == 200, f"{object_id}: download {download.status_code}"
            content = b"".join(download.streaming_content)
            assert download["Content-Type"] == obj["mimeType"], object_id
            if "size" in obj:
                assert len(content) == obj["size"], f"{object_id}: size"
            if "sha1Checksum" in obj:
                assert hashlib.sha1(content).hexdigest() == obj["sha1Checksum"], object_id
            access = self.client.get(urlsplit(obj["accessUrl"]).path)
            assert access.status_code == 200, f"{object_id}: accessUrl {access.status_code}"
            # A restricted document would answer with a password form instead.
            assert b"".join(access.streaming_content) == content, f"{object_id}: accessUrl"

    def check_web_pages(self):
        """Every Meeting's and Paper's `web` page is open to anonymous visitors: the API shows
        nothing the website keeps back."""
        for object_id, spellings in self.validator.spellings.items():
            obj = spellings[0]
            if type_name(obj) not in ("Meeting", "Paper") or obj.get("deleted"):
                continue
            web = urlsplit(obj["web"])
            response = self.client.get(web.path, HTTP_HOST=web.netloc)
            assert response.status_code == 200, f"{object_id}: web {response.status_code}"

    def report(self, title, directory):
        """Objects validated by type, as distinct objects / validations with the embedded ones,
        printed and written to `directory`/<title>.txt for the record."""
        validations = self.validator.counts
        distinct = self.validator.unique_counts()
        line = ", ".join(
            f"{name} {distinct[name]}/{validations[name]}" for name in sorted(distinct)
        )
        total = f"{sum(distinct.values())} Objekte, {sum(validations.values())} Prüfungen"
        text = f"{title}: {line} ({total})"
        print(f"\n{text}")
        directory.mkdir(parents=True, exist_ok=True)
        file_name = re.sub(r"[^\w-]+", "-", title) + ".txt"
        (directory / file_name).write_text(text + "\n", encoding="utf-8")
        return distinct


SYNCHRONISING = "modified_since=2000-01-01T00:00:00%2B01:00"


def collect(client, list_name, query):
    """{id: object} of a Body's list with the query, across all its pages."""
    url = f"/oparl/v1/body/1/{list_name}?{query}"
    found = {}
    while url:
        page = fetch(client, url)
        found.update({obj["id"]: obj for obj in page["data"]})
        url = page["links"].get("next")
    return found


def check_filters(client, list_name, field, moment, limit=3):
    """Every filter of `field` ("created" or "modified") at boundaries around `moment` (one with
    a fraction of a second, as clients may send) returns exactly what a client reading the
    objects' times demands, deleted objects included."""
    everything = collect(client, list_name, SYNCHRONISING)
    for boundary in [moment + datetime.timedelta(seconds=s) for s in (-1, 0, 0.5, 1)]:
        text = quote(boundary.isoformat(), safe="")
        for suffix, keep in (
            ("since", lambda value, b=boundary: value >= b),
            ("until", lambda value, b=boundary: value <= b),
        ):
            query = f"{field}_{suffix}={text}"
            if field == "created" or suffix == "until":
                # Deleted objects show only under modified_since; include them to check them.
                query += f"&{SYNCHRONISING}"
            expected = {
                object_id for object_id, obj in everything.items() if keep(_parse(obj[field]))
            }
            found = set(collect(client, list_name, f"{query}&limit={limit}"))
            assert found == expected, f"{list_name}?{query}"
