"""``briefbot brief``, ``actor`` and ``events`` against a SQLite store: text, JSON and rich."""

from __future__ import annotations

import asyncio
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from helpers import replies as helper_replies
from helpers.store_samples import ACTORS, MALI, make_analysis

from bot.cli import main
from bot.cli.lookup import render
from briefings.service.replies import (
    ActorProfile,
    ActorRef,
    Digest,
    DigestItem,
    EventList,
    Relation,
    SourceLink,
)
from briefings.store import Store

CUBA = [
    "The United States imposed a blockade on Cuba's energy imports.",
    "Officials in Havana said the [bold]blockade[/bold] had emptied fuel stations.",
]


async def _seed(url: str, now: datetime) -> None:
    store = await Store.open(url)
    try:
        await store.sync_actors(ACTORS.values(), now=now)
        for title, paragraphs, ident in (
            ("Pro-Russian regime in Mali begins to collapse", MALI, "mali"),
            ("US tightens the energy blockade of Cuba", CUBA, "cuba"),
        ):
            analysis = make_analysis(
                title,
                paragraphs,
                id=f"https://wire.example/{ident}",
                url=f"https://wire.example/{ident}",
                source="wire.example",
                fetched=now - timedelta(hours=1),
            )
            await store.save(analysis, now=now - timedelta(hours=1))
    finally:
        await store.close()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("lookup") / "store.db"
    # The CLI reads the real clock, so the stories arrive an hour before it.
    asyncio.run(_seed(str(path), datetime.now(UTC)))
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_actor_wagner_as_text(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "actor", "wagner", "--db", db)
    assert code == 0, err
    assert out.startswith("Africa Corps [armed_group]")
    assert "Timeline:" in out and "withdraw" in out
    assert "Pro-Russian regime in Mali begins to collapse" in out
    assert "\x1b[" not in out  # piped: no colours


def test_actor_as_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "actor", "russian", "military", "--json", "--db", db)
    assert code == 0
    data = json.loads(out)
    assert data["actor"]["id"] == "russia-military"
    code, out, _ = run(capsys, "actor", "JNIM", "--json", "--db", db)
    data = json.loads(out)
    assert data["actor"] == {"id": "jnim", "name": "JNIM", "type": "armed_group"}
    assert data["timeline"][0]["date"] == "2026-04-25"
    assert data["timeline"][0]["source"]["published"] == "2026-04-27"
    assert data["mentions"] == [["2026-04-27", 1]]


def test_unknown_actor_exits_1_without_nonsense(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "actor", "xyzzy", "--db", db)
    assert code == 1 and out == ""
    assert "knows no actor called 'xyzzy'" in err and "Did you mean" not in err
    code, out, _ = run(capsys, "actor", "xyzzy", "--json", "--db", db)
    assert code == 1
    assert json.loads(out) == {
        "error": "not_found",
        "message": "briefbot knows no actor called 'xyzzy'.",
        "candidates": [],
    }


def test_events(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "events", "blockade", "--db", db)
    assert code == 0
    assert "Events for 'blockade'" in out and "Cuba" in out and "2026-04-27" in out
    code, out, _ = run(capsys, "events", "siege", "--since", "365d", "--json", "--db", db)
    data = json.loads(out)
    assert [e["location"] for e in data["entries"]] == ["Bamako"]
    # --since reads the articles' own dates (April), not when they were ingested.
    code, out, _ = run(capsys, "events", "siege", "--since", "7d", "--json", "--db", db)
    assert json.loads(out)["entries"] == []
    code, out, _ = run(capsys, "events", "siege", "--type", "assault", "--json", "--db", db)
    assert json.loads(out)["entries"] == []


def test_brief(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "brief", "--since", "30d", "--db", db)
    assert code == 0
    assert out.startswith("Briefing: last 30 days")
    assert "Pro-Russian regime in Mali begins to collapse" in out
    assert "US tightens the energy blockade of Cuba" in out
    code, out, _ = run(capsys, "brief", "--actor", "JNIM", "--json", "--db", db)
    data = json.loads(out)
    assert [i["headline"] for i in data["items"]] == [
        "Pro-Russian regime in Mali begins to collapse"
    ]
    code, out, _ = run(capsys, "brief", "--keyword", "havana", "--json", "--db", db)
    assert [i["story_id"] for i in json.loads(out)["items"]] == ["https://wire.example/cuba"]


