"""`make soak`: gunicorn on PostgreSQL under a bounded load, with one database restart.

Proves that requests fail only while PostgreSQL is down, that every request before and after
succeeds without restarting gunicorn, and that nothing written before the restart is lost.
Only loopback is ever a target. Run as `python -m operations.soak`; prints its figures and
exits non-zero when a promise is broken.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
# An error may surface a moment after PostgreSQL is back, while a worker's dead connection is
# replaced; anything later than this counts as a failure.
RECOVERY_GRACE_SECONDS = 3.0


def run(*args, env, check=True):
    return subprocess.run(args, cwd=ROOT, env=env, check=check, capture_output=True, text=True)


def prepare_database(database_url, env, results, meetings):
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    run(PYTHON, "manage.py", "migrate", "--noinput", env=env)
    with psycopg.connect(database_url) as connection:
        pages = connection.execute("SELECT count(*) FROM workgroup_resultpage").fetchone()[0]
    if pages == 0:
        print(f"Erzeuge Datensatz: {results} Ergebnisse, {meetings} Sitzungen …", flush=True)
        run(
            PYTHON,
            "manage.py",
            "generate_data",
            "--results",
            str(results),
            "--meetings",
            str(meetings),
            # The generator is the demo app's, which production's settings leave out; the
            # benchmark's settings add it, with the files where production looks for them.
            env={
                **env,
                "DJANGO_SETTINGS_MODULE": "bench.settings",
                "MEDIA_ROOT": env.get("MEDIA_ROOT", str(ROOT / "media")),
            },
        )
    run(PYTHON, "manage.py", "collectstatic", "--noinput", "-v0", env=env)


def public_urls(database_url):
    """A spread of public pages, read from the data rather than guessed."""
    with psycopg.connect(database_url) as connection:
        paths = [
            row[0]
            for row in connection.execute(
                """
                SELECT p.url_path FROM wagtailcore_page p
                JOIN django_content_type ct ON ct.id = p.content_type_id
                WHERE p.live AND p.depth > 2 AND ct.model IN
                  ('resultindexpage', 'meetingindexpage', 'memberspage', 'resultpage',
                   'meetingpage', 'topicareapage')
                ORDER BY p.id LIMIT 40
                """
            )
        ]
    site_root = min(paths, key=len).split("/")[1]
    # Slugs may hold umlauts; on the wire a path is ASCII.
    urls = ["/"] + [quote(path.removeprefix(f"/{site_root}")) for path in paths]
    return urls + ["/suche/?q=Digitalisierung", "/feeds/ergebnisse/"]


class Load:
    def __init__(self, base, urls, clients, seconds):
        self.base, self.urls, self.clients, self.seconds = base, urls, clients, seconds
        self.samples = []  # (start time, duration, ok)
        self.lock = threading.Lock()

    def client(self, index, stop_at):
        position = index
        while time.monotonic() < stop_at:
            if position % 10 == 0:
                # An address no cache holds: the database answers these throughout, the
                # restart included, where cached pages alone would hide an outage.
                url = f"{self.base}/?stichprobe={index}-{position}"
            else:
                url = self.base + self.urls[position % len(self.urls)]
            position += 1
            started = time.monotonic()
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    response.read()
                    ok = response.status == 200
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                ok = False
            except Exception as error:  # a client that dies would stop counting silently
                print(f"Client {index}: {url}: {error!r}", file=sys.stderr)
                ok = False
            with self.lock:
                self.samples.append((started, time.monotonic() - started, ok))

    def run(self):
        stop_at = time.monotonic() + self.seconds
        threads = [
            threading.Thread(target=self.client, args=(i, stop_at), daemon=True)
            for i in range(self.clients)
        ]
        for thread in threads:
            thread.start()
        return threads


def restart_postgres():
    cluster = sorted(os.listdir("/etc/postgresql"))[0]
    started = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"], check=True
    )
    return started, time.monotonic()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--results", type=int, default=int(os.environ.get("SOAK_RESULTS", "10000")))
    parser.add_argument(
        "--meetings", type=int, default=int(os.environ.get("SOAK_MEETINGS", "1000"))
    )
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    # The performance issue's data set of 10,000 results, as `make bench` names it on
    # PostgreSQL: generated once, by whichever of the two needs it first.
    database_url = os.environ.get(
        "SOAK_DATABASE_URL", f"postgresql://postgres@{HOST}:5432/ag_digitalisierung_bench_10000"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ.get("SOAK_REDIS_URL", f"redis://{HOST}:6379/5"),
        "SECRET_KEY": "soak-only-" + "k" * 50,
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"http://{HOST}",
        "SECURE_SSL_REDIRECT": "false",
        "CONN_MAX_AGE": "60",
        # The refused requests of the restart's window are counted here; their tracebacks
        # would bury the figures.
        "LOG_LEVEL": "CRITICAL",
    }
    prepare_database(database_url, env, args.results, args.meetings)
    # Pages cached by an earlier run may stem from another data set.
    redis.Redis.from_url(env["REDIS_URL"]).flushdb()

    marker = f"Soak-Marker {time.time():.0f}"
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(
            # A draft place, as an editor leaves one before approval (the flags of Wagtail's
            # draft state and lock have no database defaults).
            "INSERT INTO workgroup_location (description, room, street_address, postal_code, "
            "locality, created_at, updated_at, live, has_unpublished_changes, expired, locked) "
            "VALUES (%s, '', '', '', 'Plauen', now(), now(), false, true, false, false)",
            [marker],
        )

    gunicorn = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"{HOST}:{args.port}",
            "--workers",
            "4",
            "--timeout",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://{HOST}:{args.port}"
        for _ in range(60):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        urls = public_urls(database_url)
        load = Load(base, urls, args.clients, args.seconds)
        load_started = time.monotonic()
        threads = load.run()
        time.sleep(args.seconds / 3)
        outage_start, outage_end = restart_postgres()
        for thread in threads:
            thread.join()
        gunicorn_survived = gunicorn.poll() is None
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)

    with psycopg.connect(database_url) as connection:
        marker_kept = (
            connection.execute(
                "SELECT count(*) FROM workgroup_location WHERE description = %s", [marker]
            ).fetchone()[0]
            == 1
        )

    samples = load.samples
    failures = [s for s in samples if not s[2]]
    late = [
        s
        for s in failures
        if s[0] + s[1] < outage_start or s[0] > outage_end + RECOVERY_GRACE_SECONDS
    ]
    window = max(s[0] + s[1] for s in failures) - min(s[0] for s in failures) if failures else 0.0
    latencies = sorted(s[1] for s in samples if s[2])
    # The load must span the restart, or it proved nothing about it.
    before = sum(1 for s in samples if s[2] and s[0] + s[1] < outage_start)
    after = sum(1 for s in samples if s[2] and s[0] > outage_end + RECOVERY_GRACE_SECONDS)
    p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else float("nan")
    print("| Messgröße | Wert |\n|---|---|")
    print(
        f"| Anfragen | {len(samples)} ({len(samples) / (time.monotonic() - load_started):.0f}/s) |"
    )
    print(f"| Fehler | {len(failures)} (außerhalb des Neustarts: {len(late)}) |")
    print(f"| p50 / p99 | {statistics.median(latencies) * 1000:.0f} ms / {p99 * 1000:.0f} ms |")
    print(f"| Neustart PostgreSQL | {outage_end - outage_start:.1f} s |")
    print(f"| Fehlerfenster | {window:.1f} s |")
    print(f"| erfolgreich vor / nach dem Neustart | {before} / {after} |")
    print(f"| gunicorn ohne Neustart weitergelaufen | {'ja' if gunicorn_survived else 'nein'} |")
    print(f"| Schreibvorgang vor dem Neustart erhalten | {'ja' if marker_kept else 'nein'} |")
    if late or not gunicorn_survived or not marker_kept or not before or not after:
        print("SOAK FEHLGESCHLAGEN", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
