from typing import Literal

from django.utils.translation import gettext_lazy
from ninja import Field, Schema

from hrm2.accounts import selectors

# The words validation messages use for these fields (registered in apps.py).
FIELD_LABELS = {
    "username": gettext_lazy("Username"),
    "password": gettext_lazy("Password"),
    "refresh": gettext_lazy("Refresh token"),
    "search": gettext_lazy("Search"),
    "role": gettext_lazy("Role"),
}


class LoginIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=1024)


class RefreshIn(Schema):
    refresh: str = Field(..., min_length=1, max_length=4096)


class TokenOut(Schema):
    access: str
    refresh: str
    token_type: str
    expires_in: int


class MeOut(Schema):
    id: int
    username: str
    email: str
    role: str
    roles: list[str]
    is_active: bool


class AssignableUserFilters(Schema):
    search: str | None = Field(None, max_length=100, description="name contains (any part)")
    role: Literal["reviewer", "hr", "admin"] | None = None


class AssignableUserOut(Schema):
    """Only what is needed to pick a person: no e-mail or other personal fields."""

    id: int
    name: str
    role: str
    role_label: str

    @staticmethod
    def resolve_name(obj) -> str:
        return selectors.display_name(obj)

    @staticmethod
    def resolve_role(obj) -> str:
        return selectors.user_role(obj)

    @staticmethod
    def resolve_role_label(obj) -> str:
        return selectors.role_label(obj)
