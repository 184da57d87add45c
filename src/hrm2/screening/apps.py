from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "hrm2.screening"
    label = "screening"
    verbose_name = "Screening"

    def ready(self) -> None:
        from hrm2.screening import tasks  # noqa: F401 - registers the job runner in every process
