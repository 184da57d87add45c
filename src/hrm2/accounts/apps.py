from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hrm2.accounts"
    label = "accounts"
    verbose_name = "Accounts"
