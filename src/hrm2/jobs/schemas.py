from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Schema


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
