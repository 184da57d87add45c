"""Request and response shapes of the evaluation-audit API (seed 002 field names kept)."""

from datetime import datetime
from typing import Any, Literal

from django.utils.translation import gettext_lazy, pgettext_lazy
from ninja import Field, Schema
from pydantic import ConfigDict, StrictInt

from hrm2.audit import history
from hrm2.audit.models import AuditEvent

# The words validation messages use for these fields (registered in apps.py). The audit module
# is generic (it imports no producer), so it names every field it reads itself.
FIELD_LABELS = {
    "document_id": gettext_lazy("Document"),
    "document_ids": gettext_lazy("Documents"),
    "result_id": gettext_lazy("Evaluation result"),
    "evaluation_result_id": gettext_lazy("Evaluation result"),
    "evaluation_point_id": gettext_lazy("Evaluation point"),
    "audit_status_id": gettext_lazy("Audit status record"),
    "edit_audit_status": gettext_lazy("Audit status"),
    "audit_status": gettext_lazy("Audit status"),
    "result": gettext_lazy("Verdict"),
    "message": gettext_lazy("Note"),
    "audit_message": gettext_lazy("Audit note"),
    "final_score": gettext_lazy("Reviewed score"),
    "version": gettext_lazy("Version"),
    "reason": gettext_lazy("Reason"),
    "task_id": gettext_lazy("Task"),
    "name": gettext_lazy("Task name"),
    "description": pgettext_lazy("field", "Description"),
    "participants": gettext_lazy("Participants"),
    "user_id": gettext_lazy("User"),
    "role": gettext_lazy("Role"),
    "status": gettext_lazy("Status"),
    "position": gettext_lazy("Position"),
    "kind": gettext_lazy("Kind"),
    "mine": gettext_lazy("Only mine"),
}

MAX_ID = 2**63 - 1
Id = StrictInt
ResultValue = Literal["pass", "fail"]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


# --- seed inputs ------------------------------------------------------------------------------


class ResultPatchIn(Strict):
    """Seed §3.1; only the fields sent change. ``version`` (or ``If-Match``) guards lost updates."""

    result: ResultValue = None
    message: str = Field(None, max_length=5000)
    final_score: float = Field(None, ge=0, le=100, allow_inf_nan=False, strict=True)
    version: Id = Field(None, ge=1, le=MAX_ID)


class AuditStatusIn(Strict):
    """Seed §3.2; ``user_id`` is the caller, never sent."""

    document_id: Id = Field(..., ge=1, le=MAX_ID)
    evaluation_point_id: Id = Field(..., ge=1, le=MAX_ID)
    evaluation_result_id: Id = Field(..., ge=1, le=MAX_ID)
    edit_audit_status: StrictInt = Field(..., ge=0, le=1, description="0 未审核, 1 已审核")
    message: str = Field("", max_length=255)


class AuditStatusPatchIn(Strict):
    """Seed §3.3."""

    edit_audit_status: StrictInt = Field(None, ge=0, le=1, description="0 未审核, 1 已审核")
    message: str = Field(None, max_length=255)


class ConfirmIn(Strict):
    """Seed §3.4: ``audit_status`` 1 (审核完成) is the only value; reopening is its own call."""

    audit_status: StrictInt = Field(1, ge=1, le=1, description="1 审核完成")
    version: Id = Field(None, ge=1, le=MAX_ID)


# --- beyond the seed --------------------------------------------------------------------------


class ReopenIn(Strict):
    reason: str = Field(..., min_length=1, max_length=1000)
    version: Id = Field(None, ge=1, le=MAX_ID)


class ReviewIn(Strict):
    """Update a result and record the audit status in one transaction (the seed's two calls)."""

    result: ResultValue
    message: str = Field(None, max_length=5000)
    final_score: float = Field(None, ge=0, le=100, allow_inf_nan=False, strict=True)
    edit_audit_status: StrictInt = Field(1, ge=0, le=1)
    audit_message: str = Field("", max_length=255)
    version: Id = Field(None, ge=1, le=MAX_ID)


class ParticipantIn(Strict):
    user_id: Id = Field(..., ge=1, le=MAX_ID)
    role: Literal["lead", "reviewer"] = "reviewer"


class TaskCreateIn(Strict):
    name: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    participants: list[ParticipantIn] = Field(default_factory=list, max_length=200)
    document_ids: list[Id] = Field(default_factory=list, max_length=1000)


class TaskPatchIn(Strict):
    name: str = Field(None, min_length=1, max_length=200)
    description: str = Field(None, max_length=5000)
    status: Literal["open", "closed"] = None


class TaskDocumentsIn(Strict):
    document_ids: list[Id] = Field(..., min_length=1, max_length=1000)


