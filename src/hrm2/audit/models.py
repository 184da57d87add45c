"""What people audit: documents, their evaluation points and results, audit records, cross-review
tasks, and the append-only event log (seed 002 §5, integer ids).

A ``Document`` is one machine evaluation of one source object (e.g. a screening report: a resume
× a screening run). The audit app is generic: it links to the source by content type and id and
never imports the producing app. Each ``EvaluationResult`` keeps the machine's verdict
(``machine_*`` fields, written once) next to the human one (``evaluated_results``,
``final_result``, ``final_score``), so the two can always be compared. Scores are percentages
(0–100) of the point's ``max_score``.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditState(models.IntegerChoices):
    """``documents.audit_status`` of the seed."""

    PENDING = 0, _("Pending review")
    CONFIRMED = 1, _("Review completed")


class EditAuditState(models.IntegerChoices):
    """``audit_status.edit_audit_status`` of the seed."""

    NOT_REVIEWED = 0, _("Not reviewed")
    REVIEWED = 1, _("Reviewed")


class Verdict(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


class Document(models.Model):
    kind = models.CharField(max_length=32, db_index=True)
    title = models.CharField(max_length=255, blank=True)
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.CharField(max_length=64, blank=True)
    # The position (or other grouping) the source was evaluated for; statistics group by it.
    position_ref = models.CharField(max_length=64, blank=True, db_index=True)
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_documents",
    )
    audit_status = models.SmallIntegerField(choices=AuditState.choices, default=AuditState.PENDING)
    version = models.PositiveIntegerField(default=1)
    machine_total = models.FloatField(null=True, blank=True)
    machine_passed = models.BooleanField(null=True, blank=True)
    final_total = models.FloatField(null=True, blank=True)
    final_passed = models.BooleanField(null=True, blank=True)
    # The producer's decision code (screening: interview / reserve / reject), machine and human.
    machine_outcome = models.CharField(max_length=32, blank=True)
    final_outcome = models.CharField(max_length=32, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id"],
                condition=~models.Q(source_id=""),
                name="audit_document_once_per_source",
            )
        ]
        indexes = [
            models.Index(fields=["uploader", "-created_at"], name="audit_doc_uploader"),
            models.Index(fields=["audit_status", "-created_at"], name="audit_doc_status"),
        ]

    def __str__(self) -> str:
        return f"document {self.pk} ({self.kind})"

    @property
    def is_confirmed(self) -> bool:
        return self.audit_status == AuditState.CONFIRMED


class EvaluationPoint(models.Model):
    """A checklist item, shared by every document evaluated against the same checklist."""

    checklist = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    name = models.CharField(max_length=255)
    category = models.CharField(max_length=32)
    max_score = models.FloatField()
    is_veto = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["checklist", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "key"], name="audit_point_unique_key")
        ]

    def __str__(self) -> str:
        return self.name


class EvaluationResult(models.Model):
    class Status(models.TextChoices):
        MACHINE = "machine", _("Machine verdict")
        REVIEWED = "reviewed", _("Reviewed by a person")

    # Written by the machine once; services never update them.
    MACHINE_FIELDS = ("machine_result", "machine_message", "machine_score", "machine_verdict")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="results")
    point = models.ForeignKey(EvaluationPoint, on_delete=models.PROTECT, related_name="results")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.MACHINE)
    extracted_results = models.JSONField(default=dict, blank=True)
    rules_results = models.JSONField(default=dict, blank=True)
    evaluated_results = models.JSONField(default=dict, blank=True)
    machine_result = models.CharField(max_length=4, choices=Verdict.choices)
    machine_message = models.TextField(blank=True)
    machine_verdict = models.CharField(max_length=16, blank=True)
    machine_score = models.FloatField()
    # ``final_result`` mirrors ``evaluated_results["result"]`` so statistics can query it.
    final_result = models.CharField(max_length=4, choices=Verdict.choices)
    final_score = models.FloatField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["document", "point__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "point"], name="audit_result_once"),
            models.CheckConstraint(
                condition=models.Q(machine_score__gte=0, machine_score__lte=100),
                name="audit_machine_score_range",
            ),
            models.CheckConstraint(
                condition=models.Q(final_score__isnull=True)
                | models.Q(final_score__gte=0, final_score__lte=100),
                name="audit_final_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"result {self.pk} ({self.final_result})"

    @property
    def effective_score(self) -> float:
        """The human score once given, else the machine's."""
        return self.machine_score if self.final_score is None else self.final_score


class AuditStatus(models.Model):
    """The seed's ``audit_status`` table: one person's review action on one result."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="audit_statuses")
    point = models.ForeignKey(EvaluationPoint, on_delete=models.PROTECT, related_name="+")
    result = models.ForeignKey(
        EvaluationResult, on_delete=models.CASCADE, related_name="audit_statuses"
    )
    edit_audit_status = models.SmallIntegerField(choices=EditAuditState.choices)
    message = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit statuses"
        indexes = [models.Index(fields=["document", "-created_at"], name="audit_status_document")]

    def __str__(self) -> str:
        return f"audit status {self.pk}"


class CrossReviewTask(models.Model):
    """交叉评查任务: its participants may review its documents."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    documents = models.ManyToManyField(Document, through="TaskDocument", related_name="tasks")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class TaskParticipant(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        REVIEWER = "reviewer", _("Reviewer")

    task = models.ForeignKey(CrossReviewTask, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cross_review_roles"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.REVIEWER)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "user"], name="audit_participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.task_id} ({self.role})"


class TaskDocument(models.Model):
    task = models.ForeignKey(CrossReviewTask, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "document"], name="audit_task_document_once")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} in {self.task_id}"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("audit events are append-only")

    def delete(self):
        raise TypeError("audit events are append-only")


class AuditEvent(models.Model):
    """One change (actor, action, object, before, after, time); never updated or deleted.

    Plain ids instead of foreign keys, so deleting a user or a document cannot touch the log.
    """

    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    document_id = models.BigIntegerField(null=True, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["document_id", "created_at"], name="audit_event_document"),
            models.Index(fields=["object_type", "object_id"], name="audit_event_object"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("audit events are append-only")
