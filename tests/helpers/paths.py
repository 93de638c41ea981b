"""Where the tests find the project, the fixture articles and the golden files."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
ARTICLES = TESTS / "fixtures" / "articles"
GOLDEN_FILES = TESTS / "golden"
