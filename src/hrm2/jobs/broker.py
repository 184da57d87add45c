"""Housekeeping for the embedded SQLite broker.

kombu's SQLAlchemy transport marks a consumed message invisible but never deletes it, so the
broker file would grow without bound. Job state is ours, so an old consumed message is garbage.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings

logger = logging.getLogger("hrm2.jobs")
CONSUMED_MESSAGE_TTL = timedelta(hours=1)


def purge_consumed_messages() -> int:
    url = settings.CELERY_BROKER_URL
    if not url.startswith("sqla+"):
        return 0
    from sqlalchemy import create_engine, text

    engine = create_engine(url.removeprefix("sqla+"))
    # kombu stamps the row with naive local time (datetime.now) when it marks it consumed.
    cutoff = datetime.now() - CONSUMED_MESSAGE_TTL
    try:
        with engine.begin() as conn:
            result = conn.execute(
                text("DELETE FROM kombu_message WHERE visible = :no AND timestamp < :cutoff"),
                {"no": False, "cutoff": cutoff},
            )
            return result.rowcount or 0
    except Exception as exc:  # table not created yet, or the broker is busy: try next time
        logger.debug("broker purge skipped: %s", exc)
        return 0
    finally:
        engine.dispose()
