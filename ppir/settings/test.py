"""Test settings: SQLite unless DATABASE_URL is set, fast hashing, eager Celery by default."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

PPIR_ENVIRONMENT = "test"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if not env("DATABASE_URL", default=""):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": "/nonexistent/"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# The live server used by browser tests wraps the site in a media-files handler that needs a
# URL prefix (None breaks every request). Documents are still only served by the
# permission-checked view; nothing links to this prefix.
MEDIA_URL = "/test-media-not-linked/"
