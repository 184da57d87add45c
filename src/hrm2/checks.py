"""``hrm2 check``: configuration that must not reach production."""

from django.conf import settings

from hrm2.settings import INSECURE_SECRET_PREFIX

MIN_SECRET_LENGTH = 50
KNOWN_BAD_SECRETS = {"changeme", "secret", "django-insecure", "dev", "test"}


def configuration_problems() -> list[str]:
    problems: list[str] = []
    if settings.HRM2_ENV != "production":
        return problems
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
    if settings.DEBUG:
        problems.append("HRM2_DEBUG must be off in production.")
    if "*" in settings.ALLOWED_HOSTS:
        problems.append("HRM2_ALLOWED_HOSTS must list the host names HRM2 is served under.")
    return problems
