import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def database_is_up():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not healthy", and is reported as such
        return False


def cache_is_up():
    probe = uuid.uuid4().hex
    try:
        cache.set("healthz-probe", probe, timeout=10)
        return cache.get("healthz-probe") == probe
    except Exception:  # noqa: BLE001
        return False


@never_cache
@require_GET
def healthz(request):
    """For load balancers and orchestrators: 200 when this instance can serve, 503 otherwise."""
    checks = {"database": database_is_up(), "cache": cache_is_up()}
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
