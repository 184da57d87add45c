from django.apps import AppConfig


class ResumesConfig(AppConfig):
    name = "hrm2.resumes"
    label = "resumes"
    verbose_name = "Resumes"

    def ready(self) -> None:
        from hrm2.api.field_labels import register_field_labels
        from hrm2.resumes.schemas import FIELD_LABELS

        register_field_labels(FIELD_LABELS)
