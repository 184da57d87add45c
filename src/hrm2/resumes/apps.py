from django.apps import AppConfig


class ResumesConfig(AppConfig):
    name = "hrm2.resumes"
    label = "resumes"
    verbose_name = "Resumes"
