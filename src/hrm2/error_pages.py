"""Django's site-wide error handlers: the console answers HTML pages, everything else JSON.

An unknown URL, a refused request, a wrong method or a server fault reaches one of these,
whatever app it was meant for. Under ``/console/`` a person is reading, so they get the
console's page (``hrm2.console.views.errors``); elsewhere a client is, so it gets the API's error
envelope (``hrm2.api.views``). ``csrf_failure`` is ``CSRF_FAILURE_VIEW``: the API's views are
exempt from CSRF, so outside the console only Django's admin keeps Django's own page.
"""

from django.views import csrf

from hrm2.api import views as api
from hrm2.console.views import errors as console


def error_400(request, exception=None):
    return console.bad_request(request) if console.is_console(request) else api.error_400(request)


def error_403(request, exception=None):
    return console.forbidden(request) if console.is_console(request) else api.error_403(request)


def error_404(request, exception=None):
    return console.not_found(request) if console.is_console(request) else api.error_404(request)


def error_500(request):
    return console.server_error(request) if console.is_console(request) else api.error_500(request)


class MethodNotAllowedPageMiddleware:
    """Django has no handler for 405: ``require_POST`` answers an empty page. Under
    ``/console/`` give it the console's page; the API's 405 is already the envelope
    (``hrm2.api.middleware.JsonErrorPagesMiddleware``). Innermost, so the page knows the
    signed-in user and the language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and console.is_console(request) and not response.content:
            return console.method_not_allowed(request, response.get("Allow", ""))
        return response


def csrf_failure(request, reason=""):
    if console.is_console(request):
        return console.expired_form(request)
    return csrf.csrf_failure(request, reason)
