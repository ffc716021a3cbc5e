"""Several app instances: two gunicorn servers with the production settings, one PostgreSQL and
one Redis. An approval made through one instance is live through the other at once, and the page
cache that both fill is invalidated for both.

Runs on PostgreSQL with Redis reachable on 127.0.0.1:6379 (CI runs it in its PostgreSQL pass);
it skips on SQLite, whose file the instances could share but production never would.
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse
from wagtail.models import Page

from tests.factories import ResultIndexPageFactory, ResultPageFactory, UserFactory
from workgroup.editorial.roles import COORDINATION_GROUP, EDITORS_GROUP, ensure_roles

ROOT = Path(settings.BASE_DIR)
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
# A Redis database of its own, emptied first, so that no other run's entries are read.
REDIS_URL = "redis://127.0.0.1:6379/7"
PASSWORD = "geheim-123"
TITLE = "Offenes WLAN in allen Bürgerbüros"

pytestmark = [
    pytest.mark.skipif(
        not settings.DATABASE_IS_POSTGRES,
        reason="several instances share one PostgreSQL database; this run uses SQLite",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def redis_or_skip():
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.ping()
    except Exception as error:  # any failure to reach Redis means: not here
        if os.environ.get("CI"):
            pytest.fail(f"Redis is required in CI: {error}")
        pytest.skip(f"no Redis at {REDIS_URL}: {error}")
    client.flushdb()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url():
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    return (
        f"postgresql://{user}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


class Instance:
    """One gunicorn with the production settings, and a browser-like client of it that keeps
    its own cookies (the production cookies are Secure, which urllib's cookie jar would not
    send over plain HTTP on loopback)."""

    def __init__(self, env):
        self.port = free_port()
        self.cookies = {}
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "config.wsgi",
                "--workers=2",
                f"--bind=127.0.0.1:{self.port}",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
        )

    def wait(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"gunicorn on port {self.port} did not become healthy")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)

    def request(self, method, path, data=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode({**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        conn.close()
        return response.status, content, response.headers

    def log_in(self, username):
        self.request("GET", "/admin/login/")
        status, _, headers = self.request(
            "POST", "/admin/login/", {"username": username, "password": PASSWORD}
        )
        assert status == 302 and "sessionid" in self.cookies, (status, headers)

    def log_out(self):
        self.cookies.clear()


@pytest.fixture
def instances():
    redis_or_skip()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": "instances-test-" + "s" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SITE_URL": "http://127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    # The production settings serve hashed static names, which need the manifest, as `make serve`.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    servers = [Instance(env), Instance(env)]
    try:
        for server in servers:
            server.wait()
        yield servers
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def submitted_result(site_root):
    ensure_roles()
    editor = UserFactory(username="redaktion", groups=[EDITORS_GROUP])
    coordinator = UserFactory(username="koordinator", groups=[COORDINATION_GROUP])
    # The test settings hash with MD5 for speed; the instances only know production's hashers.
    hasher = PBKDF2PasswordHasher()
    coordinator.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    coordinator.save(update_fields=["password"])
    register = ResultIndexPageFactory(parent=site_root, title="Ergebnisse", slug="ergebnisse")
    result = ResultPageFactory(parent=register, title=TITLE, slug="wlan", live=False)
    result.save_revision(user=editor)
    result.get_workflow().start(result, editor)
    return Page.objects.get(pk=result.pk).specific


def test_an_approval_through_one_instance_is_live_through_the_other(instances, submitted_result):
    first, second = instances
    register = "/ergebnisse/"
    # One cache for both: what the first instance stored, the second serves.
    assert first.request("GET", register)[2]["X-Page-Cache"] == "miss"
    for server in instances:
        status, content, headers = server.request("GET", register)
        assert (status, headers["X-Page-Cache"]) == (200, "hit")
        assert TITLE not in content
        assert server.request("GET", "/ergebnisse/wlan/")[0] == 404

    first.log_in("koordinator")
    task_state = submitted_result.current_workflow_task_state
    status, _, _ = first.request(
        "POST",
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[submitted_result.pk, "approve", task_state.pk],
        ),
        {"comment": ""},
    )
    assert status == 302

    first.log_out()
    status, content, _ = second.request("GET", "/ergebnisse/wlan/")
    assert status == 200
    assert re.search(r"Freigegeben am \d\d\.\d\d\.\d{4} durch Koordination", content)
    status, content, headers = second.request("GET", register)
    assert (status, headers["X-Page-Cache"]) == (200, "miss"), "the approval invalidates the cache"
    assert TITLE in content
    status, content, headers = first.request("GET", register)
    assert (status, headers["X-Page-Cache"]) == (200, "hit") and TITLE in content
