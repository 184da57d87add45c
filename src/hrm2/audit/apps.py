from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "hrm2.audit"
    label = "audit"
    verbose_name = "Evaluation audit"
