"""Event rules stated generally: captures, arms transfers, intentions, hypotheticals, names."""

from __future__ import annotations

from datetime import date

import pytest
from helpers.event_reading import analyzer, events

from briefings.formats import parse


def kinds(*paragraphs: str) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    return [(e.type, e.actors, e.recipients) for e in events(*paragraphs)]


@pytest.mark.parametrize(
    ("sentence", "type_"),
    [
        ("The Houthis seized an oil tanker off Yemen.", "coerce"),
        ("Hamas captured two Israeli soldiers.", "coerce"),
        ("The Kenyan army seized weapons at the port.", "coerce"),
        ("The junta seized power in a coup.", "coerce"),
        ("JNIM captured the town of Boni.", "assault"),
        ("M23 recaptured Bunagana on Monday.", "assault"),
        ("The RSF seized the airport.", "assault"),
        ("The garrison was captured by Hamas.", "assault"),
        ("Boni was retaken by the army.", "assault"),
        ("Hamas announced the capture of the town.", "assault"),
        ("Kenya announced the capture of a Hamas commander.", "coerce"),
    ],
)
def test_capturing_people_or_things_is_coercion_and_ground_is_fighting(
    sentence: str, type_: str
) -> None:
    assert [e.type for e in events(sentence)] == [type_]


@pytest.mark.parametrize(
    "sentence",
    [
        "Iran supplied drones to Hezbollah.",
        "Iran has sent missiles to the Houthis.",
        "Iran shipped weapons and ammunition to Hezbollah in 2024.",
        "Iran sold rockets to Hezbollah.",
        "Iran provided Shahed drones to Hezbollah.",
        "Iran has delivered tanks and missiles to Hezbollah.",
        "Iran sent rifles, rockets and drones to the Houthis.",
    ],
)
def test_arms_given_are_aid_not_an_attack(sentence: str) -> None:
    receiver = "houthis" if "Houthis" in sentence else "hezbollah"
    assert kinds(sentence) == [("aid", ("iran",), (receiver,))]


def test_transfer_verbs_without_arms_report_nothing() -> None:
    assert events("Iran sold its stake in the port company.") == ()


@pytest.mark.parametrize(
    "sentence",
    [
        "Qatar urged Israel and Hamas to extend the ceasefire.",
        "Egypt called on Hamas to accept the truce.",
        "The Houthis threatened to launch attacks on Israel.",
        "Kenya urged Hamas to disarm and withdraw from Gaza.",
    ],
)
def test_what_is_asked_for_or_threatened_is_no_event(sentence: str) -> None:
    assert [e.type for e in events(sentence)] in (["statement"], ["threaten"])


@pytest.mark.parametrize(
    "sentence",
    [
        "The accord calls for the withdrawal of Ugandan troops from South Sudan.",
        "The resolution demands the withdrawal of Russian forces from Georgia.",
        "The main points of the deal call for the withdrawal of Kenyan troops from Somalia.",
        "The plan calls for the withdrawal of Chadian troops and for Niger to end its support "
        "for the FLN rebels.",
    ],
)
def test_what_a_text_asks_for_is_no_event(sentence: str) -> None:
    assert events(sentence) == ()


def test_what_follows_a_demand_in_a_clause_of_its_own_still_counts() -> None:
    found = events("Egypt called for calm after Israel attacked Rafah on Sunday.")
    assert "assault" in [e.type for e in found]
    found = events("Qatar demanded an end to the strikes and the siege of Gaza.")
    assert all(e.type == "statement" for e in found)


@pytest.mark.parametrize(
    ("sentence", "types"),
    [
        ("Today's measures were taken in close coordination with Japan.", ["cooperate"]),
        ("Chad acted in close cooperation with Niger.", ["cooperate"]),
        ("Hamas fired on Israeli soldiers at close range.", ["assault"]),
    ],
)
def test_a_verb_s_base_form_after_a_preposition_is_no_verb(sentence: str, types: list[str]) -> None:
    assert [e.type for e in events(sentence)] == types


