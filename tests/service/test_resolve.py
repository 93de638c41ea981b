"""Actor name resolution: exact keys, ambiguity, fuzzy matches and autocomplete."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.cases import CaseFile

from briefings.service.names import (
    ActorNotFoundError,
    AmbiguousActorError,
    Resolver,
    fold,
)
from briefings.service.replies import ActorRef

CASES = CaseFile(Path(__file__).parent / "cases" / "resolve.toml")


def ref(id: str, name: str, type: str = "state") -> ActorRef:
    return ActorRef(id, name, type)


ACTORS = {
    r.id: r
    for r in (
        ref("africa-corps", "Africa Corps", "military"),
        ref("russia", "Russia"),
        ref("russia-mod", "Russian Ministry of Defence", "government"),
        ref("united-states", "United States"),
        ref("islamic-state", "Islamic State", "armed_group"),
        ref("is-sahel", "Islamic State Sahel Province", "armed_group"),
        ref("hezbollah", "Hezbollah", "armed_group"),
        ref("cote-divoire", "Côte d'Ivoire"),
        ref("drc", "Democratic Republic of the Congo"),
        ref("congo", "Republic of the Congo"),
        ref("georgia", "Georgia"),
        ref("georgia-us", "Georgia (US state)", "other"),
        ref("jnim", "JNIM", "armed_group"),
    )
}
NAMES = [
    ("Wagner", "africa-corps"),
    ("Wagner Group", "africa-corps"),
    ("Wagner PMC", "africa-corps"),
    ("USA", "united-states"),
    ("U.S.", "united-states"),
    ("American", "united-states"),
    ("Russian", "russia"),
    ("ISIS", "islamic-state"),
    ("Congo", "drc"),
    ("Congo", "congo"),
    ("Georgia", "georgia-us"),
    ("Ivory Coast", "cote-divoire"),
    ("Jama'at Nusrat al-Islam wal-Muslimin", "jnim"),
]


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(ACTORS, NAMES, {"Russian": "Russia", "American": "United States"})


def test_fold() -> None:
    assert fold("The U.S.A.") == "usa"
    assert fold("Côte d’Ivoire") == "cote divoire"
    assert fold("al-Qaeda") == "al qaeda"
    assert fold("Russia's Defense Ministry") == "russias mod"
    assert fold("Ministry of Foreign Affairs") == "mfa"
    assert fold("  ") == ""


@CASES.cases("exact", "query", "actor_id")
def test_exact(resolver: Resolver, query: str, actor_id: str) -> None:
    found = resolver.resolve(query)
    assert found.kind == "exact"
    assert found.actor is not None and found.actor.id == actor_id


def test_ambiguous_name_returns_the_choices(resolver: Resolver) -> None:
    found = resolver.resolve("congo")
    assert found.kind == "ambiguous"
    assert found.actor is None
    assert {c.id for c in found.candidates} == {"drc", "congo"}
    with pytest.raises(AmbiguousActorError, match="could mean") as info:
        found.require()
    assert {c.id for c in info.value.choices} == {"drc", "congo"}


@pytest.mark.parametrize(
    ("query", "actor_id"),
    [("Hezbolah", "hezbollah"), ("africa corp", "africa-corps"), ("Hizbollah", "hezbollah")],
)
def test_typos_resolve_fuzzily(resolver: Resolver, query: str, actor_id: str) -> None:
    found = resolver.resolve(query)
    assert found.kind == "fuzzy"
    assert found.actor is not None and found.actor.id == actor_id
    assert found.require().id == actor_id


@pytest.mark.parametrize("query", ["xyzzy", "qwertyuiop", "zzzz", "ab", "!!!", ""])
def test_nonsense_gets_no_suggestions(resolver: Resolver, query: str) -> None:
    found = resolver.resolve(query)
    assert found.kind == "unknown"
    assert found.candidates == ()
    with pytest.raises(ActorNotFoundError, match="knows no actor") as info:
        found.require()
    assert info.value.suggestions == ()
    assert "Did you mean" not in str(info.value)


def test_near_misses_get_did_you_mean(resolver: Resolver) -> None:
    found = resolver.resolve("islamic stat province")
    assert found.kind in ("unknown", "fuzzy")
    if found.kind == "unknown":
        assert "is-sahel" in {c.id for c in found.candidates}
    found = resolver.resolve("islamic")
    assert found.kind == "unknown"
    assert [c.id for c in found.candidates][:2] == ["islamic-state", "is-sahel"]
    with pytest.raises(ActorNotFoundError, match="Did you mean Islamic State"):
        found.require()


def test_suggest_for_autocomplete(resolver: Resolver) -> None:
    # Names first, then names with a word starting so ("al-Islam" in JNIM's long name).
    assert [r.id for r in resolver.suggest("isl")] == ["islamic-state", "is-sahel", "jnim"]
    assert [r.id for r in resolver.suggest("sahel")] == ["is-sahel"]
    assert resolver.suggest("wag")[0].id == "africa-corps"
    assert [r.id for r in resolver.suggest("congo")] == ["drc", "congo"]
    assert len(resolver.suggest("a", limit=2)) == 2
    assert resolver.suggest("") == ()
    assert resolver.suggest("xyzzy") == ()


def test_lookup_helpers(resolver: Resolver) -> None:
    assert len(resolver) == len(ACTORS)
    assert "jnim" in resolver
    assert resolver.get("jnim") == ACTORS["jnim"]
    assert "wagner" in resolver.names_of("africa-corps")
    # Names of unknown ids are ignored rather than inventing actors.
    lone = Resolver({"a": ref("a", "Alpha")}, [("Beta", "b")])
    assert lone.resolve("beta").kind == "unknown"


@pytest.fixture(scope="module")
def bundled() -> Resolver:
    """The bundled gazetteer plus one actor discovered in an article."""
    from briefings.analysis.actors.gazetteer import Gazetteer

    gazetteer = Gazetteer.default()
    refs = {a.id: ActorRef(a.id, a.name, a.type) for a in gazetteer.actors}
    refs["russian-ministry-of-defence"] = ActorRef(
        "russian-ministry-of-defence", "Russian Ministry of Defence", "government"
    )
    demonyms = {d: a.name for a in gazetteer.actors if a.type == "state" for d in a.demonyms}
    return Resolver(refs, gazetteer.names(), demonyms)


@CASES.cases("bundled_gazetteer_names", "query", "actor_id")
def test_bundled_gazetteer_names(bundled: Resolver, query: str, actor_id: str) -> None:
    found = bundled.resolve(query)
    assert found.actor is not None, found
    assert found.actor.id == actor_id


@pytest.mark.parametrize("query", ["xyzzy", "qwertyuiop", "zzzz", "moscow"])
def test_bundled_gazetteer_gives_no_nonsense(bundled: Resolver, query: str) -> None:
    # "moscow" once matched "SCO" inside it; short names are never found inside a query.
    found = bundled.resolve(query)
    assert found.kind == "unknown"
    assert found.candidates == ()


def test_bundled_gazetteer_suggestions_are_related(bundled: Resolver) -> None:
    found = bundled.resolve("talibans")
    assert found.candidates[0].name == "Taliban"
    assert all("Taliban" in c.name for c in found.candidates)
    assert [c.id for c in bundled.resolve("jnm").candidates] == ["jnim"]
    congo = bundled.resolve("congo")
    assert congo.kind == "ambiguous" and len(congo.candidates) == 2
