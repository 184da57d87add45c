from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from hrm2.jobs.models import Job, WorkerHeartbeat
from hrm2.jobs.vocabulary import job_kind_label, job_status_label


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "kind_words", "status_words", "progress", "attempts", "created_at",
                    "finished_at")  # fmt: skip
    list_filter = ("kind", "status")
    readonly_fields = [f.name for f in Job._meta.fields]

    @admin.display(description=_("Kind"), ordering="kind")
    def kind_words(self, job: Job) -> str:
        return job_kind_label(job.kind)

    @admin.display(description=_("Status"), ordering="status")
    def status_words(self, job: Job) -> str:
        return job_status_label(job.status)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("hostname", "pid", "started_at", "last_seen")