class DocumentFilters(Schema):
    audit_status: int | None = Field(None, ge=0, le=1)
    task_id: int | None = Field(None, ge=1, le=MAX_ID)
    position: str | None = Field(None, max_length=64)
    kind: str | None = Field(None, max_length=32)
    mine: bool = False


class StatisticsQuery(Schema):
    position: str = Field(..., min_length=1, max_length=64)


# --- outputs ----------------------------------------------------------------------------------


class ResultUpdatedOut(Schema):
    """Seed §3.1 ``data``, plus the result's new ``version`` for the next conditional PATCH."""

    result_id: int
    updated_fields: list[str]
    version: int


class AuditStatusUpdatedOut(Schema):
    """Seed §3.3 ``data``."""

    audit_status_id: int
    updated_fields: list[str]


class ConfirmOut(Schema):
    document_id: int
    audit_status: int
    version: int
    final_total: float | None
    final_passed: bool | None


class AuditStatusOut(Schema):
    id: int
    user_id: int | None
    document_id: int
    evaluation_point_id: int = Field(alias="point_id")
    evaluation_result_id: int = Field(alias="result_id")
    edit_audit_status: int
    message: str
    created_at: datetime
    updated_at: datetime


class PointOut(Schema):
    id: int
    key: str
    name: str
    category: str
    max_score: float
    is_veto: bool
    order: int


class ResultOut(Schema):
    id: int
    document_id: int
    evaluation_point_id: int = Field(alias="point_id")
    point: PointOut
    status: str
    extracted_results: Any
    rules_results: Any
    evaluated_results: Any
    machine_result: str
    machine_message: str
    machine_verdict: str
    machine_score: float
    final_result: str
    final_score: float | None
    version: int
    reviewed_by_id: int | None
    reviewed_at: datetime | None
    updated_at: datetime


class DocumentOut(Schema):
    id: int
    kind: str
    title: str
    source_type: str | None
    source_id: str
    position_ref: str
    uploader_id: int | None
    audit_status: int
    version: int
    machine_total: float | None
    machine_passed: bool | None
    final_total: float | None
    final_passed: bool | None
    confirmed_by_id: int | None
    confirmed_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_source_type(obj) -> str | None:
        return obj.source_type.app_labeled_name if obj.source_type_id else None


class DocumentDetailOut(DocumentOut):
    results: list[ResultOut]

    @staticmethod
    def resolve_results(obj) -> list:
        return obj.results_list


class DifferenceOut(Schema):
    result_id: int
    evaluation_point_id: int
    point_name: str
    category: str
    max_score: float
    is_veto: bool
    status: str
    machine_result: str
    final_result: str
    result_changed: bool
    machine_score: float
    final_score: float | None
    score_delta: float | None


class DocumentDifferenceOut(Schema):
    document_id: int
    machine_total: float | None
    final_total: float | None
    machine_passed: bool | None
    final_passed: bool | None
    points: list[DifferenceOut]


class EventOut(Schema):
    id: int
    actor_id: int | None
    actor_name: str
    action: str
    object_type: str
    object_id: str
    document_id: int | None
    before: Any
    after: Any
    created_at: datetime
    summary: str = ""  # the event as a sentence in the request's language (audit.history)

    @staticmethod
    def resolve_summary(obj, context) -> str:
        """Sentences for the whole document are made once per request (a few queries)."""
        request = (context or {}).get("request")
        cache = getattr(request, "_audit_summaries", None)
        if cache is None or obj.pk not in cache:
            cache = history.summaries(
                AuditEvent.objects.filter(document_id=obj.document_id)
                if obj.document_id is not None
                else [obj]
            )
            if request is not None:
                request._audit_summaries = cache
        return cache.get(obj.pk, "")


class ReviewOut(Schema):
    result: ResultOut
    audit_status: AuditStatusOut


class ParticipantOut(Schema):
    user_id: int
    username: str = Field(alias="user.username")
    role: str
    added_at: datetime


class TaskOut(Schema):
    id: int
    name: str
    description: str
    status: str
    created_by_id: int | None
    document_count: int = 0
    participant_count: int = 0
    created_at: datetime
    updated_at: datetime


class TaskDetailOut(TaskOut):
    participants: list[ParticipantOut]
    document_ids: list[int]

    @staticmethod
    def resolve_participants(obj) -> list:
        return obj.participants_list


class PointStatisticsOut(Schema):
    evaluation_point_id: int
    name: str
    category: str
    checklist: str
    total: int
    reviewed: int
    agreed: int
    overridden: int
    score_changed: int
    agreement_rate: float | None


class StatisticsOut(Schema):
    position: str
    documents: int
    confirmed_documents: int
    results: int
    reviewed: int
    agreed: int
    overridden: int
    agreement_rate: float | None
    points: list[PointStatisticsOut]
