"""The objects that come from settings rather than from the database: the System, the one Body
(the city) and the council's legislative terms."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.migrations.recorder import MigrationRecorder

from oparl.identifiers import BODY_KEY
from oparl.models import Observation

CONFIGURED_KINDS = ("system", "body", "legislative-term")
SYSTEM_KEY = ""


@dataclass(frozen=True)
class LegislativeTerm:
    key: str
    name: str
    start_date: datetime.date | None
    end_date: datetime.date | None


def body_settings():
    return settings.OPARL_BODY


def legislative_terms():
    return [
        LegislativeTerm(
            key=term["key"],
            name=term["name"],
            start_date=_date(term.get("start_date")),
            end_date=_date(term.get("end_date")),
        )
        for term in settings.OPARL_LEGISLATIVE_TERMS
    ]


def configured_keys():
    return [
        ("system", SYSTEM_KEY),
        ("body", BODY_KEY),
        *(("legislative-term", term.key) for term in legislative_terms()),
    ]


def _date(text):
    return datetime.date.fromisoformat(text) if text else None


@dataclass(frozen=True)
class Times:
    created: datetime.datetime
    modified: datetime.datetime


def load_times():
    """When each configured object was first recorded and last changed (see
    oparl.signals.record_configuration); objects not yet recorded count from the installation
    of the OParl app."""
    recorded = {
        (observation.kind, observation.key): Times(observation.first_seen, observation.last_changed)
        for observation in Observation.objects.filter(kind__in=CONFIGURED_KINDS)
    }
    if all(key in recorded for key in configured_keys()):
        return recorded
    installed = (
        MigrationRecorder.Migration.objects.filter(app="oparl")
        .order_by("applied")
        .values_list("applied", flat=True)
        .first()
    )
    fallback = Times(installed, installed)
    return {key: recorded.get(key, fallback) for key in configured_keys()}
