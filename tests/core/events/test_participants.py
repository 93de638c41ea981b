"""Who acts and who receives: relative clauses, passive accusations, claims, noun subjects."""

from __future__ import annotations

from pathlib import Path

from helpers.cases import CaseFile
from helpers.event_reading import events

CASES = CaseFile(Path(__file__).parent / "cases" / "participants.toml")


def by_trigger(*paragraphs: str) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    return {e.trigger.lower(): (e.actors, e.recipients) for e in events(*paragraphs)}


@CASES.cases("types", "text", "types")
def test_the_sentence_reads_as_events_of_these_types(text: str, types: list[str]) -> None:
    assert [e.type for e in events(text)] == types


@CASES.cases("one_event_and_its_doers", "text", "type_", "actors")
def test_the_sentence_reads_as_one_event_by_these_actors(
    text: str, type_: str, actors: list[str]
) -> None:
    assert [(e.type, e.actors) for e in events(text)] == [(type_, tuple(actors))]


@CASES.cases("one_event_and_its_recipients", "text", "type_", "recipients")
def test_the_sentence_reads_as_one_event_for_these_recipients(
    text: str, type_: str, recipients: list[str]
) -> None:
    assert [(e.type, e.recipients) for e in events(text)] == [(type_, tuple(recipients))]


@CASES.cases("an_event_and_its_doers", "text", "trigger", "actors")
def test_the_event_named_by_its_trigger_is_done_by_these_actors(
    text: str, trigger: str, actors: list[str]
) -> None:
    assert next(e for e in events(text) if e.trigger == trigger).actors == tuple(actors)


@CASES.cases("an_event_and_its_attribution", "text", "trigger", "attribution")
def test_the_event_named_by_its_trigger_is_attributed_to(
    text: str, trigger: str, attribution: str
) -> None:
    assert next(e for e in events(text) if e.trigger == trigger).attribution == attribution


@CASES.cases("an_event_of_this_type", "text", "type_")
def test_the_sentence_holds_an_event_of_this_type(text: str, type_: str) -> None:
    assert any(e.type == type_ for e in events(text))


@CASES.cases("no_event_of_this_type", "text", "type_")
def test_the_sentence_holds_no_event_of_this_type(text: str, type_: str) -> None:
    assert not [e for e in events(text) if e.type == type_]


def test_a_relative_clause_hangs_on_the_noun_right_before_it_not_an_earlier_subject() -> None:
    found = by_trigger("Kenyan troops freed 20 hostages who had been kidnapped by bandits.")
    assert found["freed"] == (("kenya-military",), ())
    assert "kenya-military" not in found.get("kidnapped", ((), ()))[1]


def test_a_relative_clause_right_after_an_actor_still_takes_that_actor() -> None:
    found = by_trigger("The Houthis, who attacked a tanker in May, were sanctioned by Britain.")
    assert found["attacked"][0] == ("houthis",)


def test_a_passive_accusation_names_its_accuser_and_the_accused_does_the_deed() -> None:
    evs = events("Iran was accused by Israel of supplying rockets to Hezbollah.")
    accusation = next(e for e in evs if e.type == "accuse")
    assert accusation.actors == ("israel",)
    assert accusation.attribution == "Israel"
    aid = next(e for e in evs if e.type == "aid")
    assert aid.actors == ("iran",)
    assert aid.recipients == ("hezbollah",)
    assert aid.modality == "alleged"


def test_a_passive_light_verb_after_a_relative_clause_gives_the_noun_its_agent() -> None:
    found = by_trigger("The bombing that killed nine people was carried out by al-Shabaab.")
    assert found["bombing"][0] == ("al-shabaab",)


def test_a_relative_clause_with_no_passive_light_verb_after_it_lends_nothing() -> None:
    found = by_trigger("The strike that hit the depot angered Russia.")
    assert "strike" not in found


def test_a_claim_of_responsibility_names_the_doer_of_the_attack_told_before() -> None:
    evs = events(
        "A suicide bombing struck a bus station in the capital on 4 May 2025. "
        "The Islamic State claimed responsibility for the attack."
    )
    bombing = next(e for e in evs if e.trigger == "suicide bombing")
    assert bombing.actors == ("islamic-state",)
    assert (bombing.modality, bombing.attribution) == ("claimed", "Islamic State")


