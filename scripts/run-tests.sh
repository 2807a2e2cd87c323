#!/usr/bin/env bash
# Runs the whole suite. Integration tests (real PostgreSQL, Redis and Celery worker) run when
# DATABASE_URL points at PostgreSQL, as .ci/run arranges; on SQLite they are deselected and
# this script says so.
set -euo pipefail
BIN=.venv/bin
$BIN/ruff check .
$BIN/ruff format --check .
$BIN/python manage.py makemigrations --check --dry-run -v 1 --settings=ppir.settings.test
# Unit, view and browser tests run on both cores; integration tests start their own workers
# and Redis servers, so they run alone afterwards.
$BIN/pytest -n 2 -m "not integration" "$@"
case "${DATABASE_URL:-}" in
  postgres*) echo "Database: PostgreSQL (${DATABASE_URL%%@*}@…); now the integration tests."
     $BIN/pytest -m integration "$@" ;;
  *) echo "Database: SQLite; integration tests need PostgreSQL and Redis: .ci/run runs them." ;;
esac
