from ninja import Field, Schema


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
