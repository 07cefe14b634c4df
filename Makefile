# The two commands of the README: `make run` and `make test`. Everything they need is
# installed here, so a fresh machine with Python 3.11 is enough.

PYTHON ?= python3
PORT ?= 8000
# Tests run on every core (pytest-xdist); TEST_WORKERS=0 runs them in this one process.
# worksteal: a worker that runs out of tests takes some from the other's queue, so a few long
# tests at the end do not leave a core idle.
TEST_WORKERS ?= auto
TEST_DIST ?= worksteal
# SITE_URL (cms/settings/base.py) follows it: the addresses in e-mails and certificates
# are the ones `make run` serves.
export PORT
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := $(PYTHON) -m uv
endif
VENV := .venv
PY := $(VENV)/bin/python
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = "0" ] && echo "" || (command -v sudo >/dev/null && echo "sudo -n"))

.PHONY: install install-python install-system install-node install-chromium install-services \
        install-scorm-runtime translations run test test-fast lint format bench loadtest clean serve

install: install-python install-system install-scorm-runtime translations

APT_INSTALL = if [ "$$(id -u)" = "0" ] || sudo -n true 2>/dev/null; then \
	    $(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(1); \
	  else echo "Missing system packages: install them with 'sudo apt-get install $(1)'"; exit 1; fi

# WeasyPrint (certificates, reports) needs Pango and a font from the system.
install-system:
	@$(PY) -c "import weasyprint" >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi dejavu || { \
	  $(call APT_INSTALL,libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fontconfig); }

# --compile-bytecode: uv, unlike pip, installs packages as source only. Where Python may not
# write bytecode itself (PYTHONDONTWRITEBYTECODE, a read-only install), every process that
# starts Django (manage.py, a worker, a test run) would compile Wagtail, Django and the rest
# again: more than half of its start-up time.
install-python:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --user uv || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)

translations:
	$(PY) manage.py compile_translations

# npm brings axe-core for the accessibility checks in the browser tests.
install-node:
	@command -v npm >/dev/null 2>&1 || { $(call APT_INSTALL,nodejs npm); }
	npm ci --no-audit --no-fund --loglevel=error

# The SCORM runtime (window.API / window.API_1484_11) is scorm-again from package.json, copied
# into a git-ignored static folder: the package modules' player loads it from there.
SCORM_AGAIN := node_modules/scorm-again/dist/scorm-again.min.js
install-scorm-runtime:
	@test -f $(SCORM_AGAIN) || $(MAKE) install-node
	mkdir -p static/vendor/scorm-again
	cp $(SCORM_AGAIN) $(SCORM_AGAIN).map static/vendor/scorm-again/

# The operations tests (tests/ops) start their own Redis and nginx on loopback ports.
# Where they cannot be installed, those tests are skipped and say what is missing.
install-services:
	@command -v redis-server >/dev/null 2>&1 && { command -v nginx || test -x /usr/sbin/nginx; } >/dev/null 2>&1 || { \
	  $(call APT_INSTALL,redis-server nginx); } || \
	  echo "redis-server/nginx missing: the tests in tests/ops that need them will be skipped"

# Browser tests drive Debian's chromium; Playwright's own browser download is not used.
install-chromium:
	@test -x $(CHROMIUM) || { $(call APT_INSTALL,chromium); }

var:
	mkdir -p var

# DEBUG off (unless DEBUG=true is given) so that a missing page or an error shows the site's
# own Swedish 404/500 pages, as in production; whitenoise serves /static/ (Range included)
# from the apps' folders, and cms.urls serves /media/ when DEBUG is off.
run: install var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ with a task worker (Ctrl-C stops both)"
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py worker --queue-name='*' --no-startup-delay --verbosity 0 & worker=$$!; \
	  DEBUG=$${DEBUG:-false} $(PY) manage.py runserver --insecure 127.0.0.1:$(PORT)

# The production set-up on this machine: gunicorn (gunicorn.conf.py) with
# cms.settings.production and the embedded defaults (SQLite and files in var/). Without a
# SECRET_KEY in the environment, one is made once and kept in var/secret_key. Plain HTTP on
# 127.0.0.1, so no HTTPS redirect, no secure-only cookies, and Django serves private files
# (there is no nginx in front); each of these can be set in the environment.
serve: install var
	@test -s var/secret_key || { umask 077; $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key; }
	@export SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}" \
	  DJANGO_SETTINGS_MODULE="$${DJANGO_SETTINGS_MODULE:-cms.settings.production}" \
	  SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-false}" SECURE_COOKIES="$${SECURE_COOKIES:-false}" \
	  SECURE_HSTS_SECONDS="$${SECURE_HSTS_SECONDS:-0}" PRIVATE_FILES_SERVE="$${PRIVATE_FILES_SERVE:-django}" \
	  PORT="$(PORT)"; \
	  $(PY) manage.py migrate --noinput && \
	  $(PY) manage.py collectstatic --noinput --verbosity 0 && \
	  echo "Serving on http://$${GUNICORN_BIND:-127.0.0.1:$(PORT)}/ with gunicorn (Ctrl-C stops it)" && \
	  exec $(VENV)/bin/gunicorn -c gunicorn.conf.py

test: install install-node install-chromium install-services
	$(PY) -m pytest -n $(TEST_WORKERS) --dist $(TEST_DIST) $(PYTEST_ARGS)

test-fast: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist $(TEST_DIST) -m "not e2e" $(PYTEST_ARGS)

lint: install var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(PY) -m pytest tests/perf -m bench -s -q -p no:randomly $(PYTEST_ARGS)

# Load test (tests/perf/loadtest.py): locust against `make serve` with the demo scaled to
# LOADTEST_STAFF staff, or against a running server at LOADTEST_URL (127.0.0.1 only).
LOADTEST_USERS ?= 200
LOADTEST_SECONDS ?= 60
LOADTEST_STAFF ?= 45000
loadtest: install var
	LOADTEST_USERS=$(LOADTEST_USERS) LOADTEST_SECONDS=$(LOADTEST_SECONDS) \
	  LOADTEST_STAFF=$(LOADTEST_STAFF) MAKE="$(MAKE)" $(PY) tests/perf/loadtest.py

clean:
	rm -rf var node_modules
