"""An interview video of a candidate and its analysis, and the reviewers' corrections.

The analysis keeps the machine's values (``machine_results``, never edited by people) next to
the effective ones (the ``*_score`` columns and ``summary``), which start as the machine's and
change only through a reviewer's correction; each correction is a ``VideoCorrection`` row.
Features, signals, impressions and the transcript are stored as JSON as the pipeline made them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrm2.documents.reports import local_time
from hrm2.resumes.models import Resume

TRAITS = ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")
TRAIT_FIELDS = tuple(f"{trait}_score" for trait in TRAITS)
SCORE_FIELDS = ("fraud_score", *TRAIT_FIELDS, "confidence_score")
CORRECTABLE_FIELDS = (*SCORE_FIELDS, "summary", "status")


class VideoAnalysis(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        PROCESSING = "processing", _("Processing")
        COMPLETED = "completed", _("Completed")
        FAILED = "failed", _("Failed")

    class Reason(models.TextChoices):
        """Why a video is where it is (mainly: why a pending video is not being analysed)."""

        NONE = "", _("None")
        QUEUED = "queued", _("Queued for analysis")
        CONSENT_MISSING = "consent_missing", _("The candidate's consent is missing")
        CANCELLED = "cancelled", _("Analysis cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    candidate_name = models.CharField(max_length=200, db_index=True)
    position_applied = models.CharField(max_length=200, db_index=True)
    # One-to-one: a resume has at most one video and a video at most one resume.
    resume = models.OneToOneField(
        Resume, null=True, blank=True, on_delete=models.SET_NULL, related_name="video"
    )
    video_name = models.CharField(max_length=255, blank=True)
    video_file = models.FileField(upload_to="videos/%Y/%m/", blank=True, max_length=255)
    file_size = models.BigIntegerField(default=0)
    media_info = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    status_reason = models.CharField(
        max_length=32, choices=Reason.choices, default=Reason.NONE, blank=True
    )
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    # Face and voice are sensitive personal data: no analysis without recorded consent.
    consent = models.BooleanField(default=False)
    consent_at = models.DateTimeField(null=True, blank=True)
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Effective results: the machine's, unless a reviewer corrected them.
    fraud_score = models.FloatField(null=True, blank=True)
    openness_score = models.FloatField(null=True, blank=True)
    conscientiousness_score = models.FloatField(null=True, blank=True)
    extraversion_score = models.FloatField(null=True, blank=True)
    agreeableness_score = models.FloatField(null=True, blank=True)
    neuroticism_score = models.FloatField(null=True, blank=True)
    confidence_score = models.FloatField(null=True, blank=True)
    summary = models.TextField(blank=True)
    # What the machine said (same keys as the effective fields), and what it measured.
    machine_results = models.JSONField(null=True, blank=True)
    features = models.JSONField(default=dict, blank=True)
    signals = models.JSONField(default=dict, blank=True)
    personality = models.JSONField(default=dict, blank=True)
    transcript = models.JSONField(default=dict, blank=True)
    timeline = models.JSONField(default=dict, blank=True)
    model_version = models.CharField(max_length=100, blank=True)
    analysed_at = models.DateTimeField(null=True, blank=True)
    analysis_seconds = models.FloatField(null=True, blank=True)
    reviewed_fields = models.JSONField(default=list, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"], name="video_status_created")]

    def __str__(self) -> str:
        return f"{self.candidate_name} ({self.video_name or self.pk})"


class VideoCorrection(models.Model):
    """One reviewer correction: the effective values before and after, who, and when.

    Kept until the audit module's event log exists; then each correction is also recorded
    there (see ``services.correct``)."""

    video = models.ForeignKey(VideoAnalysis, on_delete=models.CASCADE, related_name="corrections")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    before = models.JSONField()
    after = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"correction of {self.video_id} at {local_time(self.created_at)}"
