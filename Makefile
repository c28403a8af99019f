# Two commands on a fresh machine: `make demo` and `make test`. Everything installs into .venv/.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test install system services clean bench

$(PY):
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip uv

# Reinstall when pyproject.toml changes.
$(STAMP): pyproject.toml | $(PY)
	$(VENV)/bin/uv pip install --quiet --python $(PY) -e '.[all]'
	touch $(STAMP)

install: system $(STAMP)

system:
	@bash scripts/install-system.sh

services:
	@bash scripts/services.sh

demo: install services
	$(VENV)/bin/hrlab demo

test: install services
	$(PY) -m pytest -q -ra $(PYTEST_ARGS)

bench: install services
	$(PY) -m bench.run_all

clean:
	rm -rf $(VENV) data/*.db .pytest_cache
