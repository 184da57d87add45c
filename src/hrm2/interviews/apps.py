from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "hrm2.interviews"
    label = "interviews"
    verbose_name = "Interview assistant"
