"""Analysis off the loop: the word cap, the time limit, errors that keep the article, the pool."""

from __future__ import annotations

import asyncio
import io
import os
import sys
from pathlib import Path

import pytest
from helpers.paths import ROOT
from helpers.polling import eventually

from bot.app import App
from bot.config import parse_config
from bot.workers import (
    AnalysisPool,
    InlineAnalyst,
    Limits,
    ReadRequest,
    analyse_within,
    cap_words,
    pack,
    read,
    unpack,
)
from briefings.analysis.pipeline import Analyzer
from briefings.errors import EmptyArticleError
from briefings.model import Analysis, Article

TEXT = (
    "Militia attacks convoy on the northern road\n"
    "Traders fear for the fuel supply.\n"
    "Details. On March 6, JNIM fighters attacked a fuel convoy near Kati, the army said.\n"
    "The convoy was carrying diesel to Bamako.\n"
    "Context. The group has blockaded the capital's roads since September.\n"
)


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def article(text: str = TEXT) -> Article:
    [one] = read(text.encode("utf-8"), ReadRequest("text", source="convoy.txt"))
    return one


def test_under_the_cap_the_article_is_analysed_as_it_is(analyzer: Analyzer) -> None:
    a = article()
    assert cap_words(a, 1_000) is a
    assert analyse_within(analyzer, a, Limits(1_000)) == analyzer.analyse(a)


def test_over_the_cap_the_first_words_are_analysed_and_every_word_kept(
    analyzer: Analyzer,
) -> None:
    a = article()
    capped = cap_words(a, 12)
    assert capped.text == a.text[: len(capped.text)]  # a prefix: offsets stay valid
    assert len(capped.blocks) < len(a.blocks)
    assert "Kati" in capped.text and "September" not in capped.text
    got = analyse_within(analyzer, a, Limits(12))
    assert got.article.text == a.text  # kept whole
    assert any("analysis.max_words" in n for n in got.article.notes)
    assert all(s.end <= len(capped.text) for s in got.sentences)  # only the first part
    assert "jnim" in {x.id for x in got.actors}


class SlowAnalyzer(Analyzer):
    def analyse(self, article: Article) -> Analysis:
        while True:  # a rule that never ends
            pass


class BrokenAnalyzer(Analyzer):
    def analyse(self, article: Article) -> Analysis:
        raise KeyError("a rule's bug")


class SwallowingAnalyzer(Analyzer):
    """A rule that catches every Exception must not carry on past the time limit."""

    def analyse(self, article: Article) -> Analysis:
        while True:
            try:
                while True:
                    pass
            except Exception:
                continue


@pytest.mark.parametrize("kind", [SlowAnalyzer, SwallowingAnalyzer])
def test_past_the_time_limit_the_article_is_kept_without_actors_and_events(
    kind: type[Analyzer],
) -> None:
    a = article()
    got = analyse_within(kind(), a, Limits(1_000, time_limit=0.2))
    assert got.article.text == a.text
    assert got.actors == () and got.events == ()
    assert got.sentences and got.summary.tldr
    assert any("analysis.time_limit" in n for n in got.article.notes)


def test_an_error_inside_the_analysis_keeps_the_article() -> None:
    got = analyse_within(BrokenAnalyzer(), article(), Limits(1_000))
    assert got.sentences and got.events == ()
    assert any("KeyError" in n for n in got.article.notes)


def test_input_the_readers_refuse_is_still_an_error(analyzer: Analyzer) -> None:
    with pytest.raises(EmptyArticleError):
        read(b"   \n", ReadRequest("text", source="blank.txt"))


def test_packed_parts_make_the_same_analysis(analyzer: Analyzer) -> None:
    long = TEXT + "".join(
        f"On March {n % 28 + 1}, JNIM fighters attacked a convoy near Kati {n}.\n"
        for n in range(600)
    )
    got = analyzer.analyse(article(long))
    parts = pack(got)
    assert len(parts) > 3
    assert unpack(parts) == got


async def test_the_pool_analyses_as_the_inline_analyst_does(analyzer: Analyzer) -> None:
    pool = AnalysisPool(workers=1, limits=Limits(60_000, 20.0))
    try:
        [a] = await pool.read(TEXT.encode(), ReadRequest("text", source="convoy.txt"))
        inline = InlineAnalyst(analyzer)
        assert a == (await inline.read(TEXT.encode(), ReadRequest("text", source="convoy.txt")))[0]
        assert await pool.analyse(a) == await inline.analyse(a)
    finally:
        await pool.close()


async def test_a_pool_whose_worker_died_starts_again() -> None:
    pool = AnalysisPool(workers=1, limits=Limits(60_000, 20.0))
    try:
        from concurrent.futures.process import BrokenProcessPool

        with pytest.raises(BrokenProcessPool):
            await pool._submit(os._exit, 3)  # the worker dies, twice
        got = await pool.analyse(article())
        assert "jnim" in {x.id for x in got.actors}
    finally:
        await pool.close()


async def test_every_interval_job_of_the_running_bot_is_scheduled(tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    text = """
[[sources.feeds]]
url = "http://127.0.0.1:9/feed.xml"
[[sources.folders]]
path = "inbox"
[platforms.console]
enabled = true
"""
    app = App(
        parse_config(text, environ={}, path=tmp_path / "bot.toml"),
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        console_stream=io.StringIO(),
    )
    await app.start()
    try:
        jobs = {job.name: job for job in app.scheduler.get_jobs()}
        assert {"feeds", "folder 0", "digest sync"} <= set(jobs)
        # A job added with next_run_time=None is paused in APScheduler 3: none may be.
        assert all(job.next_run_time is not None for job in jobs.values()), jobs
    finally:
        await app.stop()


_OWNER = """
import asyncio, os, sys
from bot.workers import AnalysisPool, Limits

async def main():
    pool = AnalysisPool(workers=1, limits=Limits(1000, 20.0))
    print(await pool._submit(os.getpid), flush=True)
    await asyncio.Event().wait()  # until killed

if __name__ == "__main__":
    asyncio.run(main())
"""


@pytest.mark.system
async def test_a_worker_ends_when_the_bot_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "owner.py"
    script.write_text(_OWNER, encoding="utf-8")
    owner = await asyncio.create_subprocess_exec(
        sys.executable, str(script), stdout=asyncio.subprocess.PIPE, cwd=ROOT
    )
    assert owner.stdout is not None
    line = await asyncio.wait_for(owner.stdout.readline(), 60)
    worker = int(line)
    owner.kill()  # SIGKILL: no shutdown of the pool
    await owner.wait()

    def gone() -> bool:
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            return True
        # A zombie has ended too (its parent, the fork server, reaps it as it ends).
        with open(f"/proc/{worker}/stat", encoding="ascii") as stat:
            return stat.read().split(") ")[1].startswith("Z")

    assert await eventually(gone, 15), f"worker {worker} outlived the bot"
    # The pipe it shared with the bot is closed: whoever reads the bot's output sees EOF.
    assert await asyncio.wait_for(owner.stdout.read(), 15) == b""
