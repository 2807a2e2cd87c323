"""Test settings: SQLite unless DATABASE_URL is set, fast hashing, eager Celery by default."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

PPIR_ENVIRONMENT = "test"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if not env("DATABASE_URL", default=""):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
# Integration tests' worker processes send over SMTP to a local sink (TEST_EMAIL_BACKEND).
EMAIL_BACKEND = env("TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
# The live server's media handler parses MEDIA_URL; None (base) breaks every browser test.
MEDIA_URL = "/nonexistent/"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": "/nonexistent/"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"

# django-axes refuses authenticate() calls without a request, which Django's test client
# login() makes; the lockout tests switch it on with override_settings(AXES_ENABLED=True).
AXES_ENABLED = False
# Other apps' view tests sign staff in with force_login and no authenticator; the security
# tests (tests/security/) switch the two-factor requirement on and give actors one.
PPIR_MFA_REQUIRED = False
# LiveServerTestCase wraps the app in a media handler that needs a string prefix (it fails
# on None with a TypeError on every request); nothing is ever linked under this one.
MEDIA_URL = "/__media-not-served__/"
