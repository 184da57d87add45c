"""Times as a person reads them: ``2026-12-04 17:23`` in the server's zone (``TIME_ZONE``).

Times are stored in UTC and the API sends ISO 8601 with an offset; a person reading a console
page or a report wants the local wall-clock time without seconds, microseconds or offset. This
is the one formatter for that — reports call it, console templates through the ``local_time``
filter — and it writes the same numeric form in Chinese and English, so no reader has to guess
day from month.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.utils import timezone

__all__ = ["DATETIME_FORMAT", "DATE_FORMAT", "local_time"]

DATETIME_FORMAT = "%Y-%m-%d %H:%M"
DATE_FORMAT = "%Y-%m-%d"


def local_time(value: datetime | date | str | None, *, date_only: bool = False) -> str:
    """``value`` (an aware or UTC-naive datetime, or its ISO 8601 text) as local wall-clock
    time; a plain date as itself; None as ""; text that is not ISO 8601 unchanged."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, datetime):  # a date has no time zone to convert
        return value.strftime(DATE_FORMAT)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)  # stored times are UTC
    return timezone.localtime(value).strftime(DATE_FORMAT if date_only else DATETIME_FORMAT)
