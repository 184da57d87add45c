"""What every console page shares: sign-in and role checks, service errors shown as pages or
next to form fields, pagination, and rendering with the navigation context.

The console calls the same services and selectors as the API; the only rules here are the
API's own role rules (``has_role``) applied before a page or an action runs.
"""

from collections.abc import Callable, Iterable
from contextlib import contextmanager
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from pydantic import ValidationError as PydanticValidationError

from hrm2.api.auth import Role, has_role, user_role
from hrm2.api.errors import ApiError, Forbidden, NotFound, ValidationFailed

PAGE_SIZE = 20
WRITERS = (Role.HR,)  # the API's WRITERS: hr (and admin, who may do everything)


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def page(request, template: str, context: dict[str, Any] | None = None, status: int = 200):
    """Render ``template`` with what the layout needs: the user's role and write rights."""
    user = request.user
    parts = request.path.split("/")
    section = parts[2] if len(parts) > 2 else ""
    base = {
        "nav": "upload" if request.path.endswith("/resumes/upload/") else section,
        "role": user_role(user) if user.is_authenticated else "",
        "can_write": user.is_authenticated and has_role(user, *WRITERS),
    }
    return render(request, template, {**base, **(context or {})}, status=status)


def error_page(request, exc: ApiError):
    return page(request, "console/error.html", {"error": exc}, status=exc.status)


def console_view(*, read: Iterable[str] = (), write: Iterable[str] | None = WRITERS) -> Callable:
    """Signed-in users only (others go to the sign-in page); ``read`` limits who may open the
    page (empty: every role), ``write`` who may POST (None: the services check per object).
    ``Forbidden``/``NotFound`` raised by a selector or service become a 403/404 page."""
    read, write = tuple(read), None if write is None else tuple(write)

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("console:login"))
            try:
                if read and not has_role(request.user, *read):
                    raise Forbidden()
                posting = request.method == "POST" and write is not None
                if posting and not has_role(request.user, *write):
                    raise Forbidden()
                return view(request, *args, **kwargs)
            except (Forbidden, NotFound) as exc:
                return error_page(request, exc)

        return wrapped

    return decorate


def paginate(request, items, *, param: str = "page", per_page: int = PAGE_SIZE, query=None):
    """One page of ``items``; a missing, bad or too large page number shows the nearest page.
    ``query``: the parameters to read instead of the request's own (a page shown again after a
    form posted elsewhere failed)."""
    return Paginator(items, per_page).get_page((request.GET if query is None else query).get(param))


def query_without(request, *names: str, query=None) -> str:
    """The query string minus ``names`` (for pagination links that keep filters)."""
    query = (request.GET if query is None else query).copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


class FormErrors:
    """Service errors sorted by form field: ``errors.for_field("position")`` and the rest."""

    PREFIXES = ("body", "form", "query", "path")

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}
        self.general: list[str] = []

    def __bool__(self) -> bool:
        return bool(self.fields or self.general)

    def add(self, field: str | None, message: str) -> None:
        if field:
            self.fields.setdefault(field, []).append(message)
        else:
            self.general.append(message)

    def add_api_error(self, exc: ApiError) -> None:
        if not exc.errors:
            self.general.append(exc.detail if exc.detail != exc.message else exc.message)
            return
        for item in exc.errors:
            loc = [str(p) for p in item.get("loc", []) if str(p) not in self.PREFIXES]
            self.add(".".join(p for p in loc if not p.isdigit()) or None, item.get("msg", ""))
        if exc.status != 422 and exc.message not in self.general:
            self.general.insert(0, exc.message)

    def add_pydantic(self, exc: PydanticValidationError) -> None:
        self.add_api_error(ValidationFailed.from_pydantic(exc))

    @contextmanager
    def collecting(self, *, passing: tuple[int, ...] = (403, 404)):
        """Collect the validation and service errors of a form's block; ``passing`` statuses
        (not allowed, not found) go on to the console's error pages."""
        try:
            yield self
        except PydanticValidationError as exc:
            self.add_pydantic(exc)
        except ApiError as exc:
            if exc.status in passing:
                raise
            self.add_api_error(exc)

    def get(self, name: str) -> list[str]:
        return self.fields.get(name, [])

    def messages(self) -> list[str]:
        """Every message, the general ones first (for a page that can only flash them)."""
        return [*self.general, *(m for items in self.fields.values() for m in items)]


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
