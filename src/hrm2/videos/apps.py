from django.apps import AppConfig


class VideosConfig(AppConfig):
    name = "hrm2.videos"
    label = "videos"
    verbose_name = "Videos"