@pytest.mark.parametrize(
    ("sentence", "types"),
    [
        ("At least eight armed al-Shabaab fighters stormed the hotel.", ["assault"]),
        ("Some 12 armed Houthi militants boarded the tanker.", []),
        ("Hamas released 200 kidnapped students.", ["other"]),
        ("Ten wounded soldiers were flown to Nairobi.", []),
        ("Iran armed the Houthis.", ["aid"]),
        ("Two armed men attacked the convoy near Gao.", ["assault"]),
    ],
)
def test_a_participle_after_a_number_is_an_adjective(sentence: str, types: list[str]) -> None:
    assert [e.type for e in events(sentence)] == types


@pytest.mark.parametrize(
    "sentence",
    [
        "A suicide bomber killed 12 people at a market in Mogadishu.",
        "Suicide bombers struck a Sufi shrine in Kano, killing at least 30.",
        "A lone gunman attacked worshippers at a church in Ouagadougou.",
        "Pirates attacked a fishing boat off Puntland.",
    ],
)
def test_an_unnamed_perpetrator_still_makes_an_event(sentence: str) -> None:
    assert [e.type for e in events(sentence)] == ["assault"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Canada has added the network, which officials say funds Hamas, to its sanctions list.",
        "Japan added JNIM, which diplomats say holds two Japanese nurses, to its terror list.",
    ],
)
def test_adding_to_a_list_is_a_sanction_past_an_aside(sentence: str) -> None:
    found = events(sentence)
    assert found[0].type == "sanction"
    assert found[0].actors == (("canada",) if "Canada" in sentence else ("japan",))


@pytest.mark.parametrize(
    ("sentence", "types"),
    [
        ("Meanwhile, Turkey claims sovereignty over most of the Aegean shelf.", []),
        ("Morocco has long claimed full sovereignty over Western Sahara.", []),
        ("Kenya claimed ownership of the disputed islands in 2019.", []),
        ("JNIM claimed the attack on Boni.", ["statement"]),
    ],
)
def test_a_standing_claim_to_territory_is_no_statement(sentence: str, types: list[str]) -> None:
    assert [e.type for e in events(sentence)] == types


@pytest.mark.parametrize(
    ("sentence", "types"),
    [
        ("The raid marked the first time Malian soldiers were killed by drones.", []),
        ("This marks the first time Turkish drones have struck Kobani.", []),
        ("For the first time, Russia struck Lviv with hypersonic missiles.", ["assault"]),
    ],
)
def test_a_look_back_at_a_first_time_is_no_new_event(sentence: str, types: list[str]) -> None:
    assert [e.type for e in events(sentence)] == types


@pytest.mark.parametrize(
    ("sentence", "types"),
    [
        ("Dialogue, Kenya said, remains the only path to peace in Sudan.", []),
        ('"These talks are vital for the whole region," Qatar said.', []),
        ("The day after the vote, Kenya said the results were fraudulent.", ["statement"]),
        ("Israel struck Rafah on Sunday, Egypt said.", ["assault", "statement"]),
    ],
)
def test_a_view_with_the_speaker_aside_is_no_event(sentence: str, types: list[str]) -> None:
    assert sorted(e.type for e in events(sentence)) == types


@pytest.mark.parametrize(
    ("sentence", "actor"),
    [
        ("Al-Shabaab has been involved in indiscriminate killings in Somalia.", "al-shabaab"),
        ("JNIM was responsible for the massacre of villagers near Djibo.", "jnim"),
        ("Hamas took part in the attack on the kibbutz.", "hamas"),
    ],
)
def test_the_doer_of_an_event_noun_one_took_part_in(sentence: str, actor: str) -> None:
    assert [(e.type, e.actors) for e in events(sentence)] == [("assault", (actor,))]


