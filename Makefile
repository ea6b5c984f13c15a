# blendcoach — the commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA ?= ../shared/data
export RAGAS_DO_NOT_TRACK := true
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install run serve demo test test-pg test-fast lint format bench eval eval-fast lock clean

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --upgrade pip
	$(BIN)/python -m pip install -qq -r requirements.lock
	$(BIN)/python -m pip install -qq --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

## ralph, a real LRS for the xAPI tests (tests/coach/xapi/test_ralph.py), in its own venv:
## its pinned dependencies (pydantic, fastapi...) never meet the service's.
RALPH_VENV := .venv-ralph
RALPH_STAMP := $(RALPH_VENV)/.installed
$(RALPH_STAMP):
	@test -x $(RALPH_VENV)/bin/python || $(PYTHON) -m venv $(RALPH_VENV)
	$(RALPH_VENV)/bin/python -m pip install -qq 'ralph-malph[cli,lrs]==5.1.0' requests
	@touch $(RALPH_STAMP)

## Load the demo catalog, users and paths; serve the app on 127.0.0.1:8000 (demo page:
## /demo?as=ana, review page: /review, the guard's verdicts for admins: /admin/guard,
## the admin assistant: /admin/assistant, managers: /manager (/manager/reports/ID),
## the learner's own page: /me (/me/path, reviews, coach, skills, goals, notifications)).
run: install demo
	BLENDCOACH_DEMO_PAGES=true $(BIN)/blendcoach serve

# The demo data, then today's nudges planned and delivered (the widget's feed shows them);
# the demo organisation has no quiet hours and no hold-out group, so that happens at any
# hour for every demo learner (tests/coach/nudges/test_demo_feed.py runs these steps).
demo: install
	$(BIN)/blendcoach ingest demo/catalog demo/admin-docs
	$(BIN)/blendcoach demo-users
	$(BIN)/blendcoach import catalog demo --org northwind
	$(BIN)/blendcoach import learners demo/blended/learners.yaml --org northwind
	$(BIN)/blendcoach import enrolments demo/blended/enrolments.csv --org northwind
	$(BIN)/blendcoach paths generate --org northwind
	$(BIN)/blendcoach nudges settings --org northwind --quiet 00:00-00:00 --holdout 0
	$(BIN)/blendcoach nudges plan --org northwind
	$(BIN)/blendcoach nudges worker --burst

serve: install
	$(BIN)/blendcoach serve

## The whole test suite (SQLite and PostgreSQL, both Qdrant engines).
test: install $(RALPH_STAMP)
	$(BIN)/python -m pytest -q

## The service and browser tests again with every Settings on PostgreSQL (a copy of a
## migrated template per test; tests/utils/databases.py). The storage tests already run on
## both databases in `make test`, and the libraries' tests touch no database.
test-pg: install
	BLENDCOACH_TEST_DATABASE=postgresql $(BIN)/python -m pytest -q tests/coach tests/browser \
		--ignore=tests/coach/storage

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Benchmarks on the shared real data; JSON lands in bench/results/.
bench: install
	$(BIN)/python -m bench.retrieval $(DATA)/python-book --out bench/results/retrieval-python-book.json
	$(BIN)/python -m bench.retrieval $(DATA)/finance-book --out bench/results/retrieval-finance-book.json
	$(BIN)/python -m bench.ingest $(DATA)/python-book --out bench/results/ingest-python-book.json
	$(BIN)/python -m bench.ann $(DATA)/python-book --out bench/results/ann-python-book.json
	$(BIN)/python -m bench.latency $(DATA)/python-book --out bench/results/latency.json
	$(BIN)/python -m bench.demo demo --out bench/results/demo.json
	$(BIN)/python -m bench.coverage demo $(DATA)/python-book $(DATA)/finance-book --out bench/results/coverage.json
	$(BIN)/python -m evals.admin.generate var/admin-eval-org --seed 7
	$(BIN)/python -m bench.admin var/admin-eval-org --out bench/results/admin.json
	$(BIN)/python -m bench.answers $(DATA)/python-book --out bench/results/answers-python-book.json
	$(BIN)/python -m bench.answers demo --out bench/results/answers-demo.json
	$(BIN)/python -m bench.chat $(DATA)/python-book --out bench/results/chat-python-book.json
	$(BIN)/python -m bench.knowledge_tracing $(DATA)/assistments2009/train.csv $(DATA)/assistments2009/test.csv --out bench/results/knowledge-tracing.json
	$(BIN)/python -m bench.quiz $(DATA)/python-book --out bench/results/quiz-python-book.json
	$(BIN)/python -m bench.quiz $(DATA)/finance-book --out bench/results/quiz-finance-book.json
	$(BIN)/python -m evals.slop $(DATA)/python-book --split holdout --out var/guard/python-book-holdout.jsonl && $(BIN)/python -m bench.guard var/guard/python-book-holdout.jsonl --out bench/results/guard-python-book.json
	$(BIN)/python -m evals.slop $(DATA)/finance-book --out var/guard/finance-book.jsonl && $(BIN)/python -m bench.guard var/guard/finance-book.jsonl --out bench/results/guard-finance-book.json
	$(BIN)/python -m bench.paths demo --out bench/results/paths.json
	$(BIN)/python -m bench.time_to_competency $(DATA)/assistments2009/train.csv $(DATA)/assistments2009/test.csv --catalog demo --diagnostics --sensitivity --out bench/results/time_to_competency.json
	$(BIN)/python -m bench.time_to_competency $(DATA)/assistments2009/train.csv $(DATA)/assistments2009/test.csv --catalog generated --learners 200 --diagnostics --out bench/results/time_to_competency-generated.json
	$(BIN)/python -m bench.nudges 7 --out bench/results/nudges.json
	$(BIN)/python -m bench.kirkpatrick var/kirkpatrick --out bench/results/kirkpatrick.json
	$(BIN)/python -m bench.handoff evals/handoff/messages.jsonl --out bench/results/handoff.json
	$(BIN)/python -m bench.insights $(DATA)/python-book $(DATA)/finance-book --out bench/results/insights-python-finance.json
	$(BIN)/python -m bench.load $(DATA)/python-book --out bench/results/load.json
	$(BIN)/python -m bench.fuzz --out bench/results/fuzz.json

## Golden-set suites (answers on $(DATA)'s books, else the demo's questions; quizzes and
## paths on the demo) against the release gates of evals/thresholds.yaml: exit 1 naming each
## gate crossed. Summary, HTML report and history (for the trend) in eval-results/.
eval: install
	$(BIN)/blendcoach eval --data $(DATA) --out eval-results

## CI's subset (the run on the shared books takes minutes): every suite on the demo's
## content and questions (~80 s), against the same gates.
eval-fast: install
	$(BIN)/blendcoach eval --no-llm --out var/eval-fast

## Re-resolve pyproject.toml into requirements.lock (takes a few minutes).
lock:
	rm -rf /tmp/blendcoach-lock && $(PYTHON) -m venv /tmp/blendcoach-lock
	/tmp/blendcoach-lock/bin/pip install -qq --upgrade pip
	/tmp/blendcoach-lock/bin/pip install -qq ".[dev]"
	{ echo "# Fully pinned dependency set for blendcoach (Python 3.11, CPU torch)."; \
	  echo "# Regenerate with: make lock   (resolves pyproject.toml's ranges in a fresh venv)"; \
	  /tmp/blendcoach-lock/bin/pip freeze --exclude-editable | grep -v '^blendcoach'; } > requirements.lock

clean:
	rm -rf $(VENV) $(RALPH_VENV) var .pytest_cache .mypy_cache .ruff_cache
