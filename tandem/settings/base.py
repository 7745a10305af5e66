"""Settings shared by every environment, read from environment variables with safe defaults.

Environment variables
---------------------
``SECRET_KEY``            required in production; dev/test use a fixed throwaway key.
``DATABASE_URL``          e.g. ``postgres://postgres@127.0.0.1:5432/tandem``; default SQLite file.
``ALLOWED_HOSTS``         comma separated host names.
``CSRF_TRUSTED_ORIGINS``  comma separated origins (``https://tandem.example.org``).
``EMAIL_BACKEND``         Django e-mail backend path; default console backend.
``EMAIL_HOST`` / ``EMAIL_PORT`` / ``EMAIL_HOST_USER`` / ``EMAIL_HOST_PASSWORD`` /
``EMAIL_USE_TLS``         SMTP settings when ``EMAIL_BACKEND`` is the SMTP backend.
``DEFAULT_FROM_EMAIL``    sender address of every program e-mail.
``MEDIA_ROOT``            where uploads are stored (local file storage).
``TANDEM_BASE_URL``       absolute address used in e-mails (``https://tandem.example.org``).
``TANDEM_CONTACT_EMAIL``  the program's contact address shown in refusals (info@datacite.org).
``TANDEM_SYNC_MATCH_LIMIT``  accepted participants up to which a match runs in the request
                          (default 200); a larger match is a task of the tasks framework.
``TRUSTED_PROXY_COUNT``   how many reverse proxies in front of the app append to
                          ``X-Forwarded-For`` (0: the client is ``REMOTE_ADDR``); used by the
                          login lockout and the e-mail throttles to tell clients apart.
``LOGIN_FAILURE_LIMIT`` / ``LOGIN_LOCKOUT_MINUTES``  wrong passwords (per account and client)
                          before sign-in is refused, and for how long (default 5, 15).
``TANDEM_RESOURCE_MAX_BYTES``  largest file of the resource library (default 25 MB).
``TANDEM_RESOURCES_S3_BUCKET`` (+ ``_ENDPOINT_URL``, ``_REGION``, ``_ACCESS_KEY_ID``,
``_SECRET_ACCESS_KEY``, ``_PREFIX``)  keep library files in an S3-compatible bucket.
"""

import datetime as dt
import os
from pathlib import Path

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from tandem.settings.database import database_from_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # First: its registration/ templates (sign-in, password reset) take precedence over the
    # admin's look-alikes of the same names.
    "tandem.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # SearchVectorField and full-text search of the resource library (on PostgreSQL).
    "django.contrib.postgres",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "django_countries",
    "tandem.core",
    "tandem.notifications",
    "tandem.calendars",
    "tandem.members",
    "tandem.cohorts",
    "tandem.applications",
    "tandem.partnerships",
    "tandem.resources",
    "tandem.meetings",
    "tandem.workshops",
    "tandem.api",
    "tandem.home",
    "tandem.demo",
    "django_tasks_db",
    # Serves django-ninja's bundled Swagger UI from /static/ninja/ (no CDN) for /api/docs.
    "ninja",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "tandem.accounts.throttle.ClientMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After the session (it reads the language chosen there), before CommonMiddleware (which may
    # redirect, and whose responses should already speak the language).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tandem.core.middleware.RejectNulMiddleware",
    "tandem.core.middleware.UserTimezoneMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tandem.urls"
WSGI_APPLICATION = "tandem.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tandem" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tandem.core.context_processors.tandem",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        prepared_statements=env_bool("DATABASE_PREPARED_STATEMENTS", True),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses any sign-in (site or admin) while the account+client is locked out.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Model permissions (the back office) for staff only: see tandem.accounts.backends.
    "tandem.accounts.backends.BackOfficeModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Born translatable: every interface string and e-mail goes through gettext. The languages a
