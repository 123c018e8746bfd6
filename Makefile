# Two commands set everything up on a fresh machine with Python 3.11:
#   make run    runs the main job on the sample corpus (creates .venv on first use)
#   make test   runs the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= out/sample

BENCH_VENV := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed

.PHONY: run test bench lock clean

run: $(STAMP)
	$(BIN)/qualcode run corpora/sample --codebook codebooks/supervision.yaml --out $(OUT)

test: $(STAMP)
	$(BIN)/python -m pytest

# The benchmarks run the peer tools (Presidio) in an environment of their own, so that .venv
# stays as a user's: Presidio's spaCy factory would slow every spacy.load there.
bench: $(BENCH_STAMP)
	$(BENCH_VENV)/bin/python bench/redact_bench.py

$(BENCH_STAMP): requirements.lock bench/requirements.lock pyproject.toml
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --no-deps --require-hashes -r requirements.lock -r bench/requirements.lock
	$(BENCH_VENV)/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BENCH_VENV)/bin/python -m pip check
	touch $(BENCH_STAMP)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "qualcode needs Python 3.11; run: make PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	# --no-deps: the lock is complete, so nothing is resolved at install time (a new release of
	# any transitive dependency cannot change or break the set-up); pip check proves it complete.
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $(STAMP)

lock: $(STAMP)
	$(BIN)/python -m pip install --dry-run --ignore-installed --quiet --report $(VENV)/dev.json -e ".[dev]"
	$(BIN)/python .ci/lock.py $(VENV)/dev.json > requirements.lock
	$(BIN)/python -m pip install --dry-run --ignore-installed --quiet --report $(VENV)/bench.json -e ".[dev,bench]"
	$(BIN)/python .ci/lock.py $(VENV)/bench.json --minus requirements.lock > bench/requirements.lock

clean:
	rm -rf $(VENV) $(BENCH_VENV) out
