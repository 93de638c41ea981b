"""briefbot's benchmarks: ``python benchmarks/run.py NAME`` prints figures, last line JSON.

Names: ``analysis`` (full-analysis throughput of the core), ``slack`` and ``discord``
(command latency on a 100k-article store and a 200-channel digest fan-out; the store is
built once and cached in the user cache directory, see ``bigstore``), ``store`` (ingest
rate, ``actor_profile``/``search_events`` latency on that store, ``match()`` cost at 1k-100k
subscriptions and peak RSS, on SQLite and then PostgreSQL). Every figure is the median
of several runs; these machines are shared, so compare ratios and medians, not one run.
``fanout`` (1,000 channel digests and 10,000 DMs with 1 and 4 bot processes on PostgreSQL,
through a recording platform and the Slack and Discord fakes: total time against the
rate-limit floor, lost and duplicated deliveries) runs each rate-limited configuration
``--runs`` times and reports the median; ``--busy N`` runs N busy-loop processes beside
it (one per core for a loaded machine), ``--targets discord`` limits it to one platform
and ``--profile DIR`` writes each bot process's cProfile statistics there.
``burst`` (Slack and Discord command latency idle, then while 500 articles, ten of them
about 1 MB, go through the pipeline and its analysis workers) gives medians of its runs.
``pages CORPUS_DIR`` (briefbot's HTML reading against plain trafilatura on pages with
expected snippets) and ``robustness DIR [DIR ...]`` (crashes and hangs over any files)
take folders; see ``benchmarks/pages.py``.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the fakes the platform benchmarks run against
sys.path.insert(0, str(ROOT / "benchmarks"))

REFERENCE = ROOT / "tests" / "fixtures" / "articles" / "mali_collapse.txt"


def _median_rate(runs: int, work: Callable[[], int]) -> tuple[float, list[float]]:
    """Run ``work`` (which returns how many units it did) ``runs`` times; median units/s."""
    rates = []
    for _ in range(runs):
        t0 = time.perf_counter()
        units = work()
        rates.append(units / (time.perf_counter() - t0))
    return statistics.median(rates), rates


def machine_speed_us() -> float:
    """Median µs of a fixed pure-Python loop: the yardstick to read figures against.

    These machines are shared; when others load them this figure grows with every other
    timing, so compare runs by their ratio to it (about 10 µs on an idle core here).
    """
    import timeit

    samples = [timeit.timeit("sum(range(1000))", number=2000) / 2000 * 1e6 for _ in range(7)]
    return statistics.median(samples)


def analysis_build() -> tuple[str, int, int]:
    """Which build the analysis runs on: "compiled" when mypyc built any of its modules.

    Counts the loaded ``briefings`` modules that are C extensions (``BRIEFBOT_COMPILE=1``,
    see setup.py) against all loaded ones, so a figure always says what it measured.
    """
    from importlib.machinery import EXTENSION_SUFFIXES

    files = [
        getattr(module, "__file__", None) or ""
        for name, module in list(sys.modules.items())
        if name == "briefings" or name.startswith("briefings.")
    ]
    compiled = sum(f.endswith(tuple(EXTENSION_SUFFIXES)) for f in files)
    return ("compiled" if compiled else "pure"), compiled, len(files)


def bench_analysis(runs: int) -> dict[str, Any]:
    """Parse + analyse: the reference article repeated, then 1,000 generated articles."""
    from corpus import generate

    from briefings.analysis.pipeline import Analyzer
    from briefings.formats import parse

    analyzer = Analyzer()
    fetched = datetime(2026, 4, 27, tzinfo=UTC)
    reference = REFERENCE.read_bytes()
    ref_words = len(reference.decode("utf-8").split())

    def reference_run() -> int:
        n = 500
        for _ in range(n):
            analyzer.analyse(parse(reference, "text", published=date(2026, 4, 27), fetched=fetched))
        return n

    corpus = [(g.text.encode("utf-8"), g.published, g.words) for g in generate(1000, seed=11)]
    total_words = sum(w for _, _, w in corpus)

    def generated_run() -> int:
        for data, published, _ in corpus:
            analyzer.analyse(parse(data, "text", published=published, fetched=fetched))
        return len(corpus)

    reference_run()  # warm up caches and the automaton
    build, compiled, loaded = analysis_build()
    print(
        f"build: {build} ({compiled} of {loaded} loaded briefings modules compiled with mypyc)"
        if compiled
        else "build: pure Python (BRIEFBOT_COMPILE=1 builds the compiled variant, see setup.py)"
    )
    gc.collect()
    gc.freeze()  # the corpus and the gazetteer are inputs, not garbage to scan on every collection
    speed_before = machine_speed_us()
    ref_rate, ref_all = _median_rate(runs, reference_run)
    gen_rate, gen_all = _median_rate(runs, generated_run)
    speed = statistics.median([speed_before, machine_speed_us()])
    print(f"machine yardstick: sum(range(1000)) takes {speed:.1f} µs (about 10 on an idle core)")
    print(
        f"reference article ({ref_words} words): {ref_rate:,.0f} articles/s "
        f"(runs: {', '.join(f'{r:,.0f}' for r in ref_all)})"
    )
    print(
        f"generated: 1,000 articles, {total_words:,} words, "
        f"{total_words / len(corpus):,.0f} words/article on average"
    )
    print(
        f"generated: {gen_rate:,.0f} articles/s, "
        f"{gen_rate * total_words / len(corpus):,.0f} words/s "
        f"(runs: {', '.join(f'{r:,.0f}' for r in gen_all)})"
    )
    lexrank = _sumy_rate(runs, reference.decode("utf-8"))
    if lexrank is not None:
        print(
            f"sumy LexRank on the same article: {lexrank:,.0f} articles/s; "
            f"briefbot's whole analysis is {ref_rate / lexrank:.1f}× that"
        )
    else:
        print("sumy LexRank: not installed (pip install -e '.[bench]' to compare)")
    scaling = _scaling(runs)
    return {
        "runs": runs,
        "build": build,
        "compiled_modules": compiled,
        "yardstick_us": round(speed, 2),
        "sumy_lexrank_articles_per_s": round(lexrank, 1) if lexrank is not None else None,
        "ratio_to_sumy": round(ref_rate / lexrank, 2) if lexrank is not None else None,
        **scaling,
        "reference_words": ref_words,
        "reference_articles_per_s": round(ref_rate, 1),
        "generated_articles_per_s": round(gen_rate, 1),
        "generated_words_per_s": round(gen_rate * total_words / len(corpus)),
        "generated_mean_words": round(total_words / len(corpus)),
    }


def _sumy_rate(runs: int, text: str) -> float | None:
    """sumy's LexRank (summary only, five sentences) on ``text``: median articles/s.

    sumy's own tokenizer needs NLTK data downloaded at run time, which these machines
    cannot fetch, so sentences are cut at ``.!?`` plus blanks and words are ``\\w+`` runs,
    both cheaper than NLTK's; the comparison flatters sumy, if anything.
    """
    try:
        from sumy.nlp.stemmers import Stemmer
        from sumy.parsers.plaintext import PlaintextParser
        from sumy.summarizers.lex_rank import LexRankSummarizer
        from sumy.utils import get_stop_words
    except ImportError:
        return None
    import re

    class Tokenizer:
        language = "english"

        def to_sentences(self, paragraph: str) -> list[str]:
            return [s for s in re.split(r"(?<=[.!?])\s+", paragraph.strip()) if s]

        def to_words(self, sentence: str) -> list[str]:
            return re.findall(r"\w+", sentence)

    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = Tokenizer()

    def work() -> int:
        n = 50
        for _ in range(n):
            summarizer(PlaintextParser.from_string(text, tokenizer).document, 5)
        return n

    work()
    rate, _ = _median_rate(runs, work)
    return rate


SIZES = (1_000, 10_000, 80_000)
"""Article lengths, in words, at which the analysis cost per word is measured."""


def _scaling(runs: int) -> dict[str, float]:
    """Per-word analysis time of one article of 1k, 10k and 80k words with many names."""
    from corpus import generate_long

    from briefings.analysis.pipeline import Analyzer
    from briefings.formats import parse

    analyzer = Analyzer()
    fetched = datetime(2026, 4, 27, tzinfo=UTC)
    per_word: dict[int, float] = {}
    for size in SIZES:
        long = generate_long(size)
        data = long.text.encode("utf-8")
        names = len(
            [
                a
                for a in analyzer.analyse(
                    parse(data, "text", published=long.published, fetched=fetched)
                ).actors
                if a.actor.discovered
            ]
        )
        repeat = max(1, SIZES[-1] // size)  # every sample analyses about as many words
        times = []
        for _ in range(max(3, runs)):
            t0 = time.perf_counter()
            for _ in range(repeat):
                analyzer.analyse(parse(data, "text", published=long.published, fetched=fetched))
            times.append((time.perf_counter() - t0) / repeat)
        per_word[size] = statistics.median(times) / long.words * 1e6
        print(
            f"one article of {long.words:,} words, {names:,} discovered names: "
            f"{statistics.median(times):.3f} s, {per_word[size]:.1f} µs/word "
            f"(median of {len(times)} samples of {repeat} analyses)"
        )
    ratio = per_word[SIZES[-1]] / per_word[SIZES[0]]
    print(f"per-word time at {SIZES[-1]:,} words is {ratio:.2f}× that at {SIZES[0]:,} (target ≤ 2)")
    return {
        **{f"us_per_word_{size // 1000}k": round(t, 2) for size, t in per_word.items()},
        "per_word_ratio_80k_to_1k": round(ratio, 2),
    }


def bench_slack(runs: int) -> dict[str, float]:
    """Slack: signed command latency on a 100k-article store and a 200-channel fan-out."""
    from slack_bench import bench_slack as run

    return run(runs)


def bench_discord(runs: int) -> dict[str, float]:
    """Discord: interaction latency on a 100k-article store and a 200-channel fan-out."""
    from discord_bench import bench_discord as run

    return run(runs)


def bench_fanout(runs: int) -> dict[str, Any]:
    """Fan-out: 1,000 channel digests and 10,000 DMs, 1 and 4 processes, against the floor."""
    from fanout_bench import bench_fanout as run

    return run(runs)


def bench_store(runs: int) -> dict[str, Any]:
    """Store: ingest rate, answer latency, matching cost and memory, SQLite and PostgreSQL."""
    from store_bench import bench_store as run

    return run(runs)


def bench_burst(runs: int) -> dict[str, Any]:
    """Burst: Slack and Discord command latency idle and while 500 articles are ingested."""
    from burst_bench import bench_burst as run

    return run(runs)


BENCHES: dict[str, Callable[[int], dict[str, Any]]] = {
    "analysis": bench_analysis,
    "slack": bench_slack,
    "discord": bench_discord,
    "store": bench_store,
    "fanout": bench_fanout,
    "burst": bench_burst,
}


def bench_pages(paths: list[Path], limit: int | None) -> dict[str, Any]:
    """Pages: briefbot against plain trafilatura on pages with expected snippets."""
    from pages import bench_pages as run

    return run(paths[0], limit)


def bench_robustness(paths: list[Path], limit: int | None) -> dict[str, Any]:
    """Robustness: every file under the folders parsed; crashes and hangs counted."""
    from pages import bench_robustness as run

    return run(paths)


FOLDER_BENCHES: dict[str, Callable[[list[Path], int | None], dict[str, Any]]] = {
    "pages": bench_pages,
    "robustness": bench_robustness,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("name", choices=sorted([*BENCHES, *FOLDER_BENCHES]))
    parser.add_argument("paths", nargs="*", type=Path, help="folders, for pages and robustness")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median reported)")
    parser.add_argument(
        "--busy",
        type=int,
        default=0,
        metavar="N",
        help="fanout: N processes in a busy loop beside it (one per core: a loaded machine)",
    )
    parser.add_argument(
        "--targets",
        default="recording,slack,discord",
        help="fanout: which of recording, slack, discord to run (comma-separated)",
    )
    parser.add_argument(
        "--processes",
        default="1,4",
        help="fanout: with how many bot processes to run (comma-separated)",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        metavar="DIR",
        help="fanout: write each bot process's cProfile statistics to DIR",
    )
    parser.add_argument("--limit", type=int, default=None, help="pages: read only the first N")
    args = parser.parse_args()
    if args.name == "fanout":
        import fanout_bench

        fanout_bench.OPTIONS.update(
            busy=max(args.busy, 0),
            targets=tuple(t for t in args.targets.split(",") if t),
            processes=tuple(int(n) for n in args.processes.split(",") if n),
            profile=args.profile,
        )
    if args.name in FOLDER_BENCHES:
        if not args.paths:
            parser.error(f"{args.name} needs a folder")
        figures = FOLDER_BENCHES[args.name](args.paths, args.limit)
    else:
        figures = BENCHES[args.name](max(args.runs, 1))
    print(json.dumps({"benchmark": args.name, **figures}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
