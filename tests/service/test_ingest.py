"""Ingest: paths, directories, globs and stdin into the store, idempotently, on both backends."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers.paths import ARTICLES
from helpers.store_samples import ACTORS, NOW, analyse, synthetic

from briefings.formats import MAX_INPUT_BYTES, parse
from briefings.model import Analysis, Article
from briefings.service.ingest import Ingestor, IngestReport, batched
from briefings.service.inputs import Rejection, expand
from briefings.store import Store

REFERENCE = ARTICLES / "mali_collapse.txt"


def write_corpus(root: Path, count: int) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in synthetic(count):
        path = root / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


async def test_ingesting_the_same_files_twice_keeps_one_article_each(
    store: Store, tmp_path: Path
) -> None:
    paths = write_corpus(tmp_path / "corpus", 50)
    ingestor = Ingestor(store, analyse, batch_size=8)
    first = await ingestor.ingest([str(tmp_path / "corpus")], now=NOW)
    assert (first.new, first.updated, first.unchanged, first.duplicate) == (50, 0, 0, 0)
    assert first.rejected == []
    second = await ingestor.ingest([str(p) for p in paths], now=NOW + timedelta(hours=1))
    assert (second.new, second.unchanged) == (0, 50)
    assert (await store.counts()).articles == 50
    stored = await store.get_article(str(paths[0].resolve()))
    assert stored is not None and stored.article.source == str(paths[0].resolve())

    paths[3].write_text(paths[3].read_text() + "Israel bombed Iran.\n", encoding="utf-8")
    third = await ingestor.ingest(
        [str(tmp_path / "corpus" / "*.txt")], now=NOW + timedelta(hours=2)
    )
    assert (third.new, third.updated, third.unchanged) == (0, 1, 49)
    assert third.summary_line() == "0 new, 1 updated, 49 unchanged, 0 duplicate, 0 rejected"
    assert (await store.counts()).articles == 50
    updated = await store.get_article(str(paths[3].resolve()))
    assert updated is not None and updated.article.text.endswith("Israel bombed Iran.")
    assert [e.text for e in await store.search_events("bombed")] == ["Israel bombed Iran."]


async def test_the_same_story_in_another_file_is_a_duplicate(store: Store, tmp_path: Path) -> None:
    original = tmp_path / "wire" / "mali.txt"
    copy = tmp_path / "mirror" / "mali-copy.txt"
    for path in (original, copy):
        path.parent.mkdir(parents=True)
        path.write_bytes(REFERENCE.read_bytes())
    report = await Ingestor(store, analyse).ingest([str(original), str(copy)], now=NOW)
    assert (report.new, report.duplicate) == (1, 1)
    stored = await store.get_article(str(original.resolve()))
    assert stored is not None
    assert [s.id for s in stored.sources] == [str(copy.resolve())]


async def test_a_rejected_input_never_stops_the_rest(store: Store, tmp_path: Path) -> None:
    good = write_corpus(tmp_path / "in", 3)
    (tmp_path / "in" / "empty.txt").write_text("  \n\n ")
    (tmp_path / "in" / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * (MAX_INPUT_BYTES // 5 + 1))
    report = await Ingestor(store, analyse).ingest(
        [str(tmp_path / "in"), str(big), str(tmp_path / "missing.txt"), str(tmp_path / "nope*.md")],
        now=NOW,
    )
    assert report.new == 3
    reasons = {Path(r.source).name: r.reason for r in report.rejected}
    assert set(reasons) == {"empty.txt", "image.txt", "big.txt", "missing.txt", "nope*.md"}
    assert "empty" in reasons["empty.txt"]
    assert "not text" in reasons["image.txt"]
    assert "2 MB" in reasons["big.txt"]
    assert reasons["missing.txt"] == "no such file or directory"
    assert reasons["nope*.md"] == "no file matches this pattern"
    assert report.summary_line() == "3 new, 0 updated, 0 unchanged, 0 duplicate, 5 rejected"
    assert (await store.counts()).articles == len(good)


async def test_an_analysis_that_fails_rejects_only_its_file(store: Store, tmp_path: Path) -> None:
    paths = write_corpus(tmp_path / "c", 4)

    def fragile(article: Article) -> Analysis:
        if article.source and article.source.endswith("story-0002.txt"):
            raise RuntimeError("boom")
        return analyse(article)

    report = await Ingestor(store, fragile).ingest([str(tmp_path / "c")], now=NOW)
    assert report.new == 3
    assert report.rejected == [
        Rejection(str(paths[2].resolve()), "analysis failed (RuntimeError: boom)")
    ]


async def test_stdin_progress_and_published_override(store: Store, tmp_path: Path) -> None:
    paths = write_corpus(tmp_path / "c", 2)
    seen: list[tuple[int, int]] = []
    report = await Ingestor(store, analyse).ingest(
        ["-", str(paths[0]), str(paths[0]), "-"],
        now=NOW,
        stdin=io.BytesIO(REFERENCE.read_bytes()),
        published=date(2026, 4, 27),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert report.new == 2
    assert seen == [(1, 2), (2, 2)]
    briefs = await store.articles_between(NOW - timedelta(days=1), NOW + timedelta(days=1))
    titles = {b.title for b in briefs}
    assert "Pro-Russian Regime in Mali Begins to Collapse" in titles
    assert {b.published for b in briefs} == {date(2026, 4, 27)}
    # Standard input has no path: its identity is its URL, else its content.
    again = await Ingestor(store, analyse).ingest(
        ["-"], now=NOW, stdin=io.BytesIO(REFERENCE.read_bytes()), published=date(2026, 4, 27)
    )
    assert again.unchanged == 1


async def test_gazetteer_actors_are_stored_before_the_first_article(store: Store) -> None:
    ingestor = Ingestor(store, analyse, actors=ACTORS.values())
    report = await ingestor.ingest([], now=NOW)
    assert report == IngestReport()
    assert {a.id for a in await store.actors.known()} == set(ACTORS)


async def test_ingest_articles_from_a_feed(store: Store) -> None:
    articles = [
        parse(text.encode(), "text", url=f"https://feed.example/{i}", fetched=NOW)
        for i, (_, text) in enumerate(synthetic(5, seed=9))
    ]
    report = await Ingestor(store, analyse, batch_size=2).ingest_articles(articles, now=NOW)
    assert report.new == 5
    again = await Ingestor(store, analyse).ingest_articles(articles, now=NOW)
    assert again.unchanged == 5


def test_expand_walks_directories_and_skips_hidden_and_foreign_files(tmp_path: Path) -> None:
    (tmp_path / "a" / ".git").mkdir(parents=True)
    (tmp_path / "a" / "sub").mkdir()
    for name in (
        "a/one.txt",
        "a/sub/two.md",
        "a/sub/three.html",
        "a/.hidden.txt",
        "a/.git/x.txt",
        "a/pic.png",
        "a/README.md",
        "a/sub/LICENSE.txt",
    ):
        (tmp_path / name).write_text("x")
    found, rejected = expand([str(tmp_path / "a"), str(tmp_path / "a" / "pic.png")])
    names = [Path(i.name).name for i in found]
    assert names == ["one.txt", "three.html", "two.md", "pic.png"]  # no README, no LICENSE
    named, _ = expand([str(tmp_path / "a" / "README.md")])
    assert [Path(i.name).name for i in named] == ["README.md"]  # read when named
    assert rejected == []
    globbed, _ = expand([str(tmp_path / "a" / "**" / "*.md")])
    assert [Path(i.name).name for i in globbed] == ["two.md"]


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Wire</title>
<item><title>Rebels besiege Bamako</title><link>https://wire.example/1</link>
<description>JNIM fighters besieged Bamako on Monday, blocking fuel convoys.</description></item>
<item><title>Washington tightens sanctions on Iran</title><link>https://wire.example/2</link>
<description>The United States imposed new sanctions on Iran on Tuesday.</description></item>
<item><title>Talks resume in Doha</title>
<description>Qatar hosted talks between the two sides on Wednesday.</description></item>
</channel></rss>
"""


