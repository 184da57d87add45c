"""A thread in each worker's main process: record that the worker is alive, reap dead jobs.

Every worker runs it; the reaper's conditional updates make concurrent monitors harmless.
"""

import logging
import os
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from hrm2.jobs import broker, services

logger = logging.getLogger("hrm2.jobs.monitor")
HOUSEKEEPING_EVERY_TICKS = 120


class WorkerMonitor:
    def __init__(self, hostname: str) -> None:
        self.hostname = hostname
        self.started_at = timezone.now()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="hrm2-worker-monitor", daemon=True)
        self._ticks = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        try:
            services.forget_worker(hostname=self.hostname)
        except Exception:
            logger.exception("could not remove worker heartbeat")
        finally:
            connection.close()

    def tick(self) -> None:
        close_old_connections()
        services.record_worker_heartbeat(
            hostname=self.hostname, pid=os.getpid(), started_at=self.started_at
        )
        counts = services.reap_stale_jobs()
        if any(counts.values()):
            logger.warning("reaper: %s", counts)
        if self._ticks % HOUSEKEEPING_EVERY_TICKS == 0:
            services.forget_dead_workers()
            broker.purge_consumed_messages()
        self._ticks += 1

    def _loop(self) -> None:
        try:
            while True:
                try:
                    self.tick()
                except Exception:
                    logger.exception("worker monitor tick failed")
                if self._stop.wait(settings.WORKER_HEARTBEAT_SECONDS):
                    break
        finally:
            connection.close()
