# The two commands: `make run` (the main job on the bundled example) and `make test`.
# Each creates or reuses .venv and installs what it needs.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q

.PHONY: run test test-fast lint test-moodle bench clean sysdeps sysdeps-test samples gallery

# A stamp per set of extras, redone when the package metadata changes.
$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip setuptools wheel

$(VENV)/.core: $(VENV)/bin/python setup.cfg pyproject.toml
	$(PIP) install -e .
	@touch $@

$(VENV)/.dev: $(VENV)/bin/python setup.cfg pyproject.toml
	$(PIP) install -e '.[dev,train,xlwings]'
	@touch $@ $(VENV)/.core

SAMPLE    := workbooks/samples/TSM_DeLearn-PW04 CNN-group-4242.zip
WORKSHEET := workbooks/samples/Grades-TSM_DeLearn-PW04 CNN-group-4242.csv

# The main job on the bundled example: grade the sample Moodle download (exit 1 there only
# means that some sample submissions need a person, which the sample is built to show).
run: $(VENV)/.core sysdeps
	@$(VENV)/bin/xlcnn grade "$(SAMPLE)" --worksheet "$(WORKSHEET)" -o results/sample-grading; \
	  rc=$$?; [ $$rc -le 1 ] || exit $$rc; \
	  echo "Open results/sample-grading/gradebook.xlsx; upload grades.csv and feedback.zip to Moodle."

sysdeps:
	@bash scripts/install-system-deps.sh

sysdeps-test:
	@bash scripts/install-system-deps.sh --test

# The linter, then the whole suite on every core (pytest-xdist): one worker more than the cores,
# since some tests wait (a stuck worker's deadline, a LibreOffice that hangs) while others compute;
# an idle worker steals queued tests, so no core waits on one that drew the long ones.
WORKERS ?= $(shell $(PYTHON) -c "import os; print(len(os.sched_getaffinity(0)) + 1)")
test: $(VENV)/.dev sysdeps-test lint
	$(PY) -m pytest -n $(WORKERS) --dist worksteal

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check xlcnn tests scripts

# While editing: everything but LibreOffice, the browser, Keras, Moodle and the slow end-to-end runs.
test-fast: $(VENV)/.dev
	$(PY) -m pytest -n $(WORKERS) --dist worksteal -m "not libreoffice and not browser and not keras and not moodle and not slow"

# Round trips through a real Moodle 4.5 (installed afresh from MOODLE_DIR; needs root for its packages).
MOODLE_DIR ?= ../shared/moodle
test-moodle: $(VENV)/.dev sysdeps
	MOODLE_DIR="$(MOODLE_DIR)" PYTHON="$(PY)" bash scripts/test_moodle.sh

bench: $(VENV)/.dev sysdeps
	$(PY) scripts/bench_conv.py
	$(PY) scripts/bench_grade.py

# Every workbook xlcnn writes, printed by LibreOffice: PDF and PNG pages in results/gallery/.
gallery: $(VENV)/.dev sysdeps-test
	$(PY) scripts/gallery.py -o results/gallery

samples: $(VENV)/.core sysdeps
	$(PY) scripts/make_samples.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis .moodle
