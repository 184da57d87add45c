from django.apps import AppConfig


class RecommendConfig(AppConfig):
    name = "hrm2.recommend"
    label = "recommend"
    verbose_name = "Final recommendation"
