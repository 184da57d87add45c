"""Call Django's WSGI handler with a raw environ, as a server would (no client normalisation).

Like Django's test client, it keeps the request signals from closing the test's database
connection (on PostgreSQL the test runs inside a transaction that must stay open).
"""

from contextlib import contextmanager

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections


@contextmanager
def keep_test_connection():
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call(environ: dict) -> tuple[int, dict, bytes]:
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"] = int(status.split()[0])
        captured["headers"] = dict(headers)

    with keep_test_connection():
        chunks = WSGIHandler()(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
    return captured["status"], captured["headers"], body
