"""Dates and times exactly as the OParl specification writes them."""

import datetime

from django.utils import timezone


def format_datetime(value):
    """`yyyy-mm-ddThh:mm:ss+hh:mm` in the site's time zone (Europe/Berlin): the specification
    allows neither fractions of a second nor `Z`."""
    local = timezone.localtime(value, timezone.get_default_timezone())
    return local.replace(microsecond=0).isoformat()


def format_date(value):
    return value.isoformat()


# Filter values must stay representable when shifted by a second or into another time zone.
EARLIEST = datetime.datetime(1, 1, 2, tzinfo=datetime.UTC)
LATEST = datetime.datetime(9999, 12, 30, tzinfo=datetime.UTC)


def parse_datetime(text):
    """A full date-time with offset as a client sends it in a filter, or None.

    A raw `+` in a query string arrives as a space; real clients send it both ways.
    """
    text = text.strip().replace(" ", "+")
    if "T" not in text:
        return None
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is None or not EARLIEST <= value <= LATEST:
        return None
    # Python reads offsets up to ±23:59, PostgreSQL takes them up to ±15:59 only.
    return value.astimezone(datetime.UTC)
