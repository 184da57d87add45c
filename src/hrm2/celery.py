"""The Celery application. Job state is ours (``hrm2.jobs``); Celery only carries job ids."""

import os
import threading

from celery import Celery
from celery.signals import worker_process_init, worker_ready, worker_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrm2.settings")

app = Celery("hrm2")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    task_ignore_result=True,
    worker_prefetch_multiplier=1,
    worker_hijack_root_logger=False,
    broker_connection_retry_on_startup=True,
    # A submission must not hang on a dead broker: the job row is already saved and the reaper
    # re-sends pending jobs, so fail fast here.
    broker_connection_timeout=2,
    task_default_queue="hrm2",
)
app.autodiscover_tasks()

_monitor = None


@worker_ready.connect
def _start_monitor(sender=None, **kwargs):
    global _monitor
    from hrm2.jobs.monitor import WorkerMonitor

    _monitor = WorkerMonitor(hostname=sender.hostname if sender else "worker")
    _monitor.start()


@worker_process_init.connect
def _warm_engines(**kwargs):
    """Load the screening engine's segmenter and semantic model as each job process starts, in
    the background (Celery limits how long this hook may take), so the first resume of a
    worker is as fast as the rest. The web process never loads them."""

    def warm():
        from hrm2.ai import get_engine

        engine = get_engine("embedded")
        engine.warm_up()

    threading.Thread(target=warm, name="hrm2-warm-up", daemon=True).start()


@worker_shutdown.connect
def _stop_monitor(**kwargs):
    if _monitor is not None:
        _monitor.stop()
