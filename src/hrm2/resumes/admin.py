from django.contrib import admin

from hrm2.resumes.models import Resume, ResumeGroup


@admin.register(Resume)
class ResumeAdmin(admin.ModelAdmin):
    list_display = ("candidate_name", "position", "status", "latest_score", "created_at")
    list_filter = ("status",)
    search_fields = ("candidate_name",)
    raw_id_fields = ("position", "group", "uploaded_by")


@admin.register(ResumeGroup)
class ResumeGroupAdmin(admin.ModelAdmin):
    list_display = ("group_name", "position", "status", "created_at")
    list_filter = ("status",)
