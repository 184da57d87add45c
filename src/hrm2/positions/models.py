"""A position and the versions of its recruitment criteria.

Criteria versions are never updated or deleted: screening records the version it used, so a
report can always be explained against the criteria that were in force at the time.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

EDUCATION_LEVELS = ("大专", "本科", "硕士", "博士")


class Position(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=200)
    department = models.CharField(_("department"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    latest_version = models.ForeignKey(
        "CriteriaVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="positions_created",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The most recently saved active position is the "current" one (GET /position-settings/).
    saved_at = models.DateTimeField(db_index=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-saved_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("title"),
                condition=models.Q(is_active=True),
                name="position_unique_active_title",
            )
        ]
        indexes = [models.Index(fields=["is_active", "-saved_at"], name="position_active_saved")]

    def __str__(self) -> str:
        return self.title


class CriteriaVersion(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    criteria = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["position", "number"], name="criteria_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.position_id} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("criteria versions are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("criteria versions are immutable")
