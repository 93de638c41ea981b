"""Event rules stated generally: captures, arms transfers, intentions, hypotheticals, names."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers.cases import CaseFile
from helpers.event_reading import analyzer, events

from briefings.formats import parse

CASES = CaseFile(Path(__file__).parent / "cases" / "rules.toml")


def kinds(*paragraphs: str) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    return [(e.type, e.actors, e.recipients) for e in events(*paragraphs)]


@CASES.cases(
    (
        "capturing_people_or_things_is_coercion_and_ground_is_fighting",
        "a_labour_strike_is_a_protest",
        "a_participle_after_a_determiner_is_no_speakers_tag",
    ),
    "sentence",
    "type_",
)
def test_each_rule_reads_its_sentences_as_one_event_of_this_type(sentence: str, type_: str) -> None:
    assert [e.type for e in events(sentence)] == [type_]


@CASES.cases("arms_given_are_aid_not_an_attack", "sentence")
def test_arms_given_are_aid_not_an_attack(sentence: str) -> None:
    receiver = "houthis" if "Houthis" in sentence else "hezbollah"
    assert kinds(sentence) == [("aid", ("iran",), (receiver,))]


def test_transfer_verbs_without_arms_report_nothing() -> None:
    assert events("Iran sold its stake in the port company.") == ()


@CASES.cases("what_is_asked_for_or_threatened_is_no_event", "sentence")
def test_what_is_asked_for_or_threatened_is_no_event(sentence: str) -> None:
    assert [e.type for e in events(sentence)] in (["statement"], ["threaten"])


@CASES.cases("what_a_text_asks_for_is_no_event", "sentence")
def test_what_a_text_asks_for_is_no_event(sentence: str) -> None:
    assert events(sentence) == ()


def test_what_follows_a_demand_in_a_clause_of_its_own_still_counts() -> None:
    found = events("Egypt called for calm after Israel attacked Rafah on Sunday.")
    assert "assault" in [e.type for e in found]
    found = events("Qatar demanded an end to the strikes and the siege of Gaza.")
    assert all(e.type == "statement" for e in found)


@CASES.cases(
    (
        "a_verb_s_base_form_after_a_preposition_is_no_verb",
        "a_participle_after_a_number_is_an_adjective",
        "a_standing_claim_to_territory_is_no_statement",
        "a_look_back_at_a_first_time_is_no_new_event",
        "what_is_permitted_missing_or_suspected_is_no_event",
    ),
    "sentence",
    "types",
)
def test_each_rule_reads_its_sentences_as_events_of_these_types(
    sentence: str, types: list[str]
) -> None:
    assert [e.type for e in events(sentence)] == types


@CASES.cases("an_unnamed_perpetrator_still_makes_an_event", "sentence")
def test_an_unnamed_perpetrator_still_makes_an_event(sentence: str) -> None:
    assert [e.type for e in events(sentence)] == ["assault"]


@CASES.cases("adding_to_a_list_is_a_sanction_past_an_aside", "sentence")
def test_adding_to_a_list_is_a_sanction_past_an_aside(sentence: str) -> None:
    found = events(sentence)
    assert found[0].type == "sanction"
    assert found[0].actors == (("canada",) if "Canada" in sentence else ("japan",))


@CASES.cases("a_view_with_the_speaker_aside_is_no_event", "sentence", "types")
def test_a_view_with_the_speaker_aside_is_no_event(sentence: str, types: list[str]) -> None:
    assert sorted(e.type for e in events(sentence)) == types


@CASES.cases("the_doer_of_an_event_noun_one_took_part_in", "sentence", "actor")
def test_the_doer_of_an_event_noun_one_took_part_in(sentence: str, actor: str) -> None:
    assert [(e.type, e.actors) for e in events(sentence)] == [("assault", (actor,))]


@CASES.cases("what_a_risk_may_bring_is_no_event", "sentence")
def test_what_a_risk_may_bring_is_no_event(sentence: str) -> None:
    assert events(sentence) == ()


@CASES.cases("an_opening_date_with_no_comma_leaves_the_subject", "sentence", "value")
def test_an_opening_date_with_no_comma_leaves_the_subject(sentence: str, value: str) -> None:
    found = events(sentence)
    assert [(e.type, e.modality) for e in found] == [("assault", "reported")]
    assert found[0].actors in (("jnim",), ("hamas",))
    assert found[0].date is not None and found[0].date.value == value


@CASES.cases("the_means_of_a_sanction_s_grounds_are_grounds_too", "sentence")
def test_the_means_of_a_sanction_s_grounds_are_grounds_too(sentence: str) -> None:
    assert [e.type for e in events(sentence)] == ["sanction"]


@CASES.cases("a_gerund_s_object_is_a_noun", "sentence")
def test_a_gerund_s_object_is_a_noun(sentence: str) -> None:
    assert [e.type for e in events(sentence)] == ["sanction"]


@pytest.mark.parametrize(
    ("sentence", "kept"),
    [
        (
            "Belgium and Austria have announced their intent to donate helicopters to Kenya.",
            ("aid", ("belgium", "austria"), ("kenya",)),
        ),
        (
            "Turkey announced that it had supplied drones to Somalia.",
            ("aid", ("turkey",), ("somalia",)),
        ),
        (
            "Poland said it has delivered tanks and missiles to Ukraine.",
            ("aid", ("poland",), ("ukraine",)),
        ),
    ],
)
def test_a_plain_statement_beside_the_event_it_reports_adds_nothing(
    sentence: str, kept: tuple[str, tuple[str, ...], tuple[str, ...]]
) -> None:
    found = events(sentence)
    assert [(e.type, e.actors, e.recipients) for e in found] == [kept]
    assert found[0].attribution is not None


def test_a_statement_about_what_others_did_stays() -> None:
    found = kinds("Egypt said that Iran had supplied missiles to the Houthis.")
    assert [k[0] for k in found] == ["statement", "aid"]


@CASES.cases("a_hypothetical_doer_reports_no_event", "sentence")
def test_a_hypothetical_doer_reports_no_event(sentence: str) -> None:
    assert all(e.type in ("statement", "threaten") for e in events(sentence))


def test_an_event_in_a_relative_clause_on_a_real_doer_counts() -> None:
    found = kinds("The Houthis said that Iran, which has supplied missiles to them, is an ally.")
    assert [k[0] for k in found] == ["statement", "aid"]
    assert found[1][1] == ("iran",)


def test_the_grounds_of_a_sanction_are_part_of_it() -> None:
    found = kinds("The United States sanctioned Iran for supplying drones to Hezbollah.")
    assert found == [("sanction", ("united-states",), ("iran",))]


def test_a_group_named_alliance_is_no_alliance_made() -> None:
    found = events("Hamas has colluded with the Hezbollah alliance.")
    assert [(e.type, e.trigger) for e in found] == [("cooperate", "colluded")]
    made = kinds("Iran formed an alliance with Russia.")
    assert made == [("cooperate", ("iran", "russia"), ())]


def test_a_speaker_line_before_a_quote_is_not_a_second_statement() -> None:
    found = events(
        "Hamas spokesman Abu Obeida said:",
        "“Israel attacked our positions in Gaza on Monday.”",
    )
    assert [e.type for e in found] == ["statement", "assault"]
    assert found[0].sentence == found[1].sentence == 2  # the quote's, not the speaker line's
    assert found[1].actors == ("israel",)
    assert found[0].actors == (found[1].attribution_actor,)


def test_first_person_statements_belong_to_the_titles_author() -> None:
    analysis = analyzer().analyse(
        parse(
            "Statement by President Jane Roe on Mali\n"
            "Today I sanctioned JNIM. We are sending drones to the Malian army.\n",
            "text",
            published=date(2026, 2, 18),
        )
    )
    author = next(a.id for a in analysis.actors if a.name == "Jane Roe")
    assert [(e.type, e.actors) for e in analysis.events] == [
        ("sanction", (author,)),
        ("aid", (author,)),
    ]


def test_a_statement_title_names_an_organisation_as_author() -> None:
    found = analyzer().analyse(
        parse(
            "Statement from the European Union on the Sahel\nWe condemn the attack by JNIM.\n",
            "text",
        )
    )
    assert (found.events[0].type, found.events[0].actors) == ("accuse", ("european-union",))


def test_listing_is_a_sanction_and_a_listed_participle_is_an_adjective() -> None:
    assert kinds("The United States added Hezbollah to its list of designated terrorists.") == [
        ("sanction", ("united-states",), ("hezbollah",))
    ]
    assert "sanction" not in [e.type for e in events("Mali joined the list of sanctioned states.")]


def test_the_object_of_the_first_verb_is_no_subject_of_the_second() -> None:
    found = kinds("The blast killed three Hamas fighters and injured 47 others.")
    assert found == [("assault", (), ("hamas",))]


def test_an_announced_intent_is_a_planned_event_of_the_announcer() -> None:
    found = events("Norway has announced its intent to donate fighter jets to Hezbollah.")
    aid = next(e for e in found if e.type == "aid")
    assert (aid.actors, aid.recipients, aid.modality) == (("norway",), ("hezbollah",), "planned")


def test_coordinated_demands_are_asked_for_too() -> None:
    found = events("Iran urged Hamas and Hezbollah to dig deep and send rockets to Gaza.")
    assert [e.type for e in found] == ["statement"]


def test_an_undated_the_event_repeats_the_earlier_one() -> None:
    found = kinds(
        "Hamas launched an offensive against Israel on Monday.",
        "The offensive occurred amid a blockade of Gaza by Israel.",
    )
    assert found == [("assault", ("hamas",), ("israel",)), ("coerce", ("israel",), ())]


def test_a_dated_repetition_is_kept() -> None:
    found = kinds("Hamas attacked Israel on Monday.", "The attack on 3 May killed two Israelis.")
    assert [k[0] for k in found] == ["assault", "assault"]


def test_who_holds_a_press_conference_with_whom_speaks_together() -> None:
    assert kinds("Qatar held a press conference with Hamas and Egypt.") == [
        ("statement", ("qatar", "hamas", "egypt"), ())
    ]
    assert kinds("Hamas and Israel spoke at a joint press conference.") == [
        ("statement", ("hamas", "israel"), ())
    ]


def test_the_light_verbs_subject_joins_the_partners() -> None:
    assert kinds("Israel signed a ceasefire agreement with Hamas.") == [
        ("cooperate", ("israel", "hamas"), ())
    ]


def test_first_person_statements_belong_to_the_bylines_author() -> None:
    analysis = analyzer().analyse(
        parse(
            "Why we sanctioned the junta\n"
            "By Jane Roe, Secretary of State\n"
            "Secretary of State Jane Roe visited Niamey on Monday. I sanctioned JNIM in May. "
            "We are sending humanitarian aid to Hezbollah.\n",
            "text",
            published=date(2026, 2, 18),
        )
    )
    assert analysis.article.byline == "Jane Roe"
    author = next(a.id for a in analysis.actors if a.name == "Jane Roe")
    assert [(e.type, e.actors) for e in analysis.events] == [
        ("sanction", (author,)),
        ("aid", (author,)),
    ]


def test_without_a_byline_or_title_author_i_is_nobody() -> None:
    assert kinds("I sanctioned JNIM in May.") == [("sanction", (), ("jnim",))]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The result was questioned by Egypt and Qatar.", ("statement", ("egypt", "qatar"), ())),
        ("Israel had retaliated for these attacks twice.", ("assault", ("israel",), ())),
        ("A Hamas bomber rammed a truck into an Israeli checkpoint.", ("assault", ("hamas",), ())),
        ("Iran harassed a Qatari tanker in the Gulf.", ("coerce", ("iran",), ())),
    ],
)
def test_more_verbs_of_the_dictionary(
    sentence: str, expected: tuple[str, tuple[str, ...], tuple[str, ...]]
) -> None:
    assert kinds(sentence)[0] == expected


@CASES.cases("a_state_given_arms_after_to_is_the_recipient", "sentence", "receiver")
def test_a_state_given_arms_after_to_is_the_recipient(sentence: str, receiver: str) -> None:
    (event,) = events(sentence)
    assert event.type == "aid"
    assert event.recipients == (receiver,)


@CASES.cases("a_state_reached_by_a_force_or_a_journey_stays_a_place", "sentence", "place")
def test_a_state_reached_by_a_force_or_a_journey_stays_a_place(sentence: str, place: str) -> None:
    actors = {a for e in events(sentence) for a in (*e.actors, *e.recipients)}
    assert place.lower() not in actors


@pytest.mark.parametrize(
    ("first", "last", "date"),
    [
        pytest.param(
            "gunmen carried out an attack on",
            "in the attack.",
            "2026-03-03",
            id="a sentence naming an earlier event again takes its date",
        ),
        pytest.param(
            "gunmen carried out an attack on",
            "in the matter.",
            None,
            id="a sentence naming no earlier event stays undated",
        ),
        pytest.param(
            "gunmen struck",
            "in the attack.",
            "2026-03-03",
            id="an event noun named again takes the date of the verb that reported it",
        ),
    ],
)
def test_a_later_sentence_dates_by_the_event_it_names(
    first: str, last: str, date: str | None
) -> None:
    found = events(
        f"On 3 March 2026, {first} a market in Gao.",
        "The army sent reinforcements to the town.",
        f"Mali's government denied any involvement {last}",
    )
    denied = [e for e in found if "denied" in e.text]
    assert denied
    assert (denied[0].date and denied[0].date.value) == date


@CASES.cases("a_verb_joined_to_an_infinitive_is_an_infinitive_too", "sentence")
def test_a_verb_joined_to_an_infinitive_is_an_infinitive_too(sentence: str) -> None:
    assert [e.type for e in events(sentence) if e.type in ("assault", "threaten")] == []


def test_a_finite_verb_after_to_and_a_place_is_still_an_event() -> None:
    found = kinds("Hamas sent fighters to Rafah and attacked Israel on Monday.")
    assert ("assault", ("hamas",), ("israel",)) in found


def test_a_speech_verb_joined_to_an_infinitive_is_no_speakers_tag() -> None:
    found = events(
        "“Left alone, the feud risks spreading, allowing armed gangs to regroup and threaten "
        "the safety and trade of Ghana.”"
    )
    assert [e.type for e in found if e.type in ("threaten", "statement")] == []


@pytest.mark.parametrize(
    ("sentence", "actors"),
    [
        (
            "Norway acted after Sweden’s and Denmark’s designation of the same men in May.",
            ("sweden", "denmark"),
        ),
        (
            "The ban followed Brazil's and Chile's sanctions on the firm in June.",
            ("brazil", "chile"),
        ),
        (
            "Oslo welcomed Kenya's, Uganda's and Ethiopia's sanctions against al-Shabaab.",
            ("kenya", "uganda", "ethiopia"),
        ),
    ],
)
def test_coordinated_possessors_all_do_the_event(sentence: str, actors: tuple[str, ...]) -> None:
    found = [e for e in events(sentence) if e.type == "sanction"]
    assert [e.actors for e in found] == [actors]


@CASES.cases("respectively_gives_each_actor_its_own_date", "sentence", "first", "second")
def test_respectively_gives_each_actor_its_own_date(sentence: str, first: str, second: str) -> None:
    found = [(e.actors, e.date.value if e.date else None) for e in events(sentence)]
    assert (("ghana",), first) in found
    assert (("togo",), second) in found


def test_without_respectively_the_actors_share_the_event() -> None:
    found = events("Ghana and Togo sanctioned the firm on 3 May 2025 and again on 9 June 2025.")
    assert found[0].actors == ("ghana", "togo")


@CASES.cases("an_owned_event_noun_is_not_the_light_verbs", "sentence")
def test_an_owned_event_noun_is_not_the_light_verbs(sentence: str) -> None:
    found = [e for e in events(sentence) if e.type == "sanction"]
    assert len(found) == 1 and len(found[0].actors) == 1
    assert found[0].actors[0] in ("chile", "sweden")


@CASES.cases("by_after_an_active_verbs_object_names_its_owner", "sentence", "actor", "recipient")
def test_by_after_an_active_verbs_object_names_its_owner(
    sentence: str, actor: str, recipient: str
) -> None:
    found = events(sentence)
    assert len(found) == 1
    assert found[0].actors[0].startswith(actor)
    assert found[0].recipients[0].startswith(recipient)


def test_by_after_an_event_noun_names_the_nouns_doer() -> None:
    found = kinds("Peru condemned the attack by Chile.")
    assert ("assault", ("chile",), ()) in found


@CASES.cases("a_claim_that_qualifies_a_noun_is_no_statement", "sentence")
def test_a_claim_that_qualifies_a_noun_is_no_statement(sentence: str) -> None:
    assert all(e.trigger != "claims" for e in events(sentence))


def test_a_trailing_claim_is_still_a_statement() -> None:
    assert [e.type for e in events("Hamas fired rockets, Israel claims.")][-1] == "statement"


@CASES.cases("an_ing_form_after_an_object_describes_it", "sentence")
def test_an_ing_form_after_an_object_describes_it(sentence: str) -> None:
    assert len(events(sentence)) == 1


def test_an_ing_form_after_a_comma_is_still_the_subjects() -> None:
    assert ("assault", ("hamas",), ("israel",)) in kinds("Hamas attacked Israel, killing 12.")
