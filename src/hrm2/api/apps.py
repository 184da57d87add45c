from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "hrm2.api"
    label = "hrm2_api"
    verbose_name = "HRM2 API"

    def ready(self) -> None:
        import gettext

        from django.utils.translation import trans_real

        from hrm2.i18n import compile_messages

        if compile_messages():
            # Loading the models already read (and cached) the catalogues; drop the stale copy.
            # Python's gettext caches each .mo by path too, so both caches are dropped.
            gettext._translations.clear()
            trans_real._translations = {}
            trans_real._default = None
