# The two commands a newcomer needs: `make demo` and `make test`.
# Everything else here is what those two are made of.

VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The demo reads the reference data here when it exists and downloads the
# official files otherwise.
LOCAL_DATA_DIR ?= $(abspath ../shared/data)
export LOCAL_DATA_DIR

.PHONY: demo test install lint format services messages translations

# Links in the demo's emails and share buttons point at the port it serves on.
demo: export SITE_URL ?= http://127.0.0.1:$(PORT)
demo: $(VENV)/.installed
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py setup_demo
	@echo
	@echo "  Constituent is starting: open http://127.0.0.1:$(PORT)/"
	@echo "  (web server, Celery worker and beat run together; Ctrl-C stops all three)"
	@echo
	PORT=$(PORT) $(BIN)/honcho start --no-prefix -f Procfile.dev

test: $(VENV)/.installed
	bin/test

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml package.json package-lock.json
	test -x $(BIN)/python || $$(bin/find-python) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet -e . --group dev
	npm ci --no-audit --no-fund --silent
	touch $@

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Spanish: `messages` gathers the marked strings into locale/es/.../django.po
# (needs GNU gettext's xgettext); after translating, `translations` compiles
# the .mo that is committed beside it, in Python, so no machine needs gettext.
messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages -l es --no-location --no-wrap \
		-i ".venv/*" -i "node_modules/*" -i "var/*" -i "tests/*" -i "bench/*"

translations: $(VENV)/.installed
	$(BIN)/python -c "import polib; p = 'locale/es/LC_MESSAGES/django'; polib.pofile(p + '.po').save_as_mofile(p + '.mo')"
