# The image for web, worker, beat and the migrate job (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# gettext: compilemessages turns the translation catalogues into .mo files.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements/ requirements/
RUN pip install -r requirements/base.txt

COPY . .

# Build-time steps need settings but no database: the local settings with a throwaway key.
RUN export DJANGO_SETTINGS_MODULE=ppir.settings.local SECRET_KEY=build-only \
    && if [ -d locale ]; then python manage.py compilemessages -v 0; fi \
    && python manage.py collectstatic --noinput -v 0

RUN useradd --system --uid 1000 --create-home --home-dir /home/ppir ppir \
    && mkdir -p /app/var/media \
    && chown -R ppir:ppir /app/var
USER ppir

EXPOSE 8000
CMD ["gunicorn", "ppir.wsgi:application", "--bind=0.0.0.0:8000", "--workers=3", "--access-logfile=-"]
