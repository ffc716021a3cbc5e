"""`make bench`: throughput of the public site under gunicorn, set against a floor.

For each data size (1,000 and 10,000 results, a tenth as many meetings) the data set is generated
once (`manage.py generate_data`, seed 1) and reused afterwards: an SQLite file in bench/data/, or,
when DATABASE_URL points to PostgreSQL, a database named after it with `_bench_<size>` appended.
gunicorn then serves bench.settings (production settings, DEBUG off) with 2 sync workers,
and wrk drives it with 4 connections: every URL for BENCH_SECONDS (10) after a warm-up, each
right after the floor view (a plain HttpResponse through the same server and middleware), so that
the ratio to the floor cancels out what else the machine is doing. The 10,000 set is measured with
the page cache off and on, the 1,000 set with it off; the table goes to stdout and to
bench/results-<database>.md.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
SIZES = (1_000, 10_000)
SEED = 1
CONNECTIONS = 4
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
WARM_UP_SECONDS = 2
FLOOR = "/bench/floor/"
FLATNESS_LIMIT = 0.15


def database(size):
    """The data set's DATABASE_URL and the name of the database system."""
    configured = os.environ.get("DATABASE_URL", "")
    if configured.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(configured)
        name = f"{parts.path.lstrip('/') or 'ag_digitalisierung'}_bench_{size}"
        return urlunsplit(parts._replace(path=f"/{name}")), "postgresql"
    return f"sqlite:///{DATA / f'results-{size}.sqlite3'}", "sqlite"


def create_postgres_database(url):
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def environment(url, cache_seconds=0):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=url,
        MEDIA_ROOT=str(DATA / "media"),
        PAGE_CACHE_SECONDS=str(cache_seconds),
    )
    return env


def manage(env, *args, capture=False):
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout


def ensure_data(size, url, system):
    if system == "postgresql":
        create_postgres_database(url)
    env = environment(url)
    manage(env, "migrate", "--noinput", "-v", "0")
    count = manage(
        env,
        "shell",
        "-c",
        "from workgroup.models import ResultPage; print(ResultPage.objects.count())",
        capture=True,
    )
    if int(count.strip().splitlines()[-1]) == 0:
        print(f"== Datensatz mit {size} Ergebnissen wird erzeugt ({system})", flush=True)
        started = time.monotonic()
        manage(
            env,
            "generate_data",
            f"--results={size}",
            f"--meetings={size // 10}",
            f"--seed={SEED}",
        )
        print(f"== erzeugt in {time.monotonic() - started:.0f} s", flush=True)
    else:
        print(f"== Datensatz mit {size} Ergebnissen vorhanden ({system})", flush=True)


