"""The Makefile explains itself: `make` lists the targets, editor targets say what they need."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def make(*args) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_make_alone_lists_every_documented_target():
    listed = make()
    assert listed.returncode == 0 and listed.stdout == make("help").stdout
    documented = re.findall(r"^([a-z][a-z-]*):[^#\n]*## (.+)$",
                            (ROOT / "Makefile").read_text(), re.M)
    assert len(documented) >= 12
    for target, text in documented:
        assert re.search(rf"^  make {re.escape(target)} +{re.escape(text)}$", listed.stdout,
                         re.M), target


@pytest.mark.parametrize("target, message", [
    ("new-entity", "make new-entity needs TYPE= and NAME="),
    ("new-source", "make new-source needs TITLE=, AUTHOR=, OUTLET= and DATE="),
    ("new-briefing", "make new-briefing needs TITLE="),
    ("rename-entity", "make rename-entity needs OLD= and NEW="),
])
def test_editor_targets_say_what_they_need(target, message):
    result = make(target, "STAMP=Makefile")  # no set-up: the check comes first
    assert result.returncode != 0 and message in result.stderr


def test_pip_output_is_kept_in_a_log_and_shown_only_on_failure():
    makefile = (ROOT / "Makefile").read_text()
    installs = [line for line in makefile.splitlines() if "pip install" in line
                or "pip_quietly" in line]
    assert installs and all("--quiet" not in line for line in installs)
    assert all("$(call pip_quietly" in line or line.startswith(("PIP =", "define", "\t\techo"))
               for line in installs), installs
    dry = make("-n", "-B", ".venv/.installed", "PYTHON=true")
    assert ">.venv/pip.log 2>&1 || { cat .venv/pip.log >&2" in dry.stdout