async def test_a_feed_file_stores_every_entry(store: Store, tmp_path: Path) -> None:
    feed = tmp_path / "wire.xml"
    feed.write_text(RSS, encoding="utf-8")
    ingestor = Ingestor(store, analyse)
    report = await ingestor.ingest([str(feed)], now=NOW, published=date(2026, 4, 1))
    assert (report.new, report.rejected) == (3, [])
    assert (await store.counts()).articles == 3
    for ident in ("https://wire.example/1", "https://wire.example/2"):
        stored = await store.get_article(ident)
        assert stored is not None and stored.article.published == date(2026, 4, 1)
    # The entry without a link is told apart from the file by its place in it.
    assert await store.get_article(f"{feed.resolve()}#3") is not None
    again = await ingestor.ingest([str(feed)], now=NOW, published=date(2026, 4, 1))
    assert (again.new, again.unchanged) == (0, 3)


async def test_a_json_list_stores_every_article_and_broken_json_is_text(
    store: Store, tmp_path: Path
) -> None:
    listing = tmp_path / "list.json"
    listing.write_text(
        '[{"title": "Rebels besiege Bamako", "url": "https://wire.example/a",'
        ' "body": "JNIM fighters besieged Bamako on Monday."},'
        ' {"title": "Iran sanctions", "url": "https://wire.example/b",'
        ' "body": "The United States imposed new sanctions on Iran."}]',
        encoding="utf-8",
    )
    prose = tmp_path / "note.txt"
    prose.write_text("[Update] JNIM fighters besieged Bamako on Monday.\n", encoding="utf-8")
    report = await Ingestor(store, analyse).ingest([str(listing), str(prose)], now=NOW)
    assert (report.new, report.rejected) == (3, [])
    assert await store.get_article("https://wire.example/b") is not None
    assert await store.get_article(str(prose.resolve())) is not None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("x\n", "only a title ('x')"),
        ("Mali\n\nBamako\n", "1 line under 'Mali', none a sentence"),
        ("Files\n\n| a | b |\n|---|---|\n| c | d |\n", "none a sentence"),
    ],
)
async def test_text_without_a_sentence_like_body_is_refused_with_the_reason(
    store: Store, tmp_path: Path, text: str, reason: str
) -> None:
    path = tmp_path / "tiny.txt"
    path.write_text(text, encoding="utf-8")
    report = await Ingestor(store, analyse).ingest([str(path)], now=NOW)
    assert report.new == 0 and len(report.rejected) == 1
    assert reason in report.rejected[0].reason
    assert "at least one sentence" in report.rejected[0].reason
    flash = tmp_path / "flash.txt"
    flash.write_text("JNIM fighters besieged Bamako on Monday.\n", encoding="utf-8")
    assert (await Ingestor(store, analyse).ingest([str(flash)], now=NOW)).new == 1


