"""``benchmarks/run.py pages`` and ``robustness`` on a tiny corpus written here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from helpers.paths import ROOT

PARAGRAPHS = [
    "The regional council approved the new water plan on Tuesday after a six-hour debate.",
    "Farmers in the valley had asked for the plan since the drought of 2022 dried their wells.",
    "The plan sets aside 40 million euros for reservoirs and pipes over the next five years.",
    "Opposition members said the money would not reach the smallest villages in time.",
]


def run(*args: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_pages_scores_both_extractors_on_the_same_pages(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    (pages / "water.html").write_text(
        "<html><head><title>Water plan approved | Valley Times</title>"
        "<meta property='og:site_name' content='Valley Times'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/contact'>Contact us today</a></nav>"
        f"<article><h1>Water plan approved</h1>{body}</article>"
        "<footer>Imprint and privacy notice of Valley Times</footer></body></html>",
        encoding="utf-8",
    )
    expected = {
        "https://valleytimes.example/water": {
            "file": "water.html",
            "with": [PARAGRAPHS[0], PARAGRAPHS[3], "no such sentence anywhere"],
            "without": ["Imprint and privacy notice", "Contact us today"],
            "title": "Water plan approved",
        },
        "https://valleytimes.example/missing": {"file": "gone.html", "with": [], "without": []},
    }
    (tmp_path / "evaldata.json").write_text(json.dumps(expected), encoding="utf-8")
    figures = run("pages", str(tmp_path))
    assert figures["pages"] == 1
    ours = figures["briefbot"]
    theirs = figures["trafilatura"]
    assert isinstance(ours, dict) and isinstance(theirs, dict)
    assert (ours["found"], ours["expected"]) == (2, 3)
    assert (ours["leaked"], ours["unwanted"]) == (0, 2)
    assert (ours["titles_right"], ours["titles"]) == (1, 1)
    assert theirs["expected"] == 3 and theirs["unwanted"] == 2
    assert ours["errors"] == ours["hangs"] == 0


def test_robustness_counts_refusals_and_articles(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("Title\nA paragraph of text.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    figures = run("robustness", str(tmp_path))
    assert figures["files"] == 3
    assert figures["read"] == 1 and figures["articles"] == 1
    assert figures["refused"] == 2
    assert figures["crashes"] == figures["hangs"] == 0
