# Two commands do all the set-up: `make serve` (build and serve) and `make test`.
# The first run creates .venv and installs the project into it; later runs reuse it.
# `make` alone (or `make help`) lists the targets from their `##` comments.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TESTS_STAMP := $(VENV)/.installed-test
PIP_LOG := $(VENV)/pip.log
PORT   ?= 8000

.DEFAULT_GOAL := help
.PHONY: help html serve publish test test-fast lint clean new-source new-briefing new-entity rename-entity \
        rename-document

help:  ## list these targets
	@echo "Targets (the first run sets up .venv):"
	@awk 'BEGIN {FS = ":[^#]*## "} /^[a-z][a-z-]*:.*## / {printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# pip's progress and notices go to $(PIP_LOG); on failure the log is printed, so errors show.
PIP = $(BIN)/python -m pip install --disable-pip-version-check
define pip_quietly
	@$(PIP) $(1) >$(PIP_LOG) 2>&1 || { cat $(PIP_LOG) >&2; \
		echo "pip install $(1) failed (log above, kept in $(PIP_LOG))" >&2; exit 1; }
endef

# Building needs only the project; the tests also need Playwright, vnu, axe and hypothesis.
$(STAMP): pyproject.toml
	@echo "Setting up $(VENV) with the project's dependencies (first run only; about a minute)"
	@$(PYTHON) -m venv $(VENV)
	$(call pip_quietly,--upgrade pip)
	$(call pip_quietly,-e .)
	@touch $(STAMP)

$(TESTS_STAMP): $(STAMP)
	@echo "Installing the test tools into $(VENV) (first run only)"
	$(call pip_quietly,-e '.[test]')
	@touch $(TESTS_STAMP)

html: $(STAMP)  ## build the site into output/ (atomically: a failed build keeps the old site)
	$(BIN)/python -m research build --settings pelicanconf.py --output output

serve: $(STAMP)  ## build, serve on http://localhost:8000/ (PORT=...), rebuild and reload on changes
	$(BIN)/python -m research serve --settings pelicanconf.py --output output --port $(PORT)

publish: $(STAMP)  ## build with publishconf.py (absolute URLs, feed, sitemap) into output/
	@test -n "$(SITEURL)" || { echo "make publish needs the site's address: SITEURL=https://example.org make publish" >&2; exit 2; }
	$(BIN)/python -m research build --settings publishconf.py --output output

test: $(TESTS_STAMP)  ## run the whole test suite (what CI runs)
	$(BIN)/python -m pytest

test-fast: $(TESTS_STAMP)  ## unit and fixture-site tests only, under a minute on 2 CPUs (not the `slow` ones)
	$(BIN)/python -m pytest -q -m "not slow" -n auto

.PHONY: bench
BENCH_SIZES ?= 1000,10000
BENCH_ENTITIES ?= 3000
bench: $(STAMP)  ## time and measure plain Pelican vs our build at N = BENCH_SIZES documents (minutes)
	$(call pip_quietly,-e '.[bench]')
	$(BIN)/python bench/run.py --sizes $(BENCH_SIZES) --entities $(BENCH_ENTITIES) --json bench/out/results.json

.PHONY: ids
ids: $(STAMP)  ## give new paragraphs their ids; record cited paragraphs in content/citations.lock
	$(BIN)/python -m research ids --settings pelicanconf.py

.PHONY: check
check: $(TESTS_STAMP)  ## only the validators: vnu (needs java), axe (chromium), determinism, escaping
	$(BIN)/python -m pytest tests/test_validators.py tests/test_accessibility.py tests/test_determinism.py tests/test_escaping.py

clean:  ## remove built files and caches (keeps .venv)
	rm -rf output cache .research-cache .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

lint: $(STAMP)  ## list capitalised names in sources and briefings that match no entity
	$(BIN)/python -m research lint --settings pelicanconf.py

# Editor tools (plugins/research/scaffold.py, rename.py). Values come from the command line.
new-source: $(STAMP)  ## start a source: TITLE=... AUTHOR=... OUTLET=... DATE=2008-09-05T05:18:00-04:00
	$(if $(and $(TITLE),$(AUTHOR),$(OUTLET),$(DATE)),,$(error make new-source needs TITLE=, AUTHOR=, OUTLET= and DATE=, e.g. make new-source TITLE="Ministers Meet" AUTHOR="A. Reporter" OUTLET=CNSNews.com DATE=2008-09-05T05:18:00-04:00))
	@$(BIN)/python -m research new source --title "$$TITLE" --author "$$AUTHOR" --outlet "$$OUTLET" --date "$$DATE" $(if $(SLUG),--slug "$$SLUG")

new-briefing: $(STAMP)  ## start a briefing note: TITLE=... [DATE=YYYY-MM-DD]
	$(if $(TITLE),,$(error make new-briefing needs TITLE=, e.g. make new-briefing TITLE="The CSTO after Georgia"))
	@$(BIN)/python -m research new briefing --title "$$TITLE" $(if $(DATE),--date "$$DATE") $(if $(SLUG),--slug "$$SLUG")

new-entity: $(STAMP)  ## start an entity: TYPE=person (or organization, country, ...) NAME=...
	$(if $(and $(TYPE),$(NAME)),,$(error make new-entity needs TYPE= and NAME=, e.g. make new-entity TYPE=person NAME="Jane Doe"))
	@$(BIN)/python -m research new entity --type "$$TYPE" --name "$$NAME" $(if $(SLUG),--slug "$$SLUG")

rename-entity: $(STAMP)  ## change an entity's slug everywhere, old address redirects: OLD=... NEW=...
	$(if $(and $(OLD),$(NEW)),,$(error make rename-entity needs OLD= and NEW=, e.g. make rename-entity OLD=csto NEW=odkb))
	@$(BIN)/python -m research rename-entity "$$OLD" "$$NEW"

rename-document: $(STAMP)  ## change a source's or briefing note's slug everywhere (citations too): OLD=... NEW=...
	$(if $(and $(OLD),$(NEW)),,$(error make rename-document needs OLD= and NEW=, e.g. make rename-document OLD=ministers-meet NEW=ministers-met))
	@$(BIN)/python -m research rename-document "$$OLD" "$$NEW"
