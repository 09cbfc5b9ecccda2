"""Test run: PostgreSQL when DATABASE_URL is set, otherwise an SQLite file; mail kept in memory."""

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, env

if "DATABASE_URL" not in env:
    DATABASES["default"] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "var" / "test.sqlite3",
        "TEST": {"NAME": BASE_DIR / "var" / "test.sqlite3"},
    }
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "var" / "test-private"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Tasks run at once, inside the test (after commit, as the database backend's worker would run them).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Off by default so that tests of other features sign in as before; tests of two-factor sign-in and
# re-authentication switch these on with the ``settings`` fixture.
TWO_FACTOR_REQUIRED_FOR_OFFICIALS = False
REAUTHENTICATION_MAX_AGE = 100 * 365 * 24 * 3600
# No test reaches the real register: a closed local port answers at once (tests of the client start a fake server).
KRS_API_URL = "http://127.0.0.1:9/api/krs"
KRS_API_TIMEOUT = 2.0
