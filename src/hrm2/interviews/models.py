"""An interview session on one resume (and its position), its recorded answers and its reports.

The session keeps the question pool it generated (``questions``, ids ``q1``, ``q2`` …) and the
resume highlights; each answer is a ``QARecord`` with its round number (unique per session),
the question as it was asked, and the engine's evaluation. Ending a session keeps its data.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrm2.positions.models import CriteriaVersion, Position
from hrm2.resumes.models import Resume


class InterviewSession(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resume = models.ForeignKey(Resume, on_delete=models.CASCADE, related_name="interview_sessions")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+")
    criteria_version = models.ForeignKey(
        CriteriaVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    interviewer_name = models.CharField(max_length=100)
    job_config = models.JSONField(default=dict, blank=True)
    company_config = models.JSONField(default=dict, blank=True)
    criteria = models.JSONField(default=dict, blank=True)  # the position's criteria + job_config
    engine = models.CharField(max_length=32, default="embedded")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    resume_summary = models.JSONField(default=dict, blank=True)
    questions = models.JSONField(default=list, blank=True)
    resume_highlights = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["resume", "-created_at"], name="interview_resume_created"),
            models.Index(fields=["-created_at"], name="interview_created"),
        ]

    def __str__(self) -> str:
        return f"interview {self.pk} ({self.status})"

    @property
    def position_title(self) -> str:
        return self.job_config.get("title") or self.position.title


class QARecord(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="records")
    round_number = models.PositiveIntegerField()
    question = models.JSONField()  # QuestionInput as asked
    answer = models.TextField()
    duration_seconds = models.FloatField(null=True, blank=True)
    evaluated = models.BooleanField(default=False)
    engine = models.CharField(max_length=32, blank=True)
    fallback_reason = models.TextField(blank=True)
    normalized_score = models.FloatField(null=True, blank=True)
    evaluation = models.JSONField(null=True, blank=True)
    followup_recommendation = models.JSONField(null=True, blank=True)
    hr_action_hints = models.JSONField(default=list, blank=True)
    llm_calls = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round_number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "round_number"], name="qa_round_unique")
        ]

    def __str__(self) -> str:
        return f"round {self.round_number} of {self.session_id}"


class InterviewReport(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="reports")
    result = models.JSONField()
    overall_score = models.FloatField(null=True, blank=True)
    recommendation = models.CharField(max_length=16)
    language = models.CharField(max_length=16, default="zh-hans")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"interview report {self.pk}"
