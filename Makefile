# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST_PORT ?= 127.0.0.1:8000

.PHONY: run serve test lint format install install-test demo clean bench soak

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# The site's one address (SITE_URL, see "Betrieb" in README.md) follows HOST_PORT unless given.
demo run: export SITE_URL ?= http://$(HOST_PORT)
demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_roles
	$(PY) manage.py load_demo
	$(PY) manage.py sync_site

# Serves the demo site. Scheduled publications (go-live dates) go out when
# `.venv/bin/python manage.py publish_scheduled` runs; in production a cron job
# runs it every few minutes.
run: demo
	@echo "Website: $$SITE_URL/   Verwaltung: $$SITE_URL/admin/"
	@echo "Geplante Veröffentlichungen gehen online mit: $(PY) manage.py publish_scheduled (in Produktion per Cron alle paar Minuten)"
	$(PY) manage.py runserver $(HOST_PORT)

# Production settings behind gunicorn: needs SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and SITE_URL
# (see "Betrieb" in README.md). Two workers per core plus one, the usual sync-worker rule.
WORKERS ?= $(shell echo $$(( $$(nproc) * 2 + 1 )))
serve: install
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py setup_roles
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py sync_site
	DJANGO_SETTINGS_MODULE=config.settings.production $(VENV)/bin/gunicorn config.wsgi \
		--bind $(HOST_PORT) --workers $(WORKERS) --access-logfile - --forwarded-allow-ips '*'

# The suite in parallel, one worker per core (pytest-xdist; each worker has its own test
# database). TEST_WORKERS=0 runs it in one process, e.g. to debug a single test.
TEST_WORKERS ?= auto
test: install-test
	$(PY) -m pytest -n $(TEST_WORKERS)

# Ruff, and the import contracts of pyproject.toml: the layers of docs/architecture.md.
lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Throughput at 1,000 and 10,000 results under gunicorn, against a floor view (bench/run.py);
# PostgreSQL when DATABASE_URL points there, else SQLite. Long: generates the data sets once.
bench: install
	$(PY) bench/run.py

# Bounded load (50 clients, 60 s, loopback only) on gunicorn and PostgreSQL with the generated
# data set, restarting PostgreSQL once midway (operations/soak.py). Needs PostgreSQL and Redis
# on 127.0.0.1 and the right to restart the cluster (pg_ctlcluster); .ci/run runs it.
soak: install
	$(PY) -m operations.soak

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache test-artifacts
