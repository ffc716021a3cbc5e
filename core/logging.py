import json
import logging
from datetime import UTC, datetime


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per line on stdout, as log collectors (journald, Loki, ELK) read it.

    Small enough that a dependency for it would not pay its way.
    """

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
