from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "hrm2.audit"
    label = "audit"
    verbose_name = "Evaluation audit"

    def ready(self) -> None:
        from hrm2.api.field_labels import register_field_labels
        from hrm2.audit.schemas import FIELD_LABELS

        register_field_labels(FIELD_LABELS)
