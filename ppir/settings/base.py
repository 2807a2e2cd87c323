"""Settings shared by every environment; everything configurable comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

SECRET_KEY = env("SECRET_KEY", default="insecure-demo-key-only-for-local-use")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_fsm",
    "crispy_forms",
    "crispy_bootstrap5",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "accounts",
    "audit",
    "notifications",
    "applications",
    "panels",
    "procurement",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ppir.security_middleware.SecurityHeadersMiddleware",
    "ppir.security_middleware.SessionTimeoutMiddleware",
    "ppir.security_middleware.MFARequiredMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ppir.urls"
WSGI_APPLICATION = "ppir.wsgi.application"

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
                "django.template.context_processors.i18n",
                "ppir.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the demo's web process and inline tasks share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out address/account is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
# Sign-up asks for the person's name and makes them an applicant (accounts.forms).
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
# Confirming the e-mail (in the browser that signed up) continues straight to the
# organisation step instead of asking for the password again.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded evidence lives outside the web root and is only served by permission-checked views.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = None
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": "/nonexistent/"},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PPIR_MAX_UPLOAD_BYTES = env.int("PPIR_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that is down must not hang a web request: publishing gives up quickly and the
# outbox relay delivers later.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
}
# ... and gives up on the first retry, so a request with Redis down answers within a second.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# Periodic tasks, in code. CELERY_TIMEZONE is Asia/Seoul, so every crontab is Seoul time.
CELERY_BEAT_SCHEDULE: dict = {
    "notifications-relay-pending": {
        "task": "notifications.tasks.relay_pending",
        "schedule": crontab(minute="*"),
    },
    "notifications-daily-digests": {
        "task": "notifications.tasks.send_daily_digests",
        "schedule": crontab(hour=8, minute=0),
    },
    # Supplement deadlines: remind applicants two days before, flag overdue ones.
    "applications-remind-supplement-deadlines": {
        "task": "applications.tasks.remind_supplement_deadlines",
        "schedule": crontab(minute=15, hour="*/3"),
    },
}
# Assignment work: invitations past their answer deadline lapse and their slots re-run.
CELERY_BEAT_SCHEDULE["panels-expire-invitations"] = {
    "task": "panels.tasks.expire_invitations",
    "schedule": timedelta(minutes=15),
}
PPIR_INVITATION_RESPONSE_DAYS = env.int("PPIR_INVITATION_RESPONSE_DAYS", default=5)
# Expert review reminders: once a day at 09:00 Asia/Seoul (the notify key makes reruns safe).
CELERY_BEAT_SCHEDULE["panels.send_review_reminders"] = {
    "task": "panels.tasks.send_review_reminders",
    "schedule": crontab(hour=9, minute=0),
}
# Certificates: expire just after midnight (Korean time), then remind at 09:30.
CELERY_BEAT_SCHEDULE["procurement-expire-certificates"] = {
    "task": "procurement.tasks.expire_certificates",
    "schedule": crontab(minute=5, hour=0),
}
CELERY_BEAT_SCHEDULE["procurement-remind-certificate-expiry"] = {
    "task": "procurement.tasks.remind_certificate_expiry",
    "schedule": crontab(minute=30, hour=9),
}

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="PPIR Workbench <no-reply@ppir.example.kr>")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# The outbox (notifications.services): a claim lasts this long before the relay may take the
# row again; failed sends wait 60 s, 120 s, 240 s, ... and end FAILED after the last attempt.
NOTIFICATIONS_LEASE_SECONDS = env.int("NOTIFICATIONS_LEASE_SECONDS", default=300)
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=5)
NOTIFICATIONS_BACKOFF_BASE = env.int("NOTIFICATIONS_BACKOFF_BASE", default=60)
NOTIFICATIONS_BACKOFF_MAX = env.int("NOTIFICATIONS_BACKOFF_MAX", default=3600)
NOTIFICATIONS_RELAY_BATCH = env.int("NOTIFICATIONS_RELAY_BATCH", default=500)
NOTIFICATIONS_MESSAGE_ID_DOMAIN = env("NOTIFICATIONS_MESSAGE_ID_DOMAIN", default="ppir.example.kr")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Lockouts are logged at WARNING; every attempt is in axes' database tables anyway.
        "axes": {"level": "WARNING"},
    },
}

# ---------------------------------------------------------------------------------------
# Security (see SECURITY.md). Anchors: OWASP ASVS 5.0 level 2, Django's deployment checklist.
# ---------------------------------------------------------------------------------------

# Sensitive actions ask for the password or second factor again after this many seconds.
ACCOUNT_REAUTHENTICATION_TIMEOUT = env.int("ACCOUNT_REAUTHENTICATION_TIMEOUT", default=300)
ACCOUNT_ADAPTER = "ppir.security.AccountAdapter"
# E-mail the person when their password, e-mail or two-factor settings change.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_PREVENT_ENUMERATION = True
# Password reset links (Django's token generator, used by allauth) expire after one hour.
PASSWORD_RESET_TIMEOUT = 60 * 60

# Two-factor sign-in: TOTP apps plus one-time recovery codes. Required for staff, PPS and
# experts (ppir.security_middleware.MFARequiredMiddleware); offered to applicants.
PPIR_MFA_REQUIRED = env.bool("PPIR_MFA_REQUIRED", default=True)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "ppir.security.MFAAdapter"
MFA_TOTP_ISSUER = "PPIR Workbench"
# One period either side absorbs phone clocks that drift; a used code cannot be replayed.
MFA_TOTP_TOLERANCE = 1
MFA_RECOVERY_CODE_COUNT = 10

# Sessions: absolute lifetime SESSION_COOKIE_AGE (8 h) and an idle timeout, both enforced
# server-side by ppir.security_middleware.SessionTimeoutMiddleware.
PPIR_SESSION_IDLE_TIMEOUT = env.int("PPIR_SESSION_IDLE_TIMEOUT", default=60 * 60)

# Lockout (django-axes): 5 failed sign-ins for one account from one address lock that pair
# out for 30 minutes. The pair, not the address alone, so one mistyping colleague cannot lock
# out a whole ministry behind one NAT address; allauth's own rate limits (per address and per
# account) still slow down spraying across accounts or addresses.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_VERBOSE = False
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Every failed attempt is kept (who, from where, when, whether it locked), not just counts.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_USERNAME_CALLABLE = "ppir.security.axes_username"
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
# The client address is REMOTE_ADDR (set by the reverse proxy), never a header a client
# can forge.
AXES_CLIENT_IP_CALLABLE = "ppir.security.client_ip"
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2", "code"]

# Content-Security-Policy (django-csp 4): nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Uploads: the malware scanner every upload passes (a ClamAV adapter in production).
PPIR_UPLOAD_SCANNER = env("PPIR_UPLOAD_SCANNER", default="applications.uploads.NullScanner")
PPIR_CLAMD_SOCKET = env("PPIR_CLAMD_SOCKET", default="")  # e.g. /run/clamav/clamd.ctl
PPIR_CLAMD_HOST = env("PPIR_CLAMD_HOST", default="127.0.0.1")
PPIR_CLAMD_PORT = env.int("PPIR_CLAMD_PORT", default=3310)
PPIR_CLAMD_TIMEOUT = env.int("PPIR_CLAMD_TIMEOUT", default=30)
