"""Settings shared by every environment; values that differ come from the environment."""

from datetime import timedelta
from pathlib import Path

import environ

from config.storage import private_file_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # full-text search lookups (used only on PostgreSQL; SQLite falls back)
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "auditlog",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "organisations",
    "programmes",
    "consultations",
    "grants",
    "reports",
    "programmes.imports",
    "accounts.notifications",
    "grants.correspondence",
    "grants.signatures",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # /<authority slug>/… is that authority's public space (config/tenancy.py).
    "config.tenancy.AuthorityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Axes must come last so that it sees the final response of a failed login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "config.tenancy.context",
            ],
            "builtins": ["reports.templatetags.formatting", "config.badges", "config.links"],
            "libraries": {"fields": "config.fields"},
        },
    }
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.NotBlankPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

# Two-factor sign-in (TOTP + backup codes, django-otp): required for office staff, deciders, commission members
# and superusers; optional for NGO members. Off in config.settings.local so the demo logins work with a password.
TWO_FACTOR_REQUIRED_FOR_OFFICIALS = env.bool("TWO_FACTOR_REQUIRED", default=True)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Portal współpracy")
# Changing a bank account, deciding awards, publishing results and signing ask for the password (or a code)
# unless it was typed within this many seconds.
REAUTHENTICATION_MAX_AGE = env.int("REAUTHENTICATION_MAX_AGE", default=10 * 60)

# Login lockout: a failure counts against the pair (e-mail, IP address), so one
# NGO's typos never lock out another person, not even one behind the same NAT.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Counted under the address as login reads it (trimmed, lower case), so case variants share one counter.
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0)

# Anonymous forms: (attempts, seconds) per visitor's address, counted in the database (accounts.ratelimit) so
# that every worker sees the same count; "-target" limits count per e-mail address the form would write to.
RATE_LIMITS = {
    "small-grant-comment": (5, 3600),
    "justification-request": (5, 3600),
    "sign-up": (10, 3600),
    "password-reset": (10, 3600),
    "password-reset-target": (3, 3600),
    # "Pobierz dane z KRS" asks the Ministry's register: a person may not make the portal flood it.
    "krs-lookup": (30, 3600),
    "subscription": (10, 3600),
    "subscription-target": (3, 3600),
    "document-verify": (30, 3600),
}

# Request size: the largest upload is a 10 MB attachment; anything bigger is refused with 413 before the body
# is read (config.middleware.RequestSizeLimitMiddleware). Set the reverse proxy's limit to the same value.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=12 * 1024 * 1024)
# Form fields without files: at most 5 MB in memory (the offer form with every row is far below it).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploaded files above 2.5 MB are streamed to a temporary file, not held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", "polski")]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files are private: never under STATIC_ROOT and never served by a URL of their own.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "private")
# Attachments and generated PDFs: the local filesystem (MEDIA_ROOT), or an S3-compatible bucket when S3_BUCKET is
# set (config/storage.py). Either way they are private and served only through permission-checked views.
STORAGES = {
    "default": private_file_storage(env),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Background work (PDFs and e-mails after a submission): django-tasks with its database backend on the portal's
# own database; `manage.py db_worker` runs the queue (beside the web server in `make run`, as separate processes
# on as many machines as needed in production).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Bounds on any one PDF (reports/pdf.py): the HTML it is laid out from, and the time layout may take in a worker.
PDF_MAX_HTML_CHARS = env.int("PDF_MAX_HTML_CHARS", default=4_000_000)
PDF_MAX_SECONDS = env.int("PDF_MAX_SECONDS", default=60)
# The portal's electronic seal on the PDFs it issues (signatures/seal.py): a PKCS#12 file and its password, and an
# optional RFC 3161 timestamp server. Without a key, documents are issued unsealed and say so.
PDF_SEAL_PKCS12_PATH = env("PDF_SEAL_PKCS12_PATH", default="")
PDF_SEAL_PKCS12_PASSWORD = env("PDF_SEAL_PKCS12_PASSWORD", default="")
PDF_SEAL_TSA_URL = env("PDF_SEAL_TSA_URL", default="")
PDF_SEAL_LOCATION = env("PDF_SEAL_LOCATION", default="")
# Signed documents uploaded by organisations and the office (signatures/verification.py): a directory of trusted CA
# certificates (PEM or DER: the national list of qualified trust service providers, the trusted-profile CA). Empty:
# signatures are checked, chains are reported as "not checked".
SIGNATURE_TRUST_DIR = env("SIGNATURE_TRUST_DIR", default="")
SIGNED_UPLOAD_MAX_BYTES = env.int("SIGNED_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Inputs, text areas and selects written in Python, not three templates deep each (config/renderers.py).
FORM_RENDERER = "config.renderers.FastRenderer"

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Portal współpracy <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content Security Policy: everything is served from this origin; no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

AUDITLOG_INCLUDE_ALL_MODELS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    # pyHanko logs every certificate path it cannot build (an untrusted signer) as a warning with a traceback; the
    # portal reports that on the signed copy itself.
    "loggers": {"pyhanko": {"level": "ERROR"}, "pyhanko_certvalidator": {"level": "ERROR"}},
}

# Contact shown when someone tries to register an organisation that already has an account.
PORTAL_CONTACT_EMAIL = env("PORTAL_CONTACT_EMAIL", default="ngo@urzad.example.pl")
# Host names that serve one authority's public space without a path prefix (config/tenancy.py), e.g.
# AUTHORITY_HOSTS=ngo.powiat-kozielski.pl=powiat-kozielski,ngo.zbojno.pl=zbojno (each host also in ALLOWED_HOSTS).
AUTHORITY_HOSTS = {
    host.strip().lower(): slug.strip()
    for host, _sep, slug in (item.partition("=") for item in env.list("AUTHORITY_HOSTS", default=[]))
    if host and slug
}
# The portal's address for links in e-mails sent outside a request (management commands such as reminders).
# The public KRS API (Ministry of Justice): the current extract of an organisation by KRS number.
KRS_API_URL = env("KRS_API_URL", default="https://api-krs.ms.gov.pl/api/krs").rstrip("/")
KRS_API_TIMEOUT = env.float("KRS_API_TIMEOUT", default=5.0)
# An extract younger than this is reused before an agreement instead of asking the register again.
KRS_REFRESH_HOURS = env.int("KRS_REFRESH_HOURS", default=24)
# Daily digests of notifications and deadline reminders go out from ``manage.py send_notifications`` (cron, daily
# at this hour); reminders come this many days before each deadline.
NOTIFICATION_DIGEST_HOUR = 7
REMINDER_DAYS_BEFORE = env.int("REMINDER_DAYS_BEFORE", default=3)
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
DIRECTORY_PAGE_SIZE = 25