def test_batches_are_bounded_by_articles_and_by_words() -> None:
    analyses = [analyse(parse(text.encode(), "text")) for _, text in synthetic(12, words=300)]
    words = [a.article.word_count for a in analyses]
    by_count = list(batched(analyses, articles=5, words=10**9))
    assert [len(b) for b in by_count] == [5, 5, 2]
    limit = 3 * min(words)
    by_words = list(batched(analyses, articles=500, words=limit))
    assert [a for b in by_words for a in b] == analyses  # nothing lost, order kept
    for batch in by_words:
        # A batch closes on the article that reaches the limit: all but its last are under.
        assert sum(a.article.word_count for a in batch[:-1]) < limit
    assert 3 <= len(by_words) <= 6
    alone = list(batched(analyses[:3], articles=500, words=1))
    assert [len(b) for b in alone] == [1, 1, 1]  # a long article makes a batch of its own


async def test_ingest_saves_in_word_bounded_batches(store: Store, tmp_path: Path) -> None:
    write_corpus(tmp_path / "corpus", 20)
    saved: list[int] = []
    save_many = store.save_many

    async def counting(batch: list[Analysis], **kwargs: object) -> object:
        saved.append(len(batch))
        return await save_many(batch, **kwargs)  # type: ignore[arg-type]

    store.save_many = counting  # type: ignore[method-assign]
    report = await Ingestor(store, analyse, batch_words=1000).ingest(
        [str(tmp_path / "corpus")], now=NOW
    )
    assert report.new == 20 and (await store.counts()).articles == 20
    assert sum(saved) == 20 and max(saved) <= 3  # about 350 words each: three reach 1,000
