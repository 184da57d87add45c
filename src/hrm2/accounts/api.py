"""/auth/: sign in, refresh a token, and who am I."""

from ninja import Router

from hrm2.accounts import services
from hrm2.accounts.schemas import LoginIn, MeOut, RefreshIn, TokenOut
from hrm2.api.auth import require, user_role

router = Router(tags=["auth"])


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


@router.post("/login/", response=TokenOut, auth=None)
def login(request, payload: LoginIn):
    return services.login(
        username=payload.username, password=payload.password, address=_client_address(request)
    )


@router.post("/refresh/", response=TokenOut, auth=None)
def refresh(request, payload: RefreshIn):
    return services.refresh(refresh_token=payload.refresh)


@router.get("/me/", response=MeOut, auth=require())
def me(request):
    user = request.auth
    return {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "role": user_role(user),
        "roles": user.roles,
        "is_active": user.is_active,
    }
