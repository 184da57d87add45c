"""Sign in and out of the console (a Django session; the API keeps JWT)."""

from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrm2.accounts import services as account_services
from hrm2.api.errors import ApiError
from hrm2.console.views.common import FormErrors, page, safe_next


def login(request):
    """The API's sign-in service (password check and per-address throttling), then a session."""
    if request.user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request, reverse("console:home")))
    errors = FormErrors()
    username = request.POST.get("username", "").strip()
    if request.method == "POST":
        password = request.POST.get("password", "")
        if not username:
            errors.add("username", _("This field is required."))
        if not password:
            errors.add("password", _("This field is required."))
        if not errors:
            try:
                account_services.login(
                    username=username,
                    password=password,
                    address=request.META.get("REMOTE_ADDR", "unknown"),
                )
            except ApiError as exc:
                errors.general.append(exc.detail if exc.status == 429 else exc.message)
            else:
                user = get_user_model().objects.get(username=username)
                auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect(safe_next(request, reverse("console:home")))
    status = 200 if not errors else 400
    return page(
        request,
        "console/login.html",
        {"errors": errors, "username": username, "next": request.GET.get("next", "")},
        status=status,
    )


@require_POST
def logout(request):
    auth_logout(request)
    return redirect("console:login")
