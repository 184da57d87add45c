from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "hrm2.jobs"
    label = "jobs"
    verbose_name = "Jobs"

    def ready(self) -> None:
        from hrm2.api.field_labels import register_field_labels
        from hrm2.jobs.schemas import FIELD_LABELS

        register_field_labels(FIELD_LABELS)
