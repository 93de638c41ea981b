"""The actor finder: the reference article, context rules, discovery, mentions and salience."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.actor_finding import article, find, surfaces
from helpers.cases import CaseFile
from helpers.paths import ARTICLES

from briefings.analysis.actors.finder import ActorFinder
from briefings.analysis.actors.gazetteer import Gazetteer
from briefings.analysis.actors.matcher import matcher_for
from briefings.formats import parse
from briefings.formats.base import build_article
from briefings.model import ActorFindings, Article
from briefings.text.sentences import split_sentences

FIXTURES = ARTICLES
CASES = CaseFile(Path(__file__).parent / "cases" / "actors.toml")


def ids(found: ActorFindings) -> set[str]:
    return {a.id for a in found.actors}


def places(found: ActorFindings) -> list[str]:
    return [p.surface for p in found.places]


# ---------------------------------------------------------------------- the reference article
@pytest.fixture(scope="module")
def reference(finder: ActorFinder) -> tuple[Article, ActorFindings]:
    art = parse((FIXTURES / "mali_collapse.txt").read_bytes(), format="text")
    return art, finder.find(art, split_sentences(art))


def test_reference_article_finds_the_actors(reference: tuple[Article, ActorFindings]) -> None:
    _, found = reference
    expected = {
        "jnim",
        "fla",
        "mali",
        "mali-government",
        "russia",
        "russia-ministry-of-defence",
        "africa-corps",
        "ukraine",
        "european-union",
        "syria-government",
        "venezuela-government",
        "iran",
        "united-states",
        "israel",
        "cuba",
        "al-qaeda",
        "islamic-state",
        "taliban",
        "afghan-mujahideen",
    }
    assert expected <= ids(found)
    assert {"US", "USA"} <= set(surfaces(found, "united-states"))
    assert "military junta in Mali" in surfaces(found, "mali-government")
    assert "Mali’s Defence Minister" in surfaces(found, "mali-defence-minister")
    assert "Russian troops" in surfaces(found, "russia-military")


def test_reference_article_links_aliases(reference: tuple[Article, ActorFindings]) -> None:
    _, found = reference
    by_id = {a.id: a for a in found.actors}
    assert "FLA" in by_id["fla"].linked_aliases
    assert "Azawad Liberation Front" in surfaces(found, "fla")
    corps = by_id["africa-corps"]
    assert "Wagner PMC group" in corps.linked_aliases
    assert "Wagner PMC group" in [m.surface for m in corps.mentions]
    assert "Wagner Group" in corps.actor.former_names


def test_reference_article_places_are_not_actors(reference: tuple[Article, ActorFindings]) -> None:
    _, found = reference
    assert "Bamako" in places(found)
    assert all(m.surface != "Bamako" for m in found.mentions)
    # "Russian capitalists" and "Russian imperialism" are not the Russian state.
    assert not any(m.surface.startswith("Russian capitalists") for m in found.mentions)
    russian = [m for m in found.mentions if m.surface == "Russian"]
    assert russian == []


def test_mentions_have_exact_spans_and_sentences(reference: tuple[Article, ActorFindings]) -> None:
    art, found = reference
    sentences = split_sentences(art)
    starts = [m.start for m in found.mentions]
    assert starts == sorted(starts)
    for m in found.mentions:
        assert art.text[m.start : m.end] == m.surface
        sentence = sentences[m.sentence]
        assert sentence.start <= m.start and m.end <= sentence.end
    kinds = {m.kind for m in found.mentions}
    assert {"name", "acronym", "demonym", "descriptor"} <= kinds


def test_salience_is_normalised(reference: tuple[Article, ActorFindings]) -> None:
    _, found = reference
    values = [a.salience for a in found.actors]
    assert values == sorted(values, reverse=True)
    assert values[0] == 1.0 and all(0.0 < v <= 1.0 for v in values)
    by_id = {a.id: a.salience for a in found.actors}
    # Named in the title and the dek, the Malian government outranks a one-off mention.
    assert by_id["mali-government"] > by_id["cuba"]


def test_automaton_is_built_once_per_gazetteer() -> None:
    gaz = Gazetteer.default()
    assert matcher_for(gaz) is matcher_for(gaz)
    assert ActorFinder(gaz)._matcher is ActorFinder(gaz)._matcher


# ---------------------------------------------------------------------- demonyms
@CASES.cases("demonym_names_an_actor", "text", "actor_id", "surface")
def test_demonym_names_an_actor(
    finder: ActorFinder, text: str, actor_id: str, surface: str
) -> None:
    found = find(finder, text)
    assert surface in surfaces(found, actor_id)


@CASES.cases("demonym_alone_is_a_nationality", "text", "state")
def test_demonym_alone_is_a_nationality(finder: ActorFinder, text: str, state: str) -> None:
    found = find(finder, text)
    assert not any(a.id == state or a.actor.country == state for a in found.actors)


def test_government_funded_is_not_a_government_body(finder: ActorFinder) -> None:
    found = find(finder, "The Russian Defence Ministry denied it, citing Russian-backed groups.")
    assert "russia-ministry-of-defence" in ids(found)
    assert surfaces(found, "russia") == ["Russian"]


# ---------------------------------------------------------------------- places and polities
@CASES.cases("geography_is_a_place_not_an_actor", "text", "place")
def test_geography_is_a_place_not_an_actor(finder: ActorFinder, text: str, place: str) -> None:
    found = find(finder, text)
    assert place in places(found)
    assert all(m.surface != place for m in found.mentions)


@CASES.cases("polity_names_an_actor", "text", "actor_id", "surface")
def test_polity_names_an_actor(finder: ActorFinder, text: str, actor_id: str, surface: str) -> None:
    found = find(finder, text)
    assert surface in surfaces(found, actor_id)


def test_the_countrys_government_is_the_last_named_state(finder: ActorFinder) -> None:
    found = find(
        finder,
        "Clashes broke out in the Catatumbo region of Colombia.",
        "It followed a deal between the country's government and the FARC.",
    )
    assert surfaces(found, "colombia-government") == ["country's government"]
    assert "colombia" not in ids(found)


# ---------------------------------------------------------------------- discovery
def test_acronym_definition_links_a_new_organisation(finder: ActorFinder) -> None:
    found = find(
        finder,
        "The Sahel Liberation Movement (SLMV) attacked a convoy near Gao.",
        "The SLMV later claimed the ambush.",
    )
    slmv = next(a for a in found.actors if a.name == "Sahel Liberation Movement")
    assert slmv.id == "x-sahel-liberation-movement" and slmv.actor.discovered
    assert slmv.linked_aliases == ("SLMV",)
    assert [m.surface for m in slmv.mentions] == ["Sahel Liberation Movement", "SLMV", "SLMV"]
    assert [m.kind for m in slmv.mentions][1:] == ["acronym", "acronym"]


def test_acronym_definition_links_a_known_actor(finder: ActorFinder) -> None:
    found = find(finder, "The U.S. Central Command (USCENTCOM) said the strike hit ISIS–K members.")
    command = next(a for a in found.actors if a.id == "united-states-central-command")
    assert "USCENTCOM" in command.linked_aliases
    assert "isis-k" in ids(found)


def test_former_name_is_linked(finder: ActorFinder) -> None:
    found = find(
        finder,
        "The Northern Shield Brigade (formerly the Kidal Guard) took the town.",
        "Kidal Guard fighters then withdrew.",
    )
    brigade = next(a for a in found.actors if a.name == "Northern Shield Brigade")
    assert "Kidal Guard" in brigade.linked_aliases
    assert surfaces(found, brigade.id).count("Kidal Guard") == 2


def test_organisation_spans_with_a_country(finder: ActorFinder) -> None:
    found = find(
        finder,
        "The self-declared state of Artsakh agreed that the Artsakh Defence Army would be "
        "disarmed.",
    )
    army = next(a for a in found.actors if a.name == "Artsakh Defence Army")
    assert army.actor.type == "military" and army.actor.country == "artsakh"
    assert surfaces(found, "artsakh") == ["Artsakh"]  # not the one inside the army's name


def test_places_and_facilities_are_not_organisations(finder: ActorFinder) -> None:
    found = find(
        finder,
        "Students of the Government Secondary School in Chikun Local Government Area were taken.",
        "Forces took the headquarters of the Southern Military District and Hamid Karzai "
        "International Airport.",
    )
    assert all(not a.actor.discovered for a in found.actors)
    assert "Hamid Karzai International Airport" in places(found)


def test_people_with_titles_verbs_and_surnames(finder: ActorFinder) -> None:
    found = find(
        finder,
        "He criticised Minister of Defence Sergei Shoigu and Chief of the General Staff "
        "Valery Gerasimov, according to governor Uba Sani.",
        "On 28 September, the president of Artsakh, Samvel Shahramanyan signed a decree.",
        "Shoigu and Gerasimov did not reply.",
    )
    names = {a.name: a for a in found.actors if a.actor.type == "person"}
    assert {"Sergei Shoigu", "Valery Gerasimov", "Uba Sani", "Samvel Shahramanyan"} <= set(names)
    assert [m.kind for m in names["Sergei Shoigu"].mentions] == ["name", "reference"]
    assert names["Sergei Shoigu"].id == "x-sergei-shoigu"
    assert "artsakh" not in ids(found)  # only part of a title


def test_people_in_appositives_and_roles(finder: ActorFinder) -> None:
    found = find(
        finder,
        "John Smith, a spokesman for the group, said talks would resume.",
        "Xi met his Brazilian counterpart Luiz Inácio Lula da Silva in Beijing. Mr. Smith left.",
    )
    smith = next(a for a in found.actors if a.name == "John Smith")
    assert [m.surface for m in smith.mentions] == ["John Smith", "Smith"]
    assert "x-luiz-inacio-lula-da-silva" in ids(found)
    assert "brazil" not in ids(found)


def test_titled_surname_refers_to_the_person(finder: ActorFinder) -> None:
    found = find(
        finder,
        "U.S. Secretary of State Condoleezza Rice says the solution lies in Lebanon.",
        "Ms. Rice has called for aid. Secretary of State Rice said peace was near.",
    )
    rice = next(a for a in found.actors if a.name == "Condoleezza Rice")
    assert [m.surface for m in rice.mentions] == ["Condoleezza Rice", "Rice", "Rice"]
    assert "united-states" not in ids(found)  # "U.S." is part of her title here


def test_people_listed_in_an_infobox_line(finder: ActorFinder) -> None:
    found = find(finder, "Commander1: Antonio García, Rafael Sierra, Jaime Galvis Rivera")
    people = {a.name for a in found.actors if a.actor.type == "person"}
    assert people == {"Antonio García", "Rafael Sierra", "Jaime Galvis Rivera"}


def test_capitalised_words_that_are_not_people(finder: ActorFinder) -> None:
    found = find(
        finder,
        "Onboard Galaxy Leader were 25 crew members. The ship, M/V True Confidence, sank.",
        "Under the 1982 Law of the Sea Convention, the ruling is final.",
        "On Monday Operation Northern Star began.",
    )
    assert all(a.actor.type != "person" for a in found.actors)


def test_named_warship_is_military(finder: ActorFinder) -> None:
    found = find(finder, "One missile was shot down by USS Carney (DDG 64).")
    ship = next(a for a in found.actors if a.name == "USS Carney")
    assert ship.actor.type == "military" and ship.actor.country == "united-states"


# ---------------------------------------------------------------------- other styles
def test_axios_style_article(finder: ActorFinder) -> None:
    art = build_article(
        "Sudan's army retakes Khartoum palace as RSF retreats",
        None,
        [
            (
                None,
                [("paragraph", "The Sudanese Armed Forces said they had recaptured the palace.")],
            ),
            (
                "Why it matters",
                [("paragraph", "It is the army's biggest victory since April 2023.")],
            ),
            (
                "Driving the news",
                [
                    ("bullet", "Army chief Abdel Fattah al-Burhan visited the palace on Saturday."),
                    ("bullet", "The United Arab Emirates has denied arming the RSF."),
                ],
            ),
        ],
    )
    found = finder.find(art, split_sentences(art))
    assert {
        "sudan-military",
        "saf",
        "rsf",
        "abdel-fattah-al-burhan",
        "united-arab-emirates",
    } <= ids(found)
    assert "Khartoum" in places(found)
    assert found.actors[0].id in ("rsf", "sudan-military")


def test_wire_style_article(finder: ActorFinder) -> None:
    found = find(
        finder,
        "Ukrainian drones struck a refinery in Russia's Krasnodar region overnight, the Russian "
        "Defence Ministry said. The Kremlin said President Vladimir Putin had been informed.",
        "North Korean soldiers are fighting alongside Russian troops in Kursk, South Korea's "
        "intelligence agency said. The Institute for the Study of War (ISW) said Russian forces "
        "had advanced. ISW analysts said losses were heavy.",
        title="Ukraine hits Russian refinery with drones; Moscow vows response",
    )
    expected = {
        "ukraine-military",
        "russia-ministry-of-defence",
        "russia-government",
        "vladimir-putin",
        "north-korea-military",
        "russia-military",
        "south-korea",
        "x-institute-for-the-study-of-war",
    }
    assert expected <= ids(found)
    assert "Krasnodar region" in places(found) and "Kursk" in places(found)
    assert surfaces(found, "x-institute-for-the-study-of-war")[1:] == ["ISW", "ISW"]


def test_all_caps_line_does_not_match_short_acronyms(finder: ActorFinder) -> None:
    found = find(finder, "WHAT IS AT STAKE AS THE IS FIGHTERS RETURN", "The IS claimed the attack.")
    assert surfaces(found, "islamic-state") == ["IS"]


def test_override_actor_is_found(tmp_path: Path) -> None:
    extra = tmp_path / "actors.toml"
    extra.write_text(
        '[[actor]]\nid = "kidal-watch"\nname = "Kidal Watch"\ntype = "organisation"\n'
        'aliases = ["KW Monitor"]\n',
        encoding="utf-8",
    )
    custom = ActorFinder(Gazetteer.load([extra]))
    art = article("The KW Monitor reported clashes near Kidal.")
    found = custom.find(art, split_sentences(art))
    assert surfaces(found, "kidal-watch") == ["KW Monitor"]


def test_empty_body_finds_nothing(finder: ActorFinder) -> None:
    art = article("Nothing of note happened.", title="Quiet day")
    found = finder.find(art, split_sentences(art))
    assert found.actors == () and found.mentions == ()