def site_info(url):
    output = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "site_info.py")],
        cwd=ROOT,
        env=environment(url),
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with 2 sync workers, as production runs it."""

    def __init__(self, url, cache_seconds):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "config.wsgi",
                "--workers=2",
                "--worker-class=sync",
                f"--bind=127.0.0.1:{self.port}",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=environment(url, cache_seconds),
        )

    def __enter__(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + FLOOR, timeout=5):
                    return self
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise SystemExit("gunicorn did not answer within 60 s")

    def __exit__(self, *exc_info):
        self.stop()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url, seconds):
    output = subprocess.run(
        ["wrk", "--threads=2", f"--connections={CONNECTIONS}", f"--duration={seconds}s",
         "--latency", url],
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    ).stdout  # fmt: skip
    percentiles = {
        int(p): float(value) * UNITS[unit]
        for p, value, unit in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    }
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": percentiles[50],
        "p99": percentiles[99],
        "errors": int(errors.group(1)) if errors else 0,
    }


def measure(server, urls):
    """Each URL after a warm-up, beside a floor run taken right before it."""
    rows = {}
    for name, path in urls.items():
        wrk(server.base + path, WARM_UP_SECONDS)
        floor = wrk(server.base + FLOOR, SECONDS)
        page = wrk(server.base + path, SECONDS)
        if page["errors"]:
            raise SystemExit(f"{path}: {page['errors']} responses were not 2xx/3xx")
        rows[name] = {**page, "floor": floor["rps"], "ratio": page["rps"] / floor["rps"]}
        print(
            f"   {name:<20} {page['rps']:8.1f}/s  {100 * rows[name]['ratio']:6.2f} % "
            f"des Bodens ({floor['rps']:.0f}/s)",
            flush=True,
        )
    return rows


def table(title, info, rows, cached):
    lines = [
        f"### {title}",
        "",
        "| URL | Anfragen/s | p50 ms | p99 ms | Boden Anfragen/s | Anteil am Boden | SQL |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in rows.items():
        queries = 0 if cached else info["queries"][name]
        lines.append(
            f"| {name} (`{info['urls'][name]}`) | {row['rps']:.1f} | {row['p50']:.2f} "
            f"| {row['p99']:.2f} | {row['floor']:.0f} | {100 * row['ratio']:.2f} % | {queries} |"
        )
    return lines


def flatness(small, large):
    lines = [
        "### Kosten bei 1.000 und 10.000 Ergebnissen (ohne Seitencache)",
        "",
        "| URL | Anteil am Boden 1.000 | Anteil am Boden 10.000 | 10.000 / 1.000 | flach ±15 % |",
        "|---|---:|---:|---:|---|",
    ]
    for name, row in large.items():
        quotient = row["ratio"] / small[name]["ratio"]
        flat = "ja" if abs(quotient - 1) <= FLATNESS_LIMIT else "nein"
        lines.append(
            f"| {name} | {100 * small[name]['ratio']:.2f} % | {100 * row['ratio']:.2f} % "
            f"| {quotient:.2f} | {flat} |"
        )
    return lines


def ensure_wrk():
    if shutil.which("wrk"):
        return
    print("== wrk fehlt und wird mit apt-get installiert", flush=True)
    subprocess.run(["apt-get", "update", "-q"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-q", "wrk"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


def main():
    ensure_wrk()
    DATA.mkdir(parents=True, exist_ok=True)
    databases = {size: database(size) for size in SIZES}
    system = databases[SIZES[-1]][1]
    for size, (url, db_system) in databases.items():
        ensure_data(size, url, db_system)
    manage(environment(databases[SIZES[-1]][0]), "collectstatic", "--noinput", "-v", "0")

    results = {}
    for size, cached in ((10_000, False), (10_000, True), (1_000, False)):
        url = databases[size][0]
        info = site_info(url)
        mode = "mit Seitencache" if cached else "ohne Seitencache"
        print(f"== {size} Ergebnisse, {mode}", flush=True)
        with Server(url, cache_seconds=300 if cached else 0) as server:
            results[size, cached] = (info, measure(server, info["urls"]))

    cache = "Redis" if os.environ.get("REDIS_URL") else "lokaler Speicher je Worker"
    lines = [
        f"## Messung {time.strftime('%Y-%m-%d %H:%M')} – {system}, Seitencache: {cache}",
        "",
        f"gunicorn mit 2 sync-Workern, bench.settings (DEBUG aus), wrk mit {CONNECTIONS} "
        f"Verbindungen, {SECONDS} s je URL nach {WARM_UP_SECONDS} s Aufwärmen; jede URL direkt "
        f"nach einem Lauf gegen den Boden ({FLOOR}, eine schlichte HttpResponse). "
        f"Maschine: {os.cpu_count()} Kerne, Last beim Start: "
        f"{' '.join(f'{load:.1f}' for load in os.getloadavg())}.",
        "",
        *table("10.000 Ergebnisse, ohne Seitencache", *results[10_000, False], cached=False),
        "",
        *table("10.000 Ergebnisse, mit Seitencache", *results[10_000, True], cached=True),
        "",
        *flatness(results[1_000, False][1], results[10_000, False][1]),
        "",
    ]
    report = "\n".join(lines)
    print()
    print(report)
    (ROOT / "bench" / f"results-{system}.md").write_text(report)


if __name__ == "__main__":
    main()
