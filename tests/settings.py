"""Settings for the test suite: HRM2's own settings with an isolated var dir and fast hashing.

``HRM2_TEST_DATABASE_URL`` / ``HRM2_TEST_BROKER_URL`` switch the suite to PostgreSQL / Redis.
"""

import os
import tempfile

os.environ.setdefault("HRM2_VAR_DIR", tempfile.mkdtemp(prefix="hrm2-test-"))
if os.environ.get("HRM2_TEST_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["HRM2_TEST_DATABASE_URL"]
if os.environ.get("HRM2_TEST_BROKER_URL"):
    os.environ["CELERY_BROKER_URL"] = os.environ["HRM2_TEST_BROKER_URL"]
os.environ.setdefault("HRM2_CELERY_EAGER", "1")

from hrm2.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
