# The two commands a new user needs: `make site` and `make test`; `make check` is the quick loop while editing.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
NODE   := node_modules/.installed

.PHONY: site test check lint golden clean

# SITE_FLAGS passes build options, e.g. make site SITE_FLAGS="--base-url https://user.github.io/briefs/"
site: $(STAMP)
	$(PY) build.py build $(SITE_FLAGS)

# Everything: each package's tests, the whole-site tests of tests/system/, the large-corpus (slow) tests, the
# browser and the real clients: what CI runs.
test: $(TSTAMP) $(NODE)
	$(PY) -m ruff check .
	$(PY) -m pytest -m "not served" -n 2 --dist worksteal  # two processes (the slow tests first: conftest)
	$(PY) -m pytest -m served -n 2 --dist loadscope  # the browser and served sites, whose threads stop a build forking

# The quick loop while editing (under a minute): lint and each package's own tests (tests/<package>/ and
# tests/test_*.py) but the slow ones; the whole-site, browser and real-client tests of tests/system/ (marked
# system by conftest) are left to `make test`.
check: $(TSTAMP) $(NODE)
	$(PY) -m ruff check .
	$(PY) -m pytest -m "not slow and not served and not system" -n 2  # on two processes

# Regenerate the golden sample site after an intended change to the output.
golden: $(STAMP)
	$(PY) build.py build --source tests/golden/site --output tests/golden/expected --quiet --no-cache \
	  --now 2025-03-01T00:00:00+07:00  # GOLDEN_NOW in tests/conftest.py
	rm -rf tests/golden/expected/pagefind  # not byte-reproducible (Pagefind #638); tested in the browser
	find tests/golden/expected -name share.png -delete  # drawn with the machine's fonts; test_golden checks them

$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

# Python-Markdown's own test documents (from its source release), for the differential test of the fast path.
$(TSTAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install --quiet -e '.[test]'
	rm -rf $(VENV)/markdown-tests && mkdir -p $(VENV)/markdown-tests
	$(PY) -m pip download --quiet --no-deps --no-binary :all: -d $(VENV)/markdown-tests \
	  "markdown==$$($(PY) -c 'import markdown; print(markdown.__version__)')"
	tar -xzf $(VENV)/markdown-tests/markdown-*.tar.gz -C $(VENV)/markdown-tests --strip-components=1 --wildcards '*/tests/*'
	touch $@

# The Nu HTML Checker and axe-core for the real-client tests; without npm those tests skip.
$(NODE): package.json package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: HTML-validity and accessibility tests will be skipped"; fi

clean:
	rm -rf site $(VENV) node_modules .pytest_cache .hypothesis
