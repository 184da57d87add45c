from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hrm2.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from hrm2.accounts.schemas import FIELD_LABELS
        from hrm2.api.auth import forget_cached_user
        from hrm2.api.field_labels import register_field_labels

        user_model = get_user_model()
        post_save.connect(forget_cached_user, sender=user_model, dispatch_uid="hrm2-user-cache")
        post_delete.connect(forget_cached_user, sender=user_model, dispatch_uid="hrm2-user-del")
        register_field_labels(FIELD_LABELS)
