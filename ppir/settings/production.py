"""Production: PostgreSQL, Redis, a Celery worker and beat. Refuses to start half-configured."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, env

PPIR_ENVIRONMENT = "production"
DEBUG = False

SECRET_KEY = env("SECRET_KEY", default="")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("insecure") or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of 50+ characters.")
if not env("DATABASE_URL", default="") or DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL in production.")
if not env("REDIS_URL", default=""):
    raise ImproperlyConfigured("REDIS_URL must be set in production (Celery broker and cache).")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CELERY_TASK_ALWAYS_EAGER = False
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Health probes of containers and load balancers speak plain HTTP to the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# The sign-in policy is not configurable in production (see SECURITY.md).
PPIR_MFA_REQUIRED = True
AXES_ENABLED = True
