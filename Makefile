# Two commands do all the set-up on a fresh machine:
#   make run    build the real lineage graph in the embedded store (first use) and serve the API and playground
#   make test   install everything and run the tests on both stores (embedded and a real Neo4j)
#   make test-fast  the inner loop: the embedded store's tests only, no lint, no Neo4j, no slow tests
# Each creates its own virtualenv in .venv on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Fast by default; CI passes PYTEST_ARGS= to run the slow tests too.
PYTEST_ARGS ?= -m "not slow"
# Parallel workers (pytest-xdist), each test module on one worker so that its module fixtures are built once,
# in the order tests/conftest.py gives (modules marked heavy first, so that no run ends on one of them);
# each worker has a scratch Neo4j server of its own, in the one JVM the run starts for its servers (a 1.5 GB heap
# with two workers). TEST_WORKERS=0 runs the tests in one process.
TEST_WORKERS ?= 2
XDIST := -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder
# The tests' Python bytecode, kept between runs in the virtualenv (not beside the sources) even where the
# environment asks for none (PYTHONDONTWRITEBYTECODE): without it each test process, and each command a test
# starts, compiled the project again (collecting the tests took 6.0 s rather than 3.2 s).
TEST_ENV := PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/$(VENV)/pycache
# `make run PORT=8080` serves elsewhere.
PORT ?= 8000

WEB_STAMP := web/node_modules/.installed
# The JavaScript `make lint` and the pre-commit hook lint (from this folder: web/eslint.config.js names them alike).
JS_LINTED := lineage/api/static tests/browser/driver.js web/eslint.config.js

.PHONY: run test test-fast lint neo4j bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

# The front-end libraries the app serves (playground, explorer), pinned in web/package-lock.json.
$(WEB_STAMP): web/package.json web/package-lock.json
	npm ci --prefix web --silent --no-audit --no-fund
	touch $(WEB_STAMP)

run: $(STAMP) $(WEB_STAMP)
	$(BIN)/lineage serve --port $(PORT)

lint: $(STAMP) $(WEB_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	web/node_modules/.bin/eslint --config web/eslint.config.js $(JS_LINTED)

# Builds the embedded Neo4j launcher when Java and Maven are here; the Neo4j tests say why they skip otherwise.
neo4j:
	@if command -v java >/dev/null && command -v mvn >/dev/null; then bash tools/neo4j-dev/neo4j-dev.sh build; \
	else echo "make: no Java/Maven here, the Neo4j tests will skip"; fi

test: $(STAMP) $(WEB_STAMP) lint neo4j
	$(TEST_ENV) $(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

# What `make test` runs on the embedded store alone, for the inner loop; `make test` before pushing.
test-fast: $(STAMP) $(WEB_STAMP)
	$(TEST_ENV) $(BIN)/pytest $(XDIST) -m "not slow and not neo4j" $(FAST_ARGS)

bench: $(STAMP) neo4j
	$(BIN)/python -m benchmarks.bench_stores
	$(BIN)/python -m benchmarks.bench_build
	$(BIN)/python -m benchmarks.bench_scale

clean:
	rm -rf $(VENV) .lineage tools/neo4j-dev/target web/node_modules
