"""Shared fixtures: paths, Pelican settings, and a helper that builds a site."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(ROOT / "plugins"))


@pytest.fixture
def settings(tmp_path):
    """Pelican settings for reading files outside a real site."""
    from pelican.settings import DEFAULT_CONFIG

    config = dict(DEFAULT_CONFIG)
    config.update({"PATH": str(tmp_path), "PARAGRAPH_ID_PATHS": ["sources", "briefings"],
                   "TIMEZONE": "UTC"})
    return config


@pytest.fixture
def in_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    return ROOT


def build_site(site: Path, output: Path, **overrides):
    """Build the site at `site` (a folder with pelicanconf.py) into `output`."""
    from research.build import build

    cwd = os.getcwd()
    os.chdir(site)
    try:
        return build("pelicanconf.py", str(output), overrides=overrides)
    finally:
        os.chdir(cwd)