@pytest.mark.parametrize(
    "sentence",
    [
        "The war in Sudan risks drawing Chad into fighting with the RSF.",
        "Mali is at risk of renewed attacks by JNIM.",
        "Without a truce, the conflict risks creating room for JNIM to grow and attack Niger.",
    ],
)
def test_what_a_risk_may_bring_is_no_event(sentence: str) -> None:
    assert events(sentence) == ()


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("On March 6 JNIM attacked Boni.", "2025-03-06"),
        ("On 6 March JNIM attacked Boni.", "2025-03-06"),
        ("On March 6th JNIM attacked Boni.", "2025-03-06"),
        ("On the 1st of February Hamas attacked Israel.", "2026-02-01"),
        ("In May Hamas attacked Israel.", "2025-05"),
        ("Since May Hamas has attacked Israel twice.", "2025-05"),
    ],
)
def test_an_opening_date_with_no_comma_leaves_the_subject(sentence: str, value: str) -> None:
    found = events(sentence)
    assert [(e.type, e.modality) for e in found] == [("assault", "reported")]
    assert found[0].actors in (("jnim",), ("hamas",))
    assert found[0].date is not None and found[0].date.value == value


@pytest.mark.parametrize(
    "sentence",
    [
        "The EU sanctioned two bankers for providing support to Hezbollah through illicit "
        "financing and smuggling.",
        "The UK sanctioned three traders for supplying rifles to the RSF through illicit "
        "financing.",
    ],
)
def test_the_means_of_a_sanction_s_grounds_are_grounds_too(sentence: str) -> None:
    assert [e.type for e in events(sentence)] == ["sanction"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Canada sanctioned JNIM for funding attacks in Mali.",
        "The UK sanctioned two brokers for financing strikes on shipping.",
    ],
)
def test_a_gerund_s_object_is_a_noun(sentence: str) -> None:
    assert [e.type for e in events(sentence)] == ["sanction"]


@pytest.mark.parametrize(
    ("sentence", "type_"),
    [
        ("Teachers began a national strike in Nairobi on Monday.", "protest"),
        ("Dock workers staged a nationwide strike in Mombasa.", "protest"),
        ("Israel carried out a strike on Rafah.", "assault"),
    ],
)
def test_a_labour_strike_is_a_protest(sentence: str, type_: str) -> None:
    assert [e.type for e in events(sentence)] == [type_]


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


@pytest.mark.parametrize(
    "sentence",
    [
        "The United States said it would sanction any company that keeps supplying Iran.",
        "The EU will target anyone who finances Hamas.",
        "Israel vowed to strike whichever group that attacks its ships.",
    ],
)
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


@pytest.mark.parametrize(
    ("sentence", "types"),
    [
        ("The new law allows the detention of Hamas members without trial.", []),
        ("Hezbollah said there was a shortage of supplies from Iran.", ["statement"]),
        ("Israel arrested Hamas members on suspicion of attacking Hezbollah.", ["coerce"]),
    ],
)
def test_what_is_permitted_missing_or_suspected_is_no_event(
    sentence: str, types: list[str]
) -> None:
    assert [e.type for e in events(sentence)] == types


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


@pytest.mark.parametrize(
    ("sentence", "receiver"),
    [
        ("Turkey supplied armed drones to Somalia.", "somalia"),
        ("Japan has donated patrol boats to the Philippines.", "philippines"),
        ("Canada provided to Ukraine four air defence systems.", "ukraine"),
        ("Norway sent anti-tank weapons to Ukraine in March.", "ukraine"),
    ],
)
def test_a_state_given_arms_after_to_is_the_recipient(sentence: str, receiver: str) -> None:
    (event,) = events(sentence)
    assert event.type == "aid"
    assert event.recipients == (receiver,)


@pytest.mark.parametrize(
    ("sentence", "place"),
    [
        ("Rwanda sent troops to Mozambique in 2021.", "Mozambique"),
        ("The tanker, on its way from Greece to Egypt, was seized by the Houthis.", "Egypt"),
    ],
)
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


