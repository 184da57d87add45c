"""GET /health/: is the database reachable, the broker reachable, and a worker alive?"""

import time

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Router, Schema

from hrm2.api.errors import ServiceUnavailable

router = Router(tags=["health"])


class CheckOut(Schema):
    ok: bool
    latency_ms: float
    detail: str


class HealthOut(Schema):
    status: str
    database: CheckOut
    broker: CheckOut
    worker: CheckOut


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        detail = check()
        ok = True
    except Exception as exc:
        ok, detail = False, f"{type(exc).__name__}: {exc}"[:300]
    return {
        "ok": ok,
        "latency_ms": round((time.perf_counter() - started) * 1000, 2),
        "detail": detail,
    }


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _check_broker() -> str:
    from hrm2.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        return conn.transport.driver_type


def _check_worker() -> str:
    from hrm2.jobs.selectors import live_workers

    workers = live_workers(within_seconds=settings.WORKER_ALIVE_SECONDS)
    if not workers:
        raise RuntimeError(
            _("No worker has reported in the last %(s)d seconds")
            % {"s": settings.WORKER_ALIVE_SECONDS}
        )
    return ngettext("%(n)d worker alive", "%(n)d workers alive", len(workers)) % {"n": len(workers)}


@router.get("/", response=HealthOut, auth=None)
def health(request):
    report = {
        "database": _timed(_check_database),
        "broker": _timed(_check_broker),
    }
    report["worker"] = (
        _timed(_check_worker)
        if report["database"]["ok"]
        else {"ok": False, "latency_ms": 0.0, "detail": _("Database unavailable")}
    )
    failing = [name for name, check in report.items() if not check["ok"]]
    if failing:
        raise ServiceUnavailable(
            _("Service unhealthy"),
            detail=", ".join(failing),
            errors=[
                {"loc": [name], "msg": report[name]["detail"], "type": "unavailable"}
                for name in failing
            ],
        )
    return {"status": "ok", **report}
