"""Production settings, health endpoint, security headers and login throttling."""

import os
import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings
from django.test import override_settings

from tests.factories import UserFactory

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x" * 64 + "-production-like-secret-for-the-deploy-check",
    "ALLOWED_HOSTS": "ag-digitalisierung.plauen.de",
    "DATABASE_URL": "sqlite:////tmp/ag-digitalisierung-deploy-check.sqlite3",
    "SITE_URL": "https://ag-digitalisierung.plauen.de",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SITE_URL"])
def test_production_settings_name_a_missing_variable(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"Umgebungsvariable {missing}" in result.stderr


def test_healthz_reports_database_and_cache(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": True, "cache": True}}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_down(client, db):
    with mock.patch("operations.views.database_is_up", return_value=False):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] is False


def test_public_pages_carry_a_strict_content_security_policy(client, site_root):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "default-src 'self'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    # Both say the same: nobody frames the public site.
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in policy


def test_admin_policy_allows_wagtails_inline_scripts_only_there(admin_client, site_root):
    response = admin_client.get("/admin/")
    assert "'unsafe-inline'" in response["Content-Security-Policy"]
    # The editor frames its own previews.
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_failed_logins_are_throttled_per_account_with_a_german_message(client, db):
    user = UserFactory(username="redakteurin", is_staff=True)
    for expected_status in (200, 200, 429):
        response = client.post(
            "/admin/login/",
            {"username": user.username, "password": "falsch"},
            REMOTE_ADDR="10.0.0.1",
        )
        assert response.status_code == expected_status
    # Even the right password is refused now, from another address too: the account is locked.
    response = client.post(
        "/admin/login/",
        {"username": user.username, "password": "geheim-123"},
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 429
    assert "zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode()


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_failed_logins_are_throttled_per_address(client, db):
    for attempt in range(3):
        client.post(
            "/admin/login/",
            {"username": f"gibtsnicht{attempt}", "password": "x"},
            REMOTE_ADDR="10.0.0.9",
        )
    response = client.post(
        "/admin/login/", {"username": "nochjemand", "password": "x"}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 429


def test_sessions_expire():
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
