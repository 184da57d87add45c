from django.apps import AppConfig


class RecommendConfig(AppConfig):
    name = "hrm2.recommend"
    label = "recommend"
    verbose_name = "Final recommendation"

    def ready(self) -> None:
        from hrm2.recommend import tasks  # noqa: F401 - the job runner, in every process
