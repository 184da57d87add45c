from django.apps import AppConfig


class PositionsConfig(AppConfig):
    name = "hrm2.positions"
    label = "positions"
    verbose_name = "Positions"

    def ready(self) -> None:
        from hrm2.api.field_labels import register_field_labels
        from hrm2.positions.schemas import FIELD_LABELS

        register_field_labels(FIELD_LABELS)
