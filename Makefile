# Two entry points for a fresh clone: `make test` and `make demo`.
# Each creates the virtual environment and installs the package on first use.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: test demo docs lint install clean

$(STAMP): setup.cfg pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	# torch first, pinned to the local CPU wheel: an unpinned torch pulls CUDA packages
	$(PY) -m pip install --quiet -c constraints.txt torch==2.13.0
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev,benchmarks]"
	touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	$(PY) -m ruff check skattention tests benchmarks examples
	$(PY) -m pytest -q -m "not slow and not gpu" --doctest-modules skattention tests

DOCS_STAMP := $(VENV)/.installed-docs
$(DOCS_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -c constraints.txt -e ".[docs]"
	touch $(DOCS_STAMP)

# the HTML docs, gallery examples run; any warning fails the build
docs: $(DOCS_STAMP)
	$(PY) -m sphinx -W --keep-going -b html -q docs docs/_build/html

demo: $(STAMP)
	$(PY) examples/demo.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache docs/_build docs/generated docs/auto_examples docs/gen_modules
