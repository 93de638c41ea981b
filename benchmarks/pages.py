"""Real pages: briefbot's HTML reading against plain trafilatura, and a crash/hang sweep.

``pages CORPUS_DIR`` reads a folder that holds HTML pages (in it or in its subfolders)
and one JSON file of expected snippets in trafilatura's ``evaldata.json`` shape::

    {"https://example.org/a": {"file": "a.html", "with": ["in the text"],
                               "without": ["boilerplate"], "title": "The title"}}

and prints, on the same pages, for briefbot (``briefings.formats.parse``) and for plain
``trafilatura.extract`` with its defaults: the share of ``with`` snippets found in the
text, the share of ``without`` snippets that leak into it, title accuracy (against the
``title`` entries: equal after Unicode NFKC, case folding, one kind of quote and dash,
and without punctuation at either end) and the time per page. Snippets are compared
with their whitespace collapsed, as trafilatura's own evaluation does. briefbot's text is
what it keeps of the page's body: the dek, and each section's label (a heading becomes
the label of the section it opens) followed by its paragraphs and bullets; the title is
scored apart.

``robustness DIR [DIR ...]`` parses every file under the folders through
``briefings.service.ingest.read_articles`` and counts clean refusals, crashes (any other
exception) and hangs (over :data:`HANG_SECONDS`).
"""

from __future__ import annotations

import json
import re
import signal
import statistics
import time
import traceback
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

HANG_SECONDS = 20
"""A file that takes longer than this to parse counts as a hang."""
_SPACE = re.compile(r"\s+")
_TITLE_EDGE = re.compile(r"^[\W_]+|[\W_]+$")


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _title_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = text.replace("–", "-").replace("—", "-")
    return _TITLE_EDGE.sub("", _squash(text))


class _Hang(Exception):
    pass


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise _Hang


def _timed(work: Callable[[], Any]) -> tuple[Any, float, BaseException | None]:
    """Run ``work`` under an alarm of :data:`HANG_SECONDS`; (result, seconds, error)."""
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(HANG_SECONDS)
    t0 = time.perf_counter()
    try:
        return work(), time.perf_counter() - t0, None
    except Exception as exc:  # a crash is what this counts
        return None, time.perf_counter() - t0, exc
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _corpus(root: Path) -> tuple[dict[str, dict[str, Any]], dict[str, Path]]:
    specs = sorted(root.glob("*.json"))
    if len(specs) != 1:
        raise SystemExit(f"{root} must hold exactly one .json file of expected snippets")
    expected: dict[str, dict[str, Any]] = json.loads(specs[0].read_text("utf-8"))
    files = {p.name: p for p in sorted(root.rglob("*")) if p.is_file() and p.suffix != ".json"}
    return expected, files


