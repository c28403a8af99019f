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
$(STAMP): pyproject.toml Makefile tests/devserver/browser/package-lock.json | $(PY)
	$(VENV)/bin/uv pip install --quiet --python $(PY) -e '.[all]'
	@# Smart Turn's weights ship in the pipecat-ai wheel; hrlab reads the file, never pipecat's code, whose
	@# dependencies (an older protobuf, numba) would clash with livekit's: hence --no-deps (hrlab/providers/smart_turn.py).
	$(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps pipecat-ai==1.14.0
	@if command -v npm >/dev/null; then npm ci --silent --no-audit --no-fund --prefix tests/devserver/browser; \
	else echo "npm not found: the browser test will skip"; fi
	touch $(STAMP)

install: system $(STAMP)

system:
	@bash scripts/install-system.sh

services:
	@bash scripts/services.sh

demo: install services
	$(VENV)/bin/hrlab demo

# Two runs: everything else on the host's network (PostgreSQL, Redis on 127.0.0.1), then the
# livekit tests in a private network namespace (scripts/test-livekit.sh says why). Both always run;
# scripts/test-both.sh reports each and fails when either failed.
test: install services
	bash scripts/test-both.sh $(PY) $(PYTEST_ARGS)

bench: install services
	@command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null || echo "bench: wrk is missing (apt-get install wrk)"
	$(PY) -m bench.run_all

clean:
	rm -rf $(VENV) data/*.db .pytest_cache
