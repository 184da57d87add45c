from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "hrm2.interviews"
    label = "interviews"
    verbose_name = "Interview assistant"

    def ready(self) -> None:
        from hrm2.api.field_labels import register_field_labels
        from hrm2.audit import scorers
        from hrm2.interviews import review
        from hrm2.interviews.schemas import FIELD_LABELS

        scorers.register(review.AUDIT_KIND, review.audit_scorer)
        register_field_labels(FIELD_LABELS)
