# Two commands do all the set-up: `make run` (the demo) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3.13 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The demo's history would send dozens of e-mails while it loads: discard them (the in-app
# notices stay); the running demo prints its new e-mail to the console as usual.
SEED := EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend $(BIN)/python manage.py seed_demo
export DJANGO_SETTINGS_MODULE ?= ppir.settings.local

.PHONY: run test install install-test system-deps browser-deps messages messages-update migrate seed lint format vendor bench clean diagram audit

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "PPIR Workbench needs Python 3.11 or newer (found " + sys.version.split()[0] + ").")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.test-installed: requirements/test.txt requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/test.txt
	touch $(VENV)/.base-installed $@

install: $(VENV)/.base-installed
install-test: $(VENV)/.test-installed

# System packages: gettext (translations) for everything; Chromium for the browser tests;
# fonts-nanum: the Korean TrueType font embedded in certificate PDFs; poppler-utils
# (pdftoppm) renders a certificate to an image in its test.
# Installed with apt-get where we are root; otherwise a clear message says what is missing.
system-deps:
	@bash scripts/system-deps.sh gettext

browser-deps:
	@bash scripts/system-deps.sh gettext chromium fonts-nanum poppler-utils

messages: install
	@if [ ! -d locale ]; then :; elif command -v msgfmt >/dev/null; then $(BIN)/python manage.py compilemessages --ignore=.venv -v 0; \
	else echo "gettext (msgfmt) is not installed: pages show English text until it is (apt-get install gettext)."; fi

# After marking new strings: extract them into locale/ko/LC_MESSAGES/django.po, translate
# the new entries, then `make messages`. tests/i18n fails while any entry is untranslated.
messages-update: install
	$(BIN)/python manage.py makemessages -l ko --no-obsolete --ignore=.venv --ignore=tests \
		--ignore=bench --ignore=var --ignore=test-artifacts --ignore=node_modules --ignore=static

migrate: install
	$(BIN)/python manage.py migrate --noinput -v 0

seed: migrate
	$(SEED)

run: install
	@bash scripts/system-deps.sh --optional gettext fonts-nanum
	@$(MAKE) --no-print-directory messages
	$(BIN)/python manage.py migrate --noinput -v 0
	$(SEED)
	@echo ""
	@echo "PPIR Workbench is at http://127.0.0.1:$(PORT)/  (stop with Ctrl-C)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install-test browser-deps
	@$(MAKE) --no-print-directory messages
	DJANGO_SETTINGS_MODULE=ppir.settings.test bash scripts/run-tests.sh

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Security audit: ruff's bandit rules, pip check, pip-audit, check --deploy (SECURITY.md).
audit: install-test
	bash scripts/audit.sh

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

diagram: install
	$(BIN)/python manage.py state_diagram --write

bench: install-test
	$(BIN)/python bench/import_rd_projects.py
	$(BIN)/python bench/assignment.py

vendor:
	bash scripts/vendor.sh

clean:
	rm -rf $(VENV) db.sqlite3 var staticfiles .pytest_cache
