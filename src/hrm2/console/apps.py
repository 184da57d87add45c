from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "hrm2.console"
    label = "console"
    verbose_name = "Console"
