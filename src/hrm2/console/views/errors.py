"""The console's error pages: HTML in the console's look and the user's language.

Django's error handlers are site-wide; ``hrm2.error_pages`` sends a console URL here and every
other URL to the API's JSON envelope. A 404 or 403 page is the normal layout (navigation for a
signed-in user); the 500 page renders without the request, so a broken database or session
store cannot break the page that reports it.
"""

import logging

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from hrm2.api.errors import ApiError, BadRequest, Forbidden, NotFound, PayloadTooLarge
from hrm2.api.uploads import raise_if_refused
from hrm2.console.views.common import error_page

logger = logging.getLogger("hrm2.console")

PREFIX = "/console/"


def is_console(request) -> bool:
    return request.path.startswith(PREFIX)


def bad_request(request):
    return error_page(request, BadRequest())


def forbidden(request):
    return error_page(request, Forbidden())


def expired_form(request):
    """A POST without a valid CSRF token: most often a page left open past its session. An upload
    refused from its declared size was never read, token included: show why it was refused."""
    try:
        raise_if_refused(request)
    except PayloadTooLarge as refusal:
        return error_page(request, refusal)
    return error_page(
        request,
        Forbidden(detail=_("The form has expired. Go back, reload the page and try again.")),
    )


def not_found(request):
    return error_page(
        request,
        NotFound(
            _("Page not found"),
            detail=_("The address is wrong, or what it pointed to has been deleted."),
        ),
    )


def method_not_allowed(request, allowed: str = ""):
    """A URL that exists but not for this method (a GET on sign-out, which only POSTs)."""
    response = error_page(
        request,
        ApiError(
            _("Method not allowed"),
            detail=_(
                "This address does not accept this kind of request. Use the page's links, "
                "buttons and forms."
            ),
            status=405,
        ),
    )
    if allowed:
        response["Allow"] = allowed
    return response


def server_error(request):
    error = ApiError(
        _("Internal server error"),
        detail=_("Something went wrong on our side and it has been logged. Try again later."),
        status=500,
    )
    try:
        body = render_to_string("console/error.html", {"error": error})
    except Exception:  # the page about a fault must not fail itself
        logger.exception("the console's 500 page could not be rendered")
        body = f"<!doctype html><title>500</title><h1>500 · {error.message}</h1>"
    return HttpResponse(body, status=500)
