from django.apps import AppConfig


class RecommendConfig(AppConfig):
    name = "hrm2.recommend"
    label = "recommend"
    verbose_name = "Final recommendation"

    def ready(self) -> None:
        from hrm2.api.field_labels import register_field_labels
        from hrm2.recommend import tasks  # noqa: F401 - the job runner, in every process
        from hrm2.recommend.schemas import FIELD_LABELS

        register_field_labels(FIELD_LABELS)
