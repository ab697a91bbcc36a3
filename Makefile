# Two commands do everything on a fresh Debian machine with Python 3.11:
#   make run   — install, migrate, seed the demo account, serve web + xml_curl + ESL listener
#   make test  — install and run every test (SQLite; PostgreSQL too when PBX_TEST_POSTGRES_URL is set)
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
PBX    := $(VENV)/bin/pbx
STAMP  := $(VENV)/.installed

.PHONY: install system-deps prompts run test test-fast e2e bench clean

system-deps:
	@scripts/install-system-deps.sh

$(STAMP): setup.cfg pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,postgres]'
	touch $(STAMP)

install: system-deps $(STAMP)

# Voicemail/IVR prompts spoken by espeak-ng into freeswitch-conf/sounds/{fr,en}/pbx/ (kept if
# present, so real recordings dropped there survive).
prompts: install
	$(PY) scripts/generate_prompts.py

run: install prompts
	$(PBX) db upgrade
	$(PBX) demo
	$(PBX) run

# Two phases. First everything that needs no real switch and measures no time, spread over the
# cores (pytest-xdist; each worker has its own database and ports); then, alone, what must not
# share the machine: the bounded load set and the real-switch tier (one session rig, timing).
# PYTEST_ARGS goes to both phases; `make test-fast` runs the first one only.
JOBS ?= auto
SERIAL := tests/load tests/e2e
test: test-fast
	$(PY) -m pytest -q $(SERIAL) $(PYTEST_ARGS)

test-fast: install
	$(PY) -m pytest -q -n $(JOBS) $(addprefix --ignore=,$(SERIAL)) $(PYTEST_ARGS)

# The real-switch tier alone: two FreeSWITCH 1.11 (the bundle in ../shared/freeswitch/bundle, or
# PBX_TEST_FREESWITCH, or freeswitch on the PATH) and pbx run. One scenario: make e2e PYTEST_ARGS='-k park'
e2e: install
	$(PY) -m pytest -q tests/e2e $(PYTEST_ARGS)

# Every figure the issues ask for, each as "BENCH <name> <value> <unit> ratio=<r>" against a
# baseline measured in the same run (this machine is shared and noisy). About 15 minutes
# (bench.switch needs FreeSWITCH and SIPp: it prints SKIP with the reason where they are missing).
BENCHES := bench.directory bench.dialplan bench.inbound bench.esl bench.fax bench.switch
bench: install
	@status=0; for b in $(BENCHES); do echo "== $$b"; $(PY) -m $$b || status=1; done; exit $$status

clean:
	rm -rf $(VENV) instance .pytest_cache
