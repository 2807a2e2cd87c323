import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ppir.settings.local")

app = Celery("ppir")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
