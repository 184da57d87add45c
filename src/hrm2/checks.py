"""``hrm2 check``: configuration that must not reach production.

``configuration_problems()`` (``hrm2 check``) refuses, when ``HRM2_ENV=production``, an insecure
secret key, debug mode and a wildcard host list. ``configuration_problems(deploy=True)``
(``hrm2 check --deploy``) judges the configuration as a deployment whatever ``HRM2_ENV`` says:
the same checks, plus HTTPS (redirect, secure cookies, HSTS, a trusted TLS proxy header) and
CORS (HRM2 ships no CORS middleware; if one is added, a wildcard origin with credentials is
refused).
"""

from django.conf import settings

from hrm2.settings import INSECURE_SECRET_PREFIX

MIN_SECRET_LENGTH = 50
MIN_HSTS_SECONDS = 180 * 24 * 3600
KNOWN_BAD_SECRETS = {"changeme", "secret", "django-insecure", "dev", "test"}


def _secret_problems() -> list[str]:
    problems = []
    key = settings.SECRET_KEY
    if (
        key.startswith((INSECURE_SECRET_PREFIX, "django-insecure"))
        or key.lower() in KNOWN_BAD_SECRETS
        or len(key) < MIN_SECRET_LENGTH
        or len(set(key)) < 10
    ):
        problems.append(
            f"HRM2_SECRET_KEY is missing or insecure: set a random value of at least "
            f"{MIN_SECRET_LENGTH} characters (for example: python -c "
            f"'import secrets; print(secrets.token_urlsafe(64))')."
        )
    if key != settings.JWT_SIGNING_KEY and len(settings.JWT_SIGNING_KEY) < 32:
        problems.append("HRM2_JWT_SIGNING_KEY is shorter than 32 characters.")
    return problems


def _https_problems() -> list[str]:
    problems = []
    if not settings.SECURE_SSL_REDIRECT:
        problems.append("HRM2_SECURE_SSL_REDIRECT must be on: plain HTTP must redirect to HTTPS.")
    if not settings.SESSION_COOKIE_SECURE:
        problems.append("HRM2_SESSION_COOKIE_SECURE must be on (session cookie over HTTPS only).")
    if not settings.CSRF_COOKIE_SECURE:
        problems.append("HRM2_CSRF_COOKIE_SECURE must be on (CSRF cookie over HTTPS only).")
    if settings.SECURE_HSTS_SECONDS < MIN_HSTS_SECONDS:
        problems.append(
            f"HRM2_HSTS_SECONDS must be at least {MIN_HSTS_SECONDS} "
            f"(Strict-Transport-Security); it is {settings.SECURE_HSTS_SECONDS}."
        )
    if settings.SECURE_SSL_REDIRECT and not settings.SECURE_PROXY_SSL_HEADER:
        problems.append(
            "HRM2_BEHIND_TLS_PROXY must be on: HRM2 serves plain HTTP behind a TLS proxy, and "
            "without the proxy's X-Forwarded-Proto every request would be redirected forever."
        )
    return problems


def _cors_problems() -> list[str]:
    """Only relevant if a CORS middleware (e.g. django-cors-headers) was added."""
    if not getattr(settings, "CORS_ALLOW_CREDENTIALS", False):
        return []
    origins = list(getattr(settings, "CORS_ALLOWED_ORIGINS", None) or [])
    if getattr(settings, "CORS_ALLOW_ALL_ORIGINS", False) or "*" in origins:
        return ["CORS allows every origin together with credentials: list the allowed origins."]
    return []


def configuration_problems(*, deploy: bool = False) -> list[str]:
    problems: list[str] = []
    if deploy and settings.HRM2_ENV != "production":
        problems.append("HRM2_ENV must be production for a deployment.")
    elif settings.HRM2_ENV != "production":
        return problems
    problems += _secret_problems()
    if settings.DEBUG:
        problems.append("HRM2_DEBUG must be off in production.")
    if "*" in settings.ALLOWED_HOSTS:
        problems.append("HRM2_ALLOWED_HOSTS must list the host names HRM2 is served under.")
    if deploy:
        problems += _https_problems() + _cors_problems()
    return problems