def test_database_from_the_environment(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFBOT_DB", db)
    code, out, _ = run(capsys, "actor", "cuba", "--json")
    assert code == 0 and json.loads(out)["actor"]["id"] == "cuba"


def test_brief_actor_and_events_take_the_database_of_a_config(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BRIEFBOT_DB", raising=False)
    config = tmp_path / "bot.toml"
    config.write_text(f'[storage]\nurl = "sqlite:///{db}"\n', encoding="utf-8")
    code, out, _ = run(capsys, "brief", "--since", "30d", "--json", "--config", str(config))
    assert code == 0 and len(json.loads(out)["items"]) == 2
    code, out, _ = run(capsys, "actor", "cuba", "--json", "--config", str(config))
    assert code == 0 and json.loads(out)["actor"]["id"] == "cuba"
    code, out, _ = run(capsys, "events", "blockade", "--json", "--config", str(config))
    assert code == 0 and json.loads(out)["entries"]
    broken = tmp_path / "broken.toml"
    broken.write_text("[storage]\nurl = 5\n", encoding="utf-8")
    code, _, err = run(capsys, "brief", "--config", str(broken))
    assert code == 2 and "storage.url" in err


def test_a_bad_window_is_a_usage_error(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["brief", "--since", "7x", "--db", db])
    assert info.value.code == 2
    assert "not a time window" in capsys.readouterr().err


def test_missing_database_directory_is_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "actor", "wagner", "--db", str(tmp_path / "new" / "b.db"))
    assert code == 0 and "Africa Corps" in out and "No" not in out.splitlines()[0]


MALI_REF = helper_replies.MALI
ENTRY = replace(
    helper_replies.SIEGE,
    text="Rebels declared a [red]total siege[/red] of Bamako.",
    attribution="the Russian Ministry of Defence",
    modality="alleged",
    source=SourceLink("Mali collapses", "https://wire.example/mali", "wire", date(2026, 4, 27)),
)


def rich_text(reply: object) -> str:
    out = io.StringIO()
    render(reply, out, rich=True, width=200)  # type: ignore[arg-type]
    return out.getvalue()


def test_rich_rendering_keeps_article_text_literal() -> None:
    profile = ActorProfile(
        actor=ActorRef("jnim", "JNIM", "armed_group"),
        aliases=("GSIM",),
        country="Mali",
        mentions=((date(2026, 4, 26), 1), (date(2026, 4, 27), 4)),
        timeline=(ENTRY,),
        related=(Relation(MALI_REF, 3, "against"),),
        sources=(ENTRY.source,),
        since=None,
    )
    text = rich_text(profile)
    assert "JNIM" in text and "GSIM" in text and "5 mentions" in text
    assert "[red]total siege[/red]" in text  # markup in article text is not interpreted
    assert "alleged by the Russian Ministry of Defence" in text
    assert "acts against" in text
    events = rich_text(EventList("siege", None, (ENTRY,)))
    assert "Events for 'siege'" in events and "2026-04-25" in events
    assert "No events found" in rich_text(EventList("xyzzy", None, ()))
    item = DigestItem(
        story_id="s",
        headline="Mali collapses",
        tldr="The junta is losing ground.",
        key_points=("Bamako under siege.",),
        actors=(MALI_REF,),
        sources=(ENTRY.source,),
        event_count=3,
        published=datetime(2026, 4, 27, tzinfo=UTC),
    )
    start = datetime(2026, 4, 26, tzinfo=UTC)
    digest = rich_text(Digest("Briefing: last 24 hours", start, start + timedelta(days=1), (item,)))
    assert "Mali collapses" in digest and "Bamako under siege." in digest and "3 events" in digest
    empty = rich_text(Digest("Briefing", start, start + timedelta(days=1), ()))
    assert "Nothing new" in empty
