#!/usr/bin/env bash
# Runs the whole suite. Integration tests (real PostgreSQL, Redis and Celery worker) run when
# DATABASE_URL points at PostgreSQL, as .ci/run arranges; on SQLite they are deselected and
# this script says so.
set -euo pipefail
BIN=.venv/bin
$BIN/ruff check .
$BIN/ruff format --check .
$BIN/python manage.py makemigrations --check --dry-run -v 1 --settings=ppir.settings.test
marker=()
case "${DATABASE_URL:-}" in
  postgres*) echo "Database: PostgreSQL (${DATABASE_URL%%@*}@…); integration tests included." ;;
  *) echo "Database: SQLite; integration tests need PostgreSQL and Redis: run .ci/run for them."
     marker=(-m "not integration") ;;
esac
$BIN/pytest "${marker[@]}" "$@"
