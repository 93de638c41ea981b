"""States after "from" that give something, and states in an office no one named holds."""

from __future__ import annotations

import pytest
from helpers.actor_finding import find, named
from helpers.event_reading import events

from briefings.analysis.actors.finder import ActorFinder


# ------------------------------------------------------------------ "from" a giver
@pytest.mark.parametrize(
    ("text", "giver"),
    [
        ("Nepal received two transport planes from Japan last spring.", "Japan"),
        ("The coastguard bought patrol boats from France in 2023.", "France"),
        ("Aid from Norway reached the flooded villages on Sunday.", "Norway"),
        ("The navy obtained spare parts from the United States.", "United States"),
        ("Militias acquired rifles, mortars and mines from Iran.", "Iran"),
    ],
)
def test_a_state_that_gives_after_from_is_an_actor(
    finder: ActorFinder, text: str, giver: str
) -> None:
    assert named(find(finder, text))[giver][0] == "state"


@pytest.mark.parametrize(
    "text",
    [
        "Thousands fled from Sudan after the fighting.",
        "Peacekeepers withdrew from Mali in December.",
        "The convoy returned from Chad with its cargo.",
        "The envoy arrived from Egypt on Sunday.",
        "Families received blankets after they fled from Sudan.",
    ],
)
def test_a_state_someone_leaves_stays_a_place(finder: ActorFinder, text: str) -> None:
    found = named(find(finder, text))
    assert not {"Sudan", "Mali", "Chad", "Egypt"} & set(found)


def test_the_giver_after_from_aids_the_receiver() -> None:
    aid = next(e for e in events("Nepal bought helicopters from India in May.") if e.type == "aid")
    assert (aid.actors, aid.recipients) == (("india",), ("nepal",))


# ------------------------------------------------------------- an office no one holds
def test_an_office_of_a_state_with_no_name_after_it_is_the_states_action(
    finder: ActorFinder,
) -> None:
    found = named(find(finder, "The President of Ghana met the Prime Minister of Togo in Lomé."))
    assert {"Ghana", "Togo"} <= set(found)


def test_every_state_of_a_plural_office_is_an_actor(finder: ActorFinder) -> None:
    found = named(find(finder, "The defence ministers of Ghana and Togo signed a border pact."))
    assert {"Ghana", "Togo"} <= set(found)


def test_an_office_with_its_holder_named_after_it_is_the_persons(finder: ActorFinder) -> None:
    found = named(find(finder, "The President of Ghana Ama Mensah met the Prime Minister of Togo."))
    assert "Ama Mensah" in found
    assert "Ghana" not in found


def test_a_minister_of_a_state_stays_one_office_holder(finder: ActorFinder) -> None:
    found = named(find(finder, "The Minister of Finance of Ghana resigned on Monday."))
    assert "Minister of Finance of Ghana" in found
    assert "Ghana" not in found


# --------------------------------------------------------- a government named for its leader
@pytest.mark.parametrize(
    ("text", "government"),
    [
        ("The Biden administration froze the assets of two shipping firms.", "United States"),
        ("Artillery of the Assad regime hit a bakery in Idlib.", "Syrian"),
        ("The Maduro government expelled three diplomats on Friday.", "Venezuelan"),
    ],
)
def test_a_known_leaders_administration_is_the_states_government(
    finder: ActorFinder, text: str, government: str
) -> None:
    found = named(find(finder, text))
    name = next(n for n in found if n.startswith(government))
    assert found[name][0] == "government"
    assert not any(kind == "person" for kind, _ in found.values())


def test_a_known_leader_alone_stays_a_person(finder: ActorFinder) -> None:
    found = named(find(finder, "Nicolás Maduro said the government would answer in kind."))
    assert found["Nicolás Maduro"][0] == "person"
