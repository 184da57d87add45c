"""/auth/: sign in, refresh a token, and who am I; /users/: people HR can assign work to."""

from ninja import Query, Router
from ninja.pagination import paginate

from hrm2.accounts import selectors, services
from hrm2.accounts.schemas import (
    AssignableUserFilters,
    AssignableUserOut,
    LoginIn,
    MeOut,
    RefreshIn,
    TokenOut,
)
from hrm2.api.auth import Role, require, user_role

router = Router(tags=["auth"])
users_router = Router(tags=["users"], auth=require(Role.HR))


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


@users_router.get("/assignable/", response=list[AssignableUserOut])
@paginate
def assignable_users(request, filters: Query[AssignableUserFilters]):
    """Active users who may review documents (reviewer, hr, admin): id, name and role only."""
    return selectors.assignable_users(search=filters.search, role=filters.role)
