"""An interview video of a candidate. The analysis pipeline (features, signals, Big Five
impressions, fraud score) builds on this record; a resume links to at most one video."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrm2.resumes.models import Resume


class VideoAnalysis(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        PROCESSING = "processing", _("Processing")
        COMPLETED = "completed", _("Completed")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    candidate_name = models.CharField(max_length=200, db_index=True)
    position_applied = models.CharField(max_length=200, db_index=True)
    # One-to-one: a resume has at most one video and a video at most one resume.
    resume = models.OneToOneField(
        Resume, null=True, blank=True, on_delete=models.SET_NULL, related_name="video"
    )
    video_name = models.CharField(max_length=255, blank=True)
    video_file = models.FileField(upload_to="videos/%Y/%m/", blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.candidate_name} ({self.video_name or self.pk})"