def test_a_passive_claim_names_the_doer_of_its_own_sentence() -> None:
    evs = events("The ambush, which killed nine soldiers, was claimed by al-Shabaab.")
    assert any(e.type == "assault" and e.actors == ("al-shabaab",) for e in evs)


def test_a_condemned_attack_with_its_own_place_and_day_is_an_event_too() -> None:
    evs = events("Britain condemned the attack on a school in Maiduguri on 3 June 2025.")
    assert sorted(e.type for e in evs) == ["accuse", "assault"]


def test_a_sanction_still_names_its_target_before_for() -> None:
    evs = events("Britain sanctioned Hamas for its attacks on shipping.")
    assert next(e for e in evs if e.type == "sanction").recipients == ("hamas",)


def test_a_plural_after_a_preposition_is_a_noun_not_a_speech_verb() -> None:
    evs = events("Kenya said it was alarmed by reports that gunmen had attacked a convoy.")
    assert [e.trigger for e in evs if e.type == "statement"] == ["said"]


def test_the_subject_of_a_reduced_relative_comes_after_the_verb_before_it() -> None:
    """ "Ukraine used the tanks Germany ... supplied": Germany supplied them, not Ukraine."""
    evs = events("Ukraine used the tanks Germany and partners in NATO have supplied.")
    supplied = next(e for e in evs if e.trigger == "supplied")
    assert "germany" in supplied.actors and "ukraine" not in supplied.actors


def test_funding_an_attack_does_not_make_its_target_the_recipient_of_aid() -> None:
    evs = events("Iran funded the attacks on Israel.")
    aid = next(e for e in evs if e.type == "aid")
    assert "israel" not in aid.recipients


def test_who_receives_arms_is_the_recipient_of_aid() -> None:
    evs = events("Ukraine received 31 Abrams tanks in 2023.")
    assert [(e.type, e.actors, e.recipients) for e in evs] == [("aid", (), ("ukraine",))]


def test_an_event_named_again_after_after_is_no_new_event_though_the_sentence_is_dated() -> None:
    evs = events(
        "Rebels launched an offensive on the town on 3 May 2025. "
        "One day after the offensive started on 4 May, the army agreed to a truce."
    )
    assert [e.trigger for e in evs if e.type == "assault"] == ["offensive"]
    assert evs[0].sentence != evs[-1].sentence


def test_a_first_mention_after_after_is_still_an_event() -> None:
    evs = events("After the bombing of the port by Hamas on 4 May, Kenya closed its border.")
    assert any(e.trigger == "bombing" for e in evs)


def test_a_speaker_aside_that_reports_a_deed_leaves_only_the_deed() -> None:
    evs = events("Also, Austin said, Germany has sent tanks to Ukraine.")
    assert [(e.type, e.attribution) for e in evs] == [("aid", "Austin")]


def test_a_speaker_first_statement_that_reports_a_deed_stays() -> None:
    evs = events("Kenya said Somalia had sent troops to the border.")
    assert sorted(e.type for e in evs) == ["other", "statement"]


def test_the_two_countries_are_the_two_sides_named_before() -> None:
    evs = events(
        "Kenya and Ethiopia clashed at the border in May 2025. "
        "Talks between the two countries opened in Addis Ababa in June 2025."
    )
    talks = next(e for e in evs if e.type == "consult")
    assert set(talks.actors) == {"kenya", "ethiopia"}


def test_thanking_someone_is_a_statement_to_them() -> None:
    evs = events("Kenya thanked Qatar for its mediation.")
    said = next(e for e in evs if e.type == "statement")
    assert (said.actors, said.recipients) == (("kenya",), ("qatar",))


def test_a_deed_blamed_on_someone_is_alleged_of_them() -> None:
    evs = events("The bombing of the market was blamed on al-Shabaab.")
    bombing = next(e for e in evs if e.trigger == "bombing")
    assert (bombing.actors, bombing.modality) == (("al-shabaab",), "alleged")


def test_a_speech_verb_with_an_object_after_a_comma_is_no_trailing_speaker() -> None:
    evs = events("After the capture of Goma by M23 in January 2025, Rwanda denied involvement.")
    assert any(e.trigger == "capture" and e.actors == ("m23",) for e in evs)


def test_supporting_a_state_or_giving_support_is_aid() -> None:
    assert [e.type for e in events("Iran supports the Houthis.")] == ["aid"]
    assert [e.type for e in events("Iran provided support to armed groups in Iraq.")] == ["aid"]
