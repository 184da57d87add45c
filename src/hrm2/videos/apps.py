from django.apps import AppConfig


class VideosConfig(AppConfig):
    name = "hrm2.videos"
    label = "videos"
    verbose_name = "Videos"

    def ready(self) -> None:
        from hrm2.api.field_labels import register_field_labels
        from hrm2.videos import tasks  # noqa: F401 - registers the job runner in every process
        from hrm2.videos.schemas import FIELD_LABELS

        register_field_labels(FIELD_LABELS)
