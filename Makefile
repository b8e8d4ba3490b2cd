# Two commands: `make run` and `make test`. Only python3 (3.11+) is needed for the SQLite path.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PORT   ?= 5000
# Tests run in parallel (one database per worker); `make test PYTEST_ARGS=` runs them serially.
PYTEST_ARGS ?= -n auto --dist worksteal
export FLASK_APP = wsgi:app
# Some shells set PYTHONDONTWRITEBYTECODE=1: then every Python process (each test worker,
# each mutant of `make mutation`, each recount child, each gunicorn worker) compiles the
# whole project again, about a second each. Bytecode caches are git-ignored.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run worker test install install-test translations extract-messages lint bench clean mutation durations coverage

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed translations

install-test: $(VENV)/.installed-test translations

translations: $(VENV)/.installed
	@$(BIN)/pybabel compile -d ideation/translations > /dev/null

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ -o ideation/translations/messages.pot .
	$(BIN)/pybabel update -N -i ideation/translations/messages.pot -d ideation/translations -l en
	$(BIN)/python tools/fr_catalogue.py

run: install
	@mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	@echo ""
	@echo "  Fabrique tourne sur http://127.0.0.1:$(PORT) (avec la file de tâches ; Ctrl-C arrête les deux)"
	@echo "  Comptes de démonstration (mot de passe : fabrique-demo-2026) :"
	@echo "    admin@demo.fabrique.test       administratrice"
	@echo "    animation@demo.fabrique.test   animatrice (association régionale)"
	@echo "    bailleur@demo.fabrique.test    responsable bailleur (Rhône Habitat Solidaire)"
	@echo "    salarie@demo.fabrique.test     salariée (gardienne)"
	@echo "    locataire@demo.fabrique.test   locataire (Les Tilleuls, Villeurbanne)"
	@echo ""
	$(BIN)/python -m ideation.launcher --host 127.0.0.1 --port $(PORT)

# The queue's worker alone (when the web server runs elsewhere, e.g. under gunicorn).
worker: install
	@mkdir -p instance
	$(BIN)/huey_consumer ideation.tasks.huey --workers 2 --worker-type thread --flush-locks

test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/vulture ideation config.py wsgi.py vulture_allowlist.py

# Mutation testing of the pure domain (ideation/domain/) with the unit and request tests
# that reach each mutated function; prints the score per file. Results are cached in
# mutants/ (delete it to start over). Survivors: tests/mutation_survivors.md.
MUTATION_JOBS ?= 2
mutation: install-test
	FABRIQUE_HYPOTHESIS_EXAMPLES=40 $(BIN)/mutmut run --max-children $(MUTATION_JOBS)
	$(BIN)/python tests/mutation_score.py $(BIN)/mutmut

# Records how long each slow test takes, for the longest-first order (tests/schedule.py).
durations: install-test
	FABRIQUE_RECORD_DURATIONS=tests/durations.json $(BIN)/python -m pytest $(PYTEST_ARGS)

# The suite's branch coverage (the figure in the README).
coverage: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS) --cov=ideation --cov-branch --cov-report=term:skip-covered

bench: install-test
	$(BIN)/python bench/tally.py

clean:
	rm -rf $(VENV) instance/*.db .pytest_cache
