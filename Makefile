# The two commands: `make run` (the main job on the bundled example) and `make test`.
# Each creates or reuses .venv and installs what it needs.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q

.PHONY: run test bench clean sysdeps

# A stamp per set of extras, redone when the package metadata changes.
$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip setuptools wheel

$(VENV)/.core: $(VENV)/bin/python setup.cfg pyproject.toml
	$(PIP) install -e .
	@touch $@

$(VENV)/.dev: $(VENV)/bin/python setup.cfg pyproject.toml
	$(PIP) install -e '.[dev,train]'
	@touch $@ $(VENV)/.core

run: $(VENV)/.core
	$(VENV)/bin/xlcnn answers

sysdeps:
	@bash scripts/install-system-deps.sh

test: $(VENV)/.dev sysdeps
	$(PY) -m pytest

bench: $(VENV)/.dev
	$(PY) scripts/bench_conv.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
