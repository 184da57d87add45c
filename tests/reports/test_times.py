"""``local_time``: the one way a time is written for a person (reports and console pages)."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from hrm2.documents.reports import local_time

UTC_EVENING = datetime(2026, 12, 4, 17, 23, 54, 751538, tzinfo=UTC)


def test_utc_becomes_shanghai_wall_clock_without_seconds(settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert local_time(UTC_EVENING) == "2026-12-05 01:23"  # past midnight in Shanghai
    assert local_time(UTC_EVENING, date_only=True) == "2026-12-05"


@pytest.mark.parametrize(
    "value",
    [
        "2026-12-04T17:23:54.751538+00:00",  # as stored in JSON results
        "2026-12-05T01:23:54+08:00",
        datetime(2026, 12, 4, 17, 23, 54),  # naive: stored times are UTC
        datetime(2026, 12, 4, 12, 23, tzinfo=timezone(timedelta(hours=-5))),
    ],
)
def test_every_spelling_of_the_same_instant_reads_the_same(value):
    assert local_time(value) == "2026-12-05 01:23"


def test_nothing_dates_and_free_text():
    assert local_time(None) == "" and local_time("") == ""
    assert local_time(date(2026, 12, 4)) == "2026-12-04"
    assert local_time("昨天") == "昨天"  # not ISO 8601: shown as written, never dropped


def test_follows_the_configured_zone(settings):
    settings.TIME_ZONE = "Europe/London"
    assert local_time(UTC_EVENING) == "2026-12-04 17:23"
