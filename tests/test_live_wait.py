"""The one wait for a server process retries every transient failure until its deadline."""

import http.client
import urllib.error

import pytest

from tests import live


def test_wait_retries_timeouts_resets_refusals_and_5xx(monkeypatch):
    answers = [
        TimeoutError("timed out"),
        urllib.error.URLError(ConnectionRefusedError(111, "refused")),
        ConnectionResetError(104, "reset"),
        http.client.RemoteDisconnected("torn"),
        (503, b'{"success": false}'),
        (200, b'{"success": true}'),
    ]

    def fake_fetch(url, timeout):
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(live, "fetch", fake_fetch)
    assert live.wait_for_http("http://x/health/", timeout=10, interval=0) == (
        200,
        b'{"success": true}',
    )
    assert answers == []


def test_wait_fails_at_its_deadline_naming_the_last_answer(monkeypatch):
    def fake_fetch(url, timeout):
        raise TimeoutError("timed out")

    monkeypatch.setattr(live, "fetch", fake_fetch)
    with pytest.raises(pytest.fail.Exception, match="TimeoutError"):
        live.wait_for_http("http://x/health/", timeout=0.2, interval=0.05)
