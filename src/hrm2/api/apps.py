from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "hrm2.api"
    label = "hrm2_api"
    verbose_name = "HRM2 API"

    def ready(self) -> None:
        from hrm2.i18n import compile_messages

        compile_messages()
