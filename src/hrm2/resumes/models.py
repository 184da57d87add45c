"""A resume belongs to exactly one position; the same text may be submitted to other positions.

Dedup is per position (``position`` + ``content_hash``): submitting the same resume to another
position makes a separate record, so one position's results never overwrite another's.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrm2.positions.models import Position


class ResumeGroup(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        INTERVIEW_ANALYSIS = "interview_analysis", _("Interview analysis")
        INTERVIEW_ANALYSIS_COMPLETED = (
            "interview_analysis_completed",
            _("Interview analysis completed"),
        )
        COMPREHENSIVE_SCREENING = "comprehensive_screening", _("Comprehensive screening")
        COMPLETED = "completed", _("Completed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="resume_groups")
    group_name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=40, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.group_name


class Resume(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SCREENED = "screened", _("Screened")
        INTERVIEWING = "interviewing", _("Interviewing")
        ANALYZED = "analyzed", _("Analyzed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="resumes")
    group = models.ForeignKey(
        ResumeGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="resumes"
    )
    candidate_name = models.CharField(max_length=200, db_index=True)
    content = models.TextField()
    content_hash = models.CharField(max_length=64)
    source_kind = models.CharField(max_length=8, default="text")  # text|pdf|docx|txt|md
    original_filename = models.CharField(max_length=255, blank=True)
    original_file = models.FileField(upload_to="resumes/%Y/%m/", blank=True)
    warnings = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    latest_score = models.FloatField(null=True, blank=True)
    latest_recommendation = models.CharField(max_length=16, blank=True)
    # The latest screening's total and recommendation after a reviewer confirmed its audit
    # document (None / "" until then, and again after the document is reopened).
    confirmed_score = models.FloatField(null=True, blank=True)
    confirmed_recommendation = models.CharField(max_length=16, blank=True)
    # "" (never screened), "pending" (awaiting a reviewer) or "confirmed".
    review_state = models.CharField(max_length=16, blank=True, db_index=True)
    # The decision HR acts on: the reviewer's once confirmed, else the machine's. Kept as
    # columns so lists filter and sort by it.
    decision_score = models.FloatField(null=True, blank=True)
    decision_recommendation = models.CharField(max_length=16, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["position", "content_hash"], name="resume_unique_per_position"
            )
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="resume_newest"),
            models.Index(fields=["position", "-created_at", "-id"], name="resume_position_newest"),
            models.Index(fields=["status", "-created_at", "-id"], name="resume_status_newest"),
            models.Index(fields=["group", "-created_at", "-id"], name="resume_group_newest"),
            models.Index(fields=["position", "-decision_score"], name="resume_position_decision"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_name} → {self.position_id}"
