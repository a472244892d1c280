# The few commands everyone runs. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup lint format bench load browser-deps messages clean

run: setup  ## install everything, load the demo city into the embedded SQLite, serve on :8000
	$(BIN)/duban demo
	$(BIN)/duban serve

test: setup browser-deps  ## install everything and run lint and the whole test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n 2 --dist loadgroup -m "not bench"

setup: $(STAMP) node_modules/.package-lock.json

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "需要 Python 3.11（$(PYTHON)）/ Python 3.11 is required"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@command -v msgfmt >/dev/null || [ "$$(id -u)" != 0 ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }
	if [ -d duban/locale ]; then cd duban && ../$(BIN)/python -m django compilemessages --settings=duban.settings -v 0; fi
	touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

# Browser tests drive Debian's Chromium through Playwright (Playwright's own browser download is
# not used), with Noto CJK so that screenshots show Chinese. Installed from Debian's packages when missing.
browser-deps:
	@{ test -x /usr/bin/chromium && fc-list :lang=zh 2>/dev/null | grep -q . ; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "浏览器测试需要 Debian 的 chromium 和 fonts-noto-cjk：sudo apt-get install chromium fonts-noto-cjk"; fi; }

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup  ## speed targets; see bench/README.md (set DATABASE_URL for PostgreSQL)
	$(BIN)/python bench/bench_minutes.py --check
	$(BIN)/pytest -p no:xdist --timeout=0 -m bench bench/bench_directives.py bench/bench_weekly.py bench/bench_cockpit.py bench/bench_assessment.py bench/bench_surveys.py -s

LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/duban_load

load: setup  ## the load test (bench/README.md): 50 users on PostgreSQL, then 20 writing on SQLite
	$(BIN)/python bench/load.py postgres --database-url $(LOAD_DATABASE_URL)
	$(BIN)/python bench/load.py sqlite --writes

messages:  ## refresh the translation catalogues after changing user-facing text (English: scripts/en_glossary.json)
	cd duban && DJANGO_SETTINGS_MODULE=duban.settings ../$(BIN)/django-admin makemessages -l zh_Hant -l en --ignore "*/tests/*" --ignore "*/migrations/*"
	$(BIN)/python scripts/fill_translations.py --check --missing
	cd duban && ../$(BIN)/python -m django compilemessages --settings=duban.settings

clean:
	rm -rf $(VENV) node_modules data
