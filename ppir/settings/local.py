"""The embedded demo: SQLite, Celery tasks inline, e-mail to the console."""

from .base import *  # noqa: F403
from .base import LOGGING, env

DEBUG = env.bool("DEBUG", default=True)
PPIR_ENVIRONMENT = "local"

# Inline (eager) Celery tasks would log a line per task, and kombu warns that the in-memory
# broker has no host name; the demo's console stays readable without both.
LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}
LOGGING["loggers"]["kombu.connection"] = {"level": "ERROR"}
