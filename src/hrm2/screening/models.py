"""A screening task (one job) and one report per resume it screened.

The task's id is its job's id, so the generic job status and the screening status agree. A
report records the criteria version and engine it used; the resume keeps only a pointer to its
latest score for filtering.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrm2.jobs.models import Job
from hrm2.positions.models import CriteriaVersion, Position
from hrm2.resumes.models import Resume


class ScreeningTask(models.Model):
    job = models.OneToOneField(
        Job, primary_key=True, on_delete=models.CASCADE, related_name="screening_task"
    )
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="screening_tasks")
    criteria_version = models.ForeignKey(
        CriteriaVersion, on_delete=models.PROTECT, related_name="+"
    )
    engine = models.CharField(max_length=32)
    language = models.CharField(max_length=16, default="zh-hans")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"screening {self.pk}"


class ScreeningReport(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        COMPLETED = "completed", _("Completed")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.ForeignKey(ScreeningTask, on_delete=models.CASCADE, related_name="reports")
    resume = models.ForeignKey(Resume, on_delete=models.CASCADE, related_name="screening_reports")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    engine = models.CharField(max_length=32, blank=True)
    fallback_reason = models.TextField(blank=True)
    overall_score = models.FloatField(null=True, blank=True)
    recommendation = models.CharField(max_length=16, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "resume"], name="screening_report_once_per_task"
            )
        ]
        indexes = [
            models.Index(fields=["task", "status"], name="report_task_status"),
            models.Index(fields=["resume", "-completed_at"], name="report_resume_latest"),
        ]

    def __str__(self) -> str:
        return f"report {self.pk} ({self.status})"
