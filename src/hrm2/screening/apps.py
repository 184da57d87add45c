from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "hrm2.screening"
    label = "screening"
    verbose_name = "Screening"

    def ready(self) -> None:
        from hrm2.api.field_labels import register_field_labels
        from hrm2.audit import scorers
        from hrm2.screening import (  # noqa: F401 - job runner and audit receivers, every process
            receivers,
            review,
            tasks,
        )
        from hrm2.screening.schemas import FIELD_LABELS

        scorers.register(review.AUDIT_KIND, review.audit_scorer)
        register_field_labels(FIELD_LABELS)
