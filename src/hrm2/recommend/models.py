"""A group evaluation (one job), one row per candidate it evaluated, and its report files.

The evaluation's id is its job's id, so the generic job status and this one agree. Each
candidate row keeps the inputs it was computed from (``inputs``: the snapshot every number
traces back to) next to the result. A report file is registered here with the exact relative
name it was stored under; ``/final-recommend/download-report/<name>`` serves only such names.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrm2.jobs.models import Job
from hrm2.resumes.models import Resume, ResumeGroup


class GroupEvaluation(models.Model):
    job = models.OneToOneField(
        Job, primary_key=True, on_delete=models.CASCADE, related_name="group_evaluation"
    )
    group = models.ForeignKey(ResumeGroup, on_delete=models.CASCADE, related_name="evaluations")
    engine = models.CharField(max_length=32)
    include_video = models.BooleanField(default=False)
    weights = models.JSONField(default=dict)
    language = models.CharField(max_length=16, default="zh-hans")
    # The group's status before this evaluation moved it to comprehensive_screening.
    previous_group_status = models.CharField(max_length=40, blank=True)
    # The group-level result: ranking, comparison, trade-offs, notes (None until done).
    result = models.JSONField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["group", "-created_at"], name="rec_eval_group_created")]

    def __str__(self) -> str:
        return f"group evaluation {self.pk}"


class CandidateResult(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        COMPLETED = "completed", _("Completed")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    evaluation = models.ForeignKey(
        GroupEvaluation, on_delete=models.CASCADE, related_name="candidates"
    )
    resume = models.ForeignKey(
        Resume, null=True, on_delete=models.SET_NULL, related_name="recommendations"
    )
    candidate_name = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    inputs = models.JSONField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    final_score = models.FloatField(null=True, blank=True)
    level = models.CharField(max_length=32, blank=True)
    engine = models.CharField(max_length=32, blank=True)
    fallback_reason = models.TextField(blank=True)
    error = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "resume"], name="rec_candidate_once_per_evaluation"
            )
        ]
        indexes = [models.Index(fields=["evaluation", "status"], name="rec_candidate_status")]

    def __str__(self) -> str:
        return f"{self.candidate_name} in {self.evaluation_id} ({self.status})"


class ReportFile(models.Model):
    """A rendered report stored with ``default_storage`` under a generated name."""

    class Format(models.TextChoices):
        MD = "md", "Markdown"
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    evaluation = models.ForeignKey(
        GroupEvaluation, on_delete=models.CASCADE, related_name="report_files"
    )
    format = models.CharField(max_length=8, choices=Format.choices)
    # The exact relative name in the storage (e.g. reports/recommend/<eval>/<hex>.pdf).
    name = models.CharField(max_length=255, unique=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "format"], name="rec_report_once_per_format"
            )
        ]

    def __str__(self) -> str:
        return self.name
