from django.apps import AppConfig


class PositionsConfig(AppConfig):
    name = "hrm2.positions"
    label = "positions"
    verbose_name = "Positions"