class _Score:
    """Counts for one extractor."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.found = self.expected = self.leaked = self.unwanted = 0
        self.titles_right = self.titles = 0
        self.errors = self.hangs = self.empty = 0
        self.seconds: list[float] = []

    def add(self, text: str, title: str, spec: dict[str, Any]) -> None:
        body = _squash(text)
        wanted = [_squash(s) for s in spec.get("with") or []]
        unwanted = [_squash(s) for s in spec.get("without") or []]
        self.expected += len(wanted)
        self.found += sum(1 for s in wanted if s in body)
        self.unwanted += len(unwanted)
        self.leaked += sum(1 for s in unwanted if s in body)
        if spec.get("title"):
            self.titles += 1
            self.titles_right += _title_key(title) == _title_key(str(spec["title"]))

    def figures(self) -> dict[str, Any]:
        return {
            "found": self.found,
            "expected": self.expected,
            "found_share": round(self.found / max(self.expected, 1), 4),
            "leaked": self.leaked,
            "unwanted": self.unwanted,
            "leak_share": round(self.leaked / max(self.unwanted, 1), 4),
            "titles_right": self.titles_right,
            "titles": self.titles,
            "title_share": round(self.titles_right / max(self.titles, 1), 4),
            "errors": self.errors,
            "hangs": self.hangs,
            "empty": self.empty,
            "ms_per_page_median": round(statistics.median(self.seconds) * 1000, 1),
            "ms_per_page_mean": round(statistics.fmean(self.seconds) * 1000, 1),
        }


def _rendered(article: Any) -> str:
    """What briefbot keeps of a page's body: dek, and each section's label and blocks."""
    lines = [article.subtitle or ""]
    for section in article.sections:
        lines.append(section.label or "")
        lines.extend(block.text for block in section.blocks)
    return "\n".join(lines)


def bench_pages(root: Path, limit: int | None = None) -> dict[str, Any]:
    """Score briefbot and plain trafilatura on the same pages (see the module docstring)."""
    import trafilatura

    from briefings.errors import BriefingError
    from briefings.formats import parse

    expected, files = _corpus(root)
    ours, theirs = _Score("briefbot"), _Score("trafilatura")
    pages = 0
    missing = 0
    for spec in list(expected.values())[:limit]:
        path = files.get(str(spec.get("file")))
        if path is None:
            missing += 1
            continue
        data = path.read_bytes()
        pages += 1

        def briefbot(data: bytes = data, name: str = path.name) -> tuple[str, str]:
            try:
                article = parse(data, "html", source=name)
            except BriefingError:
                return "", ""
            return _rendered(article), article.title

        def plain(data: bytes = data) -> tuple[str, str]:
            text = trafilatura.extract(data) or ""
            meta = trafilatura.extract_metadata(data)
            return text, (meta.title or "") if meta is not None else ""

        for score, work in ((ours, briefbot), (theirs, plain)):
            result, seconds, error = _timed(work)
            score.seconds.append(seconds)
            if isinstance(error, _Hang):
                score.hangs += 1
                print(f"{score.name} took over {HANG_SECONDS} s on {path.name}")
            elif error is not None:
                score.errors += 1
                print(f"{score.name} failed on {path.name}: {type(error).__name__}: {error}")
            text, title = result if result is not None else ("", "")
            score.empty += not text
            score.add(text, title, spec)
    a, b = ours.figures(), theirs.figures()
    print(f"{pages} pages ({missing} listed pages missing) from {root}")
    print(f"{'':34}{'briefbot':>16}{'trafilatura':>16}")
    rows = (
        ("expected snippets found", "found", "expected", "found_share"),
        ("'without' snippets leaking in", "leaked", "unwanted", "leak_share"),
        ("titles right", "titles_right", "titles", "title_share"),
    )
    for label, num, den, share in rows:
        left = f"{a[num]}/{a[den]} {a[share]:.1%}"
        right = f"{b[num]}/{b[den]} {b[share]:.1%}"
        print(f"{label:34}{left:>16}{right:>16}")
    for label, key in (
        ("ms per page, median", "ms_per_page_median"),
        ("ms per page, mean", "ms_per_page_mean"),
    ):
        print(f"{label:34}{a[key]:>16}{b[key]:>16}")
    for label, key in (("crashes", "errors"), ("hangs", "hangs"), ("empty results", "empty")):
        print(f"{label:34}{a[key]:>16}{b[key]:>16}")
    return {"pages": pages, "briefbot": a, "trafilatura": b}


def _files(roots: list[Path]) -> Iterator[Path]:
    for root in roots:
        if root.is_file():
            yield root
        else:
            yield from (p for p in sorted(root.rglob("*")) if p.is_file())


def bench_robustness(roots: list[Path]) -> dict[str, Any]:
    """Parse every file under ``roots``; count articles, clean refusals, crashes and hangs."""
    from briefings.errors import BriefingError
    from briefings.service.ingest import read_articles

    files = read = refused = crashes = hangs = articles = 0
    slowest = (0.0, "")
    for path in _files(roots):
        files += 1
        data = path.read_bytes()
        result, seconds, error = _timed(
            lambda data=data, p=path: read_articles(data, source=str(p))
        )
        slowest = max(slowest, (seconds, str(path)))
        if isinstance(error, _Hang):
            hangs += 1
            print(f"hang: {path}")
        elif isinstance(error, BriefingError):
            refused += 1
        elif error is not None:
            crashes += 1
            print(f"crash: {path}: {type(error).__name__}: {error}")
            traceback.print_exception(error, limit=-3)
        else:
            read += 1
            articles += len(result)
    print(
        f"{files} files: {read} read ({articles} articles), {refused} refused with a clear "
        f"error, {crashes} crashes, {hangs} hangs (over {HANG_SECONDS} s); "
        f"slowest {slowest[0]:.2f} s ({slowest[1]})"
    )
    return {
        "files": files,
        "read": read,
        "articles": articles,
        "refused": refused,
        "crashes": crashes,
        "hangs": hangs,
        "slowest_s": round(slowest[0], 3),
    }
