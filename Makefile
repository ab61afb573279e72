# Two commands do all the set-up: `make serve` (build and serve) and `make test`.
# The first run creates .venv and installs the project into it; later runs reuse it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TESTS_STAMP := $(VENV)/.installed-test
PORT   ?= 8000

.PHONY: html serve publish test lint clean

# Building needs only the project; the tests also need Playwright, vnu, axe and hypothesis.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

$(TESTS_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(TESTS_STAMP)

html: $(STAMP)  ## build the site into output/ (atomically: a failed build keeps the old site)
	$(BIN)/python -m research build --settings pelicanconf.py --output output

serve: $(STAMP)  ## build, serve on http://localhost:$(PORT)/ and rebuild on changes
	$(BIN)/python -m research serve --settings pelicanconf.py --output output --port $(PORT)

publish: $(STAMP)  ## build with publishconf.py (absolute URLs, feed, sitemap) into output/
	@test -n "$(SITEURL)" || { echo "make publish needs the site's address: SITEURL=https://example.org make publish" >&2; exit 2; }
	$(BIN)/python -m research build --settings publishconf.py --output output

test: $(TESTS_STAMP)  ## run the whole test suite
	$(BIN)/python -m pytest

.PHONY: bench
BENCH_SIZES ?= 1000,10000
BENCH_ENTITIES ?= 3000
bench: $(STAMP)  ## time and measure plain Pelican vs our build at N = BENCH_SIZES documents (minutes)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run.py --sizes $(BENCH_SIZES) --entities $(BENCH_ENTITIES) --json bench/out/results.json

.PHONY: ids
ids: $(STAMP)  ## give new paragraphs their ids; record cited paragraphs in content/citations.lock
	$(BIN)/python -m research ids --settings pelicanconf.py

.PHONY: check
check: $(TESTS_STAMP)  ## only the validators: vnu (needs java), axe (chromium), determinism, escaping
	$(BIN)/python -m pytest tests/test_validators.py tests/test_accessibility.py tests/test_determinism.py tests/test_escaping.py

clean:  ## remove built files and caches (keeps .venv)
	rm -rf output cache .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

lint: $(STAMP)  ## list capitalised names in sources and briefings that match no entity
	$(BIN)/python -m research lint --settings pelicanconf.py
