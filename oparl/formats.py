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
    return value if value.tzinfo is not None else None


def truncate_to_second(value):
    return value.replace(microsecond=0)