@pytest.mark.parametrize(
    "sentence",
    [
        "Poverty creates room for armed gangs to grow and threaten the security of Kenya.",
        "The unrest helps smuggling networks in Niger to spread or threaten Chad.",
        "Ministers fear the chaos could allow cartels to expand and attack the ports of Peru.",
    ],
)
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


@pytest.mark.parametrize(
    ("sentence", "first", "second"),
    [
        (
            "Ghana and Togo sanctioned the firm on 3 May 2025 and 9 June 2025, respectively.",
            "2025-05-03",
            "2025-06-09",
        ),
        (
            "Canada acted after Ghana’s and Togo’s designation of the men on May 3, 2025 and "
            "June 9, 2025, respectively.",
            "2025-05-03",
            "2025-06-09",
        ),
        (
            "Ghana and Togo expelled the envoys in May 2025 and in June 2025 respectively.",
            "2025-05",
            "2025-06",
        ),
    ],
)
def test_respectively_gives_each_actor_its_own_date(sentence: str, first: str, second: str) -> None:
    found = [(e.actors, e.date.value if e.date else None) for e in events(sentence)]
    assert (("ghana",), first) in found
    assert (("togo",), second) in found


def test_without_respectively_the_actors_share_the_event() -> None:
    found = events("Ghana and Togo sanctioned the firm on 3 May 2025 and again on 9 June 2025.")
    assert found[0].actors == ("ghana", "togo")


@pytest.mark.parametrize(
    "sentence",
    [
        "Peru took this step following Chile's sanctions on the cartel.",
        "Oslo made the move following Sweden’s designation of the militia.",
    ],
)
def test_an_owned_event_noun_is_not_the_light_verbs(sentence: str) -> None:
    found = [e for e in events(sentence) if e.type == "sanction"]
    assert len(found) == 1 and len(found[0].actors) == 1
    assert found[0].actors[0] in ("chile", "sweden")


@pytest.mark.parametrize(
    ("sentence", "type_"),
    [
        (
            "On May 2, Ghana sent ships to the reef, which lies near the hotly disputed islands.",
            "other",
        ),
        (
            "On 4 June, Togo shelled the camp, which lies in the fiercely contested valley.",
            "assault",
        ),
        ("Chile detained the crew, whose catch was the widely questioned haul.", "coerce"),
    ],
)
def test_a_participle_after_a_determiner_is_no_speakers_tag(sentence: str, type_: str) -> None:
    assert [e.type for e in events(sentence)] == [type_]


@pytest.mark.parametrize(
    ("sentence", "actor", "recipient"),
    [
        ("The Ghana Navy blocked a supply run by the Togo Navy near the reef.", "ghana", "togo"),
        ("Peru harassed a patrol by Chile in the bay.", "peru", "chile"),
        ("Kenya obstructed the convoy by Somalia at the border.", "kenya", "somalia"),
        ("Mali interfered with a resupply flight by Niger on Monday.", "mali", "niger"),
    ],
)
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


@pytest.mark.parametrize(
    "sentence",
    [
        "Ghana sent boats into waters Togo claims.",
        "Chile patrols the islands Peru claims, officials said.",
        "Russia built bases on land Ukraine claims as its own.",
    ],
)
def test_a_claim_that_qualifies_a_noun_is_no_statement(sentence: str) -> None:
    assert all(e.trigger != "claims" for e in events(sentence))


def test_a_trailing_claim_is_still_a_statement() -> None:
    assert [e.type for e in events("Hamas fired rockets, Israel claims.")][-1] == "statement"


@pytest.mark.parametrize(
    "sentence",
    [
        "French troops trained rebels fighting the government of Mali.",
        "Since 2019 Kenya has armed militias fighting al-Shabaab in Somalia.",
        "The mission later aided Kurds fighting the Islamic State.",
    ],
)
def test_an_ing_form_after_an_object_describes_it(sentence: str) -> None:
    assert len(events(sentence)) == 1


def test_an_ing_form_after_a_comma_is_still_the_subjects() -> None:
    assert ("assault", ("hamas",), ("israel",)) in kinds("Hamas attacked Israel, killing 12.")
