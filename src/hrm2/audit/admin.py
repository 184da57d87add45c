"""Django admin views of the audit records, read-only: every change goes through
``audit.services`` so that it writes its event."""

from django.contrib import admin

from hrm2.audit.models import (
    AuditEvent,
    AuditStatus,
    CrossReviewTask,
    Document,
    EvaluationPoint,
    EvaluationResult,
    TaskDocument,
    TaskParticipant,
)


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EvaluationResultInline(ReadOnly, admin.TabularInline):
    model = EvaluationResult
    extra = 0
    fields = ("point", "machine_result", "machine_score", "final_result", "final_score", "status")


@admin.register(Document)
class DocumentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("id", "kind", "title", "uploader", "audit_status", "final_total", "created_at")
    list_filter = ("kind", "audit_status")
    search_fields = ("title", "source_id", "position_ref")
    inlines = [EvaluationResultInline]


@admin.register(EvaluationPoint)
class EvaluationPointAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("id", "checklist", "name", "category", "max_score", "is_veto")
    list_filter = ("category", "is_veto")
    search_fields = ("name", "checklist")


@admin.register(AuditStatus)
class AuditStatusAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("id", "user", "document", "result", "edit_audit_status", "created_at")


class TaskParticipantInline(ReadOnly, admin.TabularInline):
    model = TaskParticipant
    extra = 0


class TaskDocumentInline(ReadOnly, admin.TabularInline):
    model = TaskDocument
    extra = 0


@admin.register(CrossReviewTask)
class CrossReviewTaskAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("id", "name", "status", "created_by", "created_at")
    list_filter = ("status",)
    inlines = [TaskParticipantInline, TaskDocumentInline]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("id", "created_at", "actor_name", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")
