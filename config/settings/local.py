"""Developer machine: embedded SQLite under var/, e-mail printed to the console."""

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, env

DEBUG = env.bool("DEBUG", default=True)
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the task worker (`make run` starts both) share the embedded database: writers queue for
    # the lock (IMMEDIATE) and wait for each other rather than fail with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
# The demo logins (README) sign in with the password alone; set TWO_FACTOR_REQUIRED=1 to try the required set-up.
TWO_FACTOR_REQUIRED_FOR_OFFICIALS = env.bool("TWO_FACTOR_REQUIRED", default=False)

# `make run` makes a demo seal key (manage.py seal_demo_key, self-signed) so the demo's documents carry a seal.
_DEMO_SEAL = BASE_DIR / "var" / "demo-seal.p12"
PDF_SEAL_PKCS12_PATH = env("PDF_SEAL_PKCS12_PATH", default=str(_DEMO_SEAL) if _DEMO_SEAL.exists() else "")
