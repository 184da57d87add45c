from datetime import datetime
from typing import Any
from uuid import UUID

from django.utils.translation import gettext_lazy
from ninja import Schema

# The words validation messages use for these fields (registered in apps.py).
FIELD_LABELS = {"job_id": gettext_lazy("Job")}


class JobOut(Schema):
    id: UUID
    kind: str
    status: str
    progress: int
    total: int
    processed: int
    succeeded: int
    failed: int
    error: str
    attempts: int
    result: Any = None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
