"""External lists: the filters every list accepts, and pages of at most 100 objects.

A list may hold objects of several kinds (organisations come from council bodies and factions)
and, under `modified_since`, the tombstones of deleted objects. Each part is a segment that
counts and slices in the database, so a page loads only its own objects.
"""

import datetime
import math
from dataclasses import dataclass
from functools import cached_property

from django.db.models import CharField, Q, Subquery
from django.db.models.functions import Cast

from oparl import serializers
from oparl.formats import format_datetime, parse_datetime
from oparl.identifiers import list_url
from oparl.kinds import oparl_type
from oparl.models import Tombstone

# The specification recommends at most 100 objects a page; `limit` may ask for fewer.
MAX_PAGE_SIZE = 100

FILTERS = ("created_since", "created_until", "modified_since", "modified_until")

ONE_SECOND = datetime.timedelta(seconds=1)


class BadRequest(Exception):
    pass


class NotFound(Exception):
    pass


@dataclass(frozen=True)
class ListQuery:
    """What a client asked of a list; every link of the list repeats it."""

    filters: dict
    limit: int | None
    omit_internal: bool
    page: int

    @classmethod
    def from_request(cls, request):
        filters = {}
        for name in FILTERS:
            if name in request.GET:
                value = parse_datetime(request.GET[name])
                if value is None:
                    raise BadRequest(
                        f"Ungültiger Wert für {name}: erwartet wird Datum und Uhrzeit mit "
                        "Zeitzone, z. B. 2024-01-31T12:00:00+01:00."
                    )
                filters[name] = _whole_second(value, up=name.endswith("_since"))
        try:
            page = int(request.GET.get("page", "1"))
        except ValueError:
            raise BadRequest("Ungültige Seitenzahl.") from None
        if page < 1:
            raise BadRequest("Ungültige Seitenzahl.")
        return cls(
            filters=filters,
            limit=_limit(request.GET.get("limit")),
            omit_internal=request.GET.get("omit_internal", "").lower() in ("true", "1"),
            page=page,
        )

    @property
    def page_size(self):
        return self.limit or MAX_PAGE_SIZE

    def link(self, list_name, page):
        query = [(name, format_datetime(value)) for name, value in self.filters.items()]
        if self.limit:
            query.append(("limit", self.limit))
        if self.omit_internal:
            query.append(("omit_internal", "true"))
        query.append(("page", page))
        return list_url(list_name, query)

    def bounds(self):
        """The filters as half-open bounds on exact times. Clients see times to the second, so
        an object is "modified until 12:00:00" if it shows `12:00:00`, even when it changed at
        12:00:00.4."""
        lower, upper = {}, {}
        for field in ("created", "modified"):
            if f"{field}_since" in self.filters:
                lower[field] = self.filters[f"{field}_since"]
            if f"{field}_until" in self.filters:
                upper[field] = self.filters[f"{field}_until"] + ONE_SECOND
        return lower, upper

    def filter(self, queryset, created_field, modified_field):
        fields = {"created": created_field, "modified": modified_field}
        lower, upper = self.bounds()
        conditions = {f"{fields[field]}__gte": value for field, value in lower.items()}
        conditions |= {f"{fields[field]}__lt": value for field, value in upper.items()}
        return queryset.filter(**conditions)

    def matches(self, created, modified):
        values = {"created": created, "modified": modified}
        lower, upper = self.bounds()
        return all(values[field] >= value for field, value in lower.items()) and all(
            values[field] < value for field, value in upper.items()
        )

    @property
    def includes_deleted(self):
        # Deleted objects appear only to clients that synchronise.
        return "modified_since" in self.filters


def _whole_second(value, up):
    """A filter value with a fraction of a second, as the whole second that selects the same
    objects as clients read their times: `since` 12:00:00.5 finds nothing shown as 12:00:00,
    `until` 12:00:00.5 finds all of it. The list's links then repeat the filter exactly, in the
    specification's format."""
    whole = value.replace(microsecond=0)
    return whole + ONE_SECOND if up and whole != value else whole


def _limit(text):
    """`limit` is a hint: a value the server cannot follow is ignored."""
    try:
        limit = int(text)
    except (TypeError, ValueError):
        return None
    return min(limit, MAX_PAGE_SIZE) if limit > 0 else None


class KindSegment:
    """The exposed objects of one kind."""

    def __init__(self, ctx, kind, query):
        self.ctx = ctx
        self.kind = kind
        self.queryset = query.filter(kind.queryset(ctx.scope), "oparl_created", "oparl_modified")

    @cached_property
    def count(self):
        return self.queryset.count()

    def serialize(self, start, stop):
        objects = list(self.queryset[start:stop])
        self.kind.prefetch(self.ctx, objects)
        return [self.kind.serialize(self.ctx, obj) for obj in objects]


class TombstoneSegment:
    """Deleted objects of some kinds, unless they have been exposed again since."""

    def __init__(self, ctx, query, exposed_keys):
        """exposed_keys: for each kind, its exposed keys (a queryset of text or a list)."""
        self.ctx = ctx
        deleted = Q(pk__in=[])
        for kind, keys in exposed_keys.items():
            deleted |= Q(kind=kind) & ~Q(key__in=keys)
        self.queryset = query.filter(
            Tombstone.objects.filter(deleted), "created", "deleted_at"
        ).order_by("pk")

    @cached_property
    def count(self):
        return self.queryset.count()

    def serialize(self, start, stop):
        return [
            serializers.tombstone(self.ctx, oparl_type(grave.kind), grave)
            for grave in self.queryset[start:stop]
        ]


class ConfiguredSegment:
    """Objects from settings: few, so filtered here rather than in the database."""

    def __init__(self, ctx, query, objects, times, serialize):
        """objects: (key, object) pairs; times: their created and modified by key."""
        self.ctx = ctx
        self.serialize_one = serialize
        self.objects = [
            obj for key, obj in objects if query.matches(times[key].created, times[key].modified)
        ]

    @property
    def count(self):
        return len(self.objects)

    def serialize(self, start, stop):
        return [self.serialize_one(self.ctx, obj) for obj in self.objects[start:stop]]


def exposed_keys(queryset):
    return Subquery(queryset.annotate(key_text=Cast("pk", CharField())).values("key_text"))


def paginate(list_name, query, segments):
    total = sum(segment.count for segment in segments)
    size = query.page_size
    pages = max(1, math.ceil(total / size))
    if query.page > pages:
        raise NotFound(f"Die Liste hat nur {pages} Seite(n).")

    data = []
    start = (query.page - 1) * size
    stop = start + size
    for segment in segments:
        if start < segment.count and stop > 0:
            data += segment.serialize(max(start, 0), min(stop, segment.count))
        start -= segment.count
        stop -= segment.count

    links = {"first": query.link(list_name, 1)}
    if query.page > 1:
        links["prev"] = query.link(list_name, query.page - 1)
    links["self"] = query.link(list_name, query.page)
    if query.page < pages:
        links["next"] = query.link(list_name, query.page + 1)
    links["last"] = query.link(list_name, pages)
    return {
        "data": data,
        "pagination": {
            "totalElements": total,
            "elementsPerPage": size,
            "currentPage": query.page,
            "totalPages": pages,
        },
        "links": links,
    }
