"""Benchmark settings (`make bench`, bench/run.py): production's settings with what production
requires filled in for a run on this machine, and the floor view of bench/urls.py.

bench/run.py sets DATABASE_URL, MEDIA_ROOT and PAGE_CACHE_SECONDS for each run.
"""

import os
from pathlib import Path

_BENCH_DATA = Path(__file__).resolve().parent / "data"

os.environ.setdefault("SECRET_KEY", "bench-only-key-never-used-in-production")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_BENCH_DATA / 'results-10000.sqlite3'}")
os.environ.setdefault("MEDIA_ROOT", str(_BENCH_DATA / "media"))
# Plain HTTP on the loopback interface; TLS is the proxy's job in production.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# One log line per request or page action would be measured along with the page.
os.environ.setdefault("LOG_LEVEL", "WARNING")

from config.settings.production import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"
# The floor view measures the server and the framework alone, so the page cache leaves it out.
PAGE_CACHE_EXCLUDED_PATHS = (*PAGE_CACHE_EXCLUDED_PATHS, "/bench/")  # noqa: F405

if REDIS_URL:  # noqa: F405
    # Each data set keeps its own entries: its pages and Wagtail's site root paths differ.
    _prefix = f"ag-digitalisierung-bench-{Path(str(DATABASES['default']['NAME'])).stem}"  # noqa: F405
    for _alias in ("default", "page_generation"):
        CACHES[_alias]["KEY_PREFIX"] = _prefix  # noqa: F405

# The benchmark and the soak generate their data sets with the demo app's `generate_data`.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