# visitor can get (from their browser's Accept-Language); English only until a translation
# ships. Adding one: an entry here, then `python manage.py makemessages -l <code>`, translate
# tandem/locale/<code>/LC_MESSAGES/django.po, `python manage.py compilemessages`.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "tandem" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "tandem" / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Files browsers and crawlers ask for at the site's root (/favicon.ico), served by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "tandem" / "public"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def resources_storage_from_env() -> dict:
    """The resource library's file storage: local files under MEDIA_ROOT/resources (never
    served at MEDIA_URL), or an S3-compatible bucket when ``TANDEM_RESOURCES_S3_BUCKET`` is set
    (django-storages; private objects, read back only by Tandem's permission-checked views)."""
    bucket = os.environ.get("TANDEM_RESOURCES_S3_BUCKET", "")
    if not bucket:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": MEDIA_ROOT / "resources", "base_url": None},
        }
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("TANDEM_RESOURCES_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("TANDEM_RESOURCES_S3_REGION") or None,
            "access_key": os.environ.get("TANDEM_RESOURCES_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("TANDEM_RESOURCES_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("TANDEM_RESOURCES_S3_PREFIX", "resources"),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }


STORAGES["resources"] = resources_storage_from_env()
# The resource library: largest upload accepted, and up to which size an upload's text is
# extracted in the request (larger files: a task of the tasks framework).
TANDEM_RESOURCE_MAX_BYTES = int(os.environ.get("TANDEM_RESOURCE_MAX_BYTES", 25 * 1024 * 1024))
TANDEM_RESOURCE_SYNC_EXTRACT_BYTES = int(
    os.environ.get("TANDEM_RESOURCE_SYNC_EXTRACT_BYTES", 2 * 1024 * 1024)
)
# Reading one file's text: seconds in the request (a file not read by then goes to the task)
# and in the task, decompressed bytes read from all its parts and pages together, PDF pages, and
# the decoded content of one PDF page (a larger page is skipped unparsed).
TANDEM_RESOURCE_SYNC_EXTRACT_SECONDS = float(
    os.environ.get("TANDEM_RESOURCE_SYNC_EXTRACT_SECONDS", "3")
)
TANDEM_RESOURCE_EXTRACT_SECONDS = float(os.environ.get("TANDEM_RESOURCE_EXTRACT_SECONDS", "60"))
TANDEM_RESOURCE_EXTRACT_MAX_BYTES = int(
    os.environ.get("TANDEM_RESOURCE_EXTRACT_MAX_BYTES", 64 * 1024 * 1024)
)
TANDEM_RESOURCE_EXTRACT_MAX_PAGES = int(os.environ.get("TANDEM_RESOURCE_EXTRACT_MAX_PAGES", 1000))
TANDEM_RESOURCE_EXTRACT_MAX_PAGE_BYTES = int(
    os.environ.get("TANDEM_RESOURCE_EXTRACT_MAX_PAGE_BYTES", 1024 * 1024)
)


def mailers_from_env(default_backend: str) -> dict:
    """Django's ``MAILERS`` from ``EMAIL_*`` variables (SMTP options only for the SMTP backend)."""
    backend = os.environ.get("EMAIL_BACKEND", default_backend)
    options: dict = {}
    if backend.endswith("smtp.EmailBackend"):
        options = {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
        }
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


MAILERS = mailers_from_env("django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Tandem <tandem@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TANDEM_CONTACT_EMAIL = os.environ.get("TANDEM_CONTACT_EMAIL", "info@datacite.org")
TANDEM_PROGRAM_NAME = os.environ.get("TANDEM_PROGRAM_NAME", "Consortia Partnership Program")
TANDEM_BASE_URL = os.environ.get("TANDEM_BASE_URL", "http://localhost:8000").rstrip("/")

# Background jobs: Django's tasks framework with the database backend (django-tasks-db);
# `python manage.py db_worker` runs them. Tests use the immediate backend.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# A match of more accepted participants than this runs as a task (progress on the run page),
# never in a web request.
TANDEM_SYNC_MATCH_LIMIT = int(os.environ.get("TANDEM_SYNC_MATCH_LIMIT", "200"))

MESSAGE_TAGS = {40: "error"}

# --- Security ------------------------------------------------------------------------------
# Content-Security-Policy on every response (Django's own middleware). Scripts and style sheets
# only from this site, never inline; style="" attributes are allowed (layout tweaks in
# templates), <style> elements are not. No plugins, no framing, forms post only here.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Which X-Forwarded-For entry is the client (see tandem.accounts.throttle.client_ip).
TANDEM_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Sign-in lockout (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one account from
# one client, that pair is refused (HTTP 429) for LOGIN_LOCKOUT_MINUTES, even with the right
# password; a successful sign-in clears the count. Attempts are stored in the database.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tandem.accounts.throttle.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in and admin forms' field (an e-mail address)
AXES_USERNAME_CALLABLE = "tandem.accounts.throttle.login_username"
AXES_CLIENT_IP_CALLABLE = "tandem.accounts.throttle.client_ip"
AXES_VERBOSE = False

# E-mail throttles (tandem.accounts.throttle): scope → {"address" | "client": (count, seconds)}.
# At most `count` e-mails of that scope to one address / caused by one client within `seconds`.
# Beyond that a reset request is refused (HTTP 429 and a message on the form); a submission is
# saved but not confirmed again by e-mail (the person is told).
TANDEM_THROTTLES = {
    "password-reset": {"address": (3, 60 * 60), "client": (10, 60 * 60)},
    "application-confirmation": {"address": (5, 60 * 60), "client": (10, 60 * 60)},
    # The public certificate check: lookups of verification ids per client (no sign-in).
    "certificate-verification": {"client": (20, 60 * 60)},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes reports every sign-in at INFO; lockouts (WARNING) are what matters.
    "loggers": {"axes": {"level": "WARNING"}},
}
