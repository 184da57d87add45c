"""Request ids reach the log lines, and HRM2_LOG_FORMAT=json writes one JSON object per line."""

import json
import logging

import pytest

from hrm2.api.logging import JsonFormatter, RequestIdFilter, request_id_var


def _record(message: str) -> logging.LogRecord:
    record = logging.LogRecord("hrm2.test", logging.INFO, __file__, 1, message, None, None)
    RequestIdFilter().filter(record)
    return record


def test_json_log_line_carries_the_request_id():
    token = request_id_var.set("req-42")
    try:
        line = JsonFormatter().format(_record("hello 你好"))
    finally:
        request_id_var.reset(token)
    entry = json.loads(line)
    assert entry["request_id"] == "req-42"
    assert entry["message"] == "hello 你好" and entry["level"] == "INFO"


def test_outside_a_request_the_id_is_a_dash():
    assert json.loads(JsonFormatter().format(_record("x")))["request_id"] == "-"


@pytest.mark.django_db
def test_request_id_is_set_while_the_view_logs(hr, caplog, monkeypatch):
    from hrm2.positions import selectors

    seen = []
    original = selectors.current_position

    def spy(**kwargs):
        seen.append(request_id_var.get())
        return original(**kwargs)

    monkeypatch.setattr(selectors, "current_position", spy)
    hr.get("/position-settings/", headers={"X-Request-ID": "trace-me"})
    assert seen == ["trace-me"]
