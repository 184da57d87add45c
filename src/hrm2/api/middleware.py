"""Django middleware that keeps the API contract outside ninja's reach.

Unknown URLs, wrong methods and oversized bodies never reach a ninja operation, so these
middlewares give them the same JSON envelope; they also give every request an id and accept
paths with or without the trailing slash without redirecting. Django's session, auth and messages
middlewares run for the pages that sign in with a session (admin, console) only.
"""

import logging
import re
import time
import uuid

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _

from hrm2.api import uploads
from hrm2.api.envelope import error_response
from hrm2.api.logging import request_id_var

access_log = logging.getLogger("hrm2.access")
REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Paths that legitimately answer with HTML (Django admin, static files, the console).
HTML_PREFIXES = ("/django-admin/", "/static/", "/console/", "/api/docs")
# Paths whose pages sign in with a session cookie (Django's session, auth and messages).
SESSION_PREFIXES = ("/django-admin/", "/console/")


class RequestIdMiddleware:
    """Give every request an id (echoed in ``X-Request-ID`` and every log line) and write the
    access log: method and path only, never the query string (filters carry candidates' names),
    headers (Authorization) or cookies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
            if access_log.isEnabledFor(logging.INFO):
                access_log.info(
                    '%s "%s %s %s" %s %s %.1fms',
                    request.META.get("REMOTE_ADDR", "-"),
                    request.method,
                    request.path,
                    request.META.get("SERVER_PROTOCOL", "-"),
                    response.status_code,
                    "-" if response.streaming else len(response.content),
                    (time.perf_counter() - started) * 1000,
                )
        finally:
            request_id_var.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


def _status_message(status: int) -> str:
    messages = {
        400: _("Bad request"),
        401: _("Authentication required"),
        403: _("You do not have permission to do this"),
        404: _("Not found"),
        405: _("Method not allowed"),
        413: _("Request body too large"),
        415: _("Unsupported content type"),
    }
    if status >= 500:
        return _("Internal server error")
    return messages.get(status, _("Request failed"))


class JsonErrorPagesMiddleware:
    """Replace any non-JSON error page (404, 405, CSRF 403, 500) with the error envelope."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400 or request.path.startswith(HTML_PREFIXES):
            return response
        content_type = response.get("Content-Type", "")
        if content_type.startswith("application/json"):
            return response
        replacement = error_response(response.status_code, _status_message(response.status_code))
        if response.status_code == 405 and response.has_header("Allow"):
            replacement["Allow"] = response["Allow"]
        return replacement


class BodySizeLimitMiddleware:
    """Answer 413 from Content-Length before anything reads the body.

    A path in ``UPLOAD_LIMITS`` gets its own limits (``hrm2.api.uploads``): the declared size
    against all its files, and each file as it streams. A console page gets the refusal on the
    request, to show in its form, instead of the JSON envelope."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(400, _("Bad request"), _("Invalid Content-Length header"))
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data")
        upload = uploads.limit_for(request.path_info) if multipart else None
        if upload is not None:
            if length > upload.request_bytes:
                if request.path_info.startswith(HTML_PREFIXES):
                    uploads.refuse_without_reading(request, upload, length)
                    return self.get_response(request)
                # Before LocaleMiddleware: the message takes the request's language itself.
                with translation.override(translation.get_language_from_request(request)):
                    refusal = uploads.declared_too_large(upload, length)
                    return error_response(refusal.status, refusal.message, refusal.detail)
            else:
                request.upload_handlers.insert(0, uploads.FileSizeLimitHandler(request, upload))
            return self.get_response(request)
        limit = settings.MAX_UPLOAD_BODY_BYTES if multipart else settings.MAX_JSON_BODY_BYTES
        if length > limit:
            return error_response(
                413,
                _("Request body too large"),
                _("The limit for this kind of request is %(mb)d MB")
                % {"mb": limit // (1024 * 1024)},
            )
        return self.get_response(request)


class OptionalTrailingSlashMiddleware:
    """Serve ``/x`` as ``/x/`` (and the reverse) when only the other form exists, and an aliased
    prefix (``API_PATH_ALIASES``) as its canonical one; never a redirect."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.aliases = getattr(settings, "API_PATH_ALIASES", {})

    def __call__(self, request):
        response = self.get_response(request)
        # Only a path that resolved to nothing (no resolver_match) is respelled: resolving every
        # path up front would resolve each request twice.
        path = request.path_info
        if response.status_code != 404 or request.resolver_match is not None or path == "/":
            return response
        for candidate in _spellings(path, self.aliases):
            if _resolves(candidate):
                request.path_info = candidate
                request.path = request.path[: len(request.path) - len(path)] + candidate
                return self.get_response(request)
        return response


def _spellings(path: str, aliases: dict[str, str]) -> list[str]:
    """Other spellings of ``path`` to try: with/without the trailing slash, aliased prefixes."""
    slashed = path if path.endswith("/") else path + "/"
    bases = [slashed] + [
        canonical + slashed[len(alias) :]
        for alias, canonical in aliases.items()
        if slashed.startswith(alias)
    ]
    candidates = [c for base in bases for c in (base, base.rstrip("/") or "/")]
    return [c for c in candidates if c != path]


def _resolves(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


class _SessionPagesOnly:
    """Run a Django middleware for the session-signed pages only (``SESSION_PREFIXES``).

    The API authenticates every request by its JWT and never reads a session, ``request.user``
    before its own auth, or messages; these three middlewares cost each API request 0.04–0.08
    ms for nothing. Subclasses keep Django's checks for the admin satisfied. (CSRF stays
    Django's own middleware everywhere: the API's views are exempt, and the deploy checks look
    for it by name.)
    """

    def __call__(self, request):
        if request.path_info.startswith(SESSION_PREFIXES):
            return super().__call__(request)
        return self.get_response(request)


class SessionPagesSessionMiddleware(_SessionPagesOnly, SessionMiddleware):
    pass


class SessionPagesAuthenticationMiddleware(_SessionPagesOnly, AuthenticationMiddleware):
    pass


class SessionPagesMessageMiddleware(_SessionPagesOnly, MessageMiddleware):
    pass
