"""The embedded demo: SQLite, Celery tasks inline, e-mail to the console."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
PPIR_ENVIRONMENT = "local"
