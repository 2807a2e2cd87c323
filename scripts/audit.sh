#!/usr/bin/env bash
# Security audit (make audit; run by .ci/run): ruff's bandit rules, every suppression
# explained, installed packages consistent, known-vulnerability check of the pinned
# requirements, and Django's deployment checklist under production settings.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

echo "== ruff security rules (bandit equivalent)"
$BIN/ruff check --select S --output-format concise .

echo "== every security suppression says why"
unexplained=$(grep -rnE "noqa: ?S[0-9]+" --include='*.py' --exclude-dir=.venv . | grep -vE "noqa: ?S[0-9, S]+ - " || true)
if [ -n "$unexplained" ]; then
  echo "These suppressions give no reason (write '# noqa: S105 - why'):" >&2
  echo "$unexplained" >&2
  exit 1
fi

echo "== installed packages are consistent"
$BIN/pip check

echo "== known vulnerabilities in requirements/base.txt (pip-audit)"
# pip-audit asks the PyPI JSON API (or OSV). Where neither answers (a package proxy without
# the JSON API, no other network), it reports each package as "could not be audited" and
# exits 0; a real finding exits 1 and fails the build.
report=$($BIN/pip-audit -r requirements/base.txt --no-deps --disable-pip --progress-spinner off 2>&1) \
  || { echo "$report"; echo "pip-audit found vulnerabilities (or failed): see above." >&2; exit 1; }
echo "$report"
if grep -q "could not be audited" <<<"$report"; then
  echo "NOTICE: pip-audit could not reach its vulnerability database from this machine;"
  echo "        the packages above were NOT checked. See SECURITY.md (Dependencies)."
fi

echo "== Django deployment checklist under production settings"
DJANGO_SETTINGS_MODULE=ppir.settings.production \
  SECRET_KEY="audit-$(head -c 48 /dev/urandom | base64 | tr -d '/+=' | head -c 60)" \
  DATABASE_URL=${AUDIT_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ppir} \
  REDIS_URL=${AUDIT_REDIS_URL:-redis://127.0.0.1:6379/0} \
  ALLOWED_HOSTS=ppir.example.kr \
  $BIN/python manage.py check --deploy --fail-level WARNING
