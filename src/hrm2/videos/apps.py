from django.apps import AppConfig


class VideosConfig(AppConfig):
    name = "hrm2.videos"
    label = "videos"
    verbose_name = "Videos"

    def ready(self) -> None:
        from hrm2.videos import tasks  # noqa: F401 - registers the job runner in every process
