from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "hrm2.jobs"
    label = "jobs"
    verbose_name = "Jobs"
