# Two commands on a fresh machine with Python 3.11+:  make demo  ·  make test
PYTHON ?= python3
PORT ?= 8000
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/slrt-hub demo --port $(PORT)

test: $(STAMP)
	$(PY) -m pytest -q

serve: $(STAMP)
	$(VENV)/bin/slrt-hub db upgrade
	$(VENV)/bin/slrt-hub serve --port $(PORT)

clean:
	rm -rf $(VENV) .slrt .pytest_cache
