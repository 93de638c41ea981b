"""Discovery of names the gazetteer lacks: people, organisations and collective actors."""

from __future__ import annotations

from pathlib import Path

from helpers.actor_finding import find, named
from helpers.cases import CaseFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefings.analysis.actors.finder import ActorFinder
from briefings.analysis.actors.spellings import name_key
from briefings.formats.base import build_article
from briefings.text.sentences import split_sentences

CASES = CaseFile(Path(__file__).parent / "cases" / "names.toml")


# ---------------------------------------------------------------------- organisations
def test_an_acronym_whose_initials_fit_defines_an_organisation(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "Officers of the Coastal Patrol Apparatus (CPA) detained four fishermen. "
            "The CPA released them a day later.",
        )
    )
    assert found["Coastal Patrol Apparatus"] == (
        "organisation",
        ["Coastal Patrol Apparatus", "CPA", "CPA"],
    )


@CASES.cases("a_name_is_found_whole", "text", "name")
def test_a_name_is_found_whole(finder: ActorFinder, text: str, name: str) -> None:
    assert name in named(find(finder, text))


def test_an_acronym_that_does_not_fit_defines_nothing(finder: ActorFinder) -> None:
    found = named(find(finder, "Fishermen from Lower Ketta (XQ) protested on Monday."))
    assert not any(name.startswith("Lower") for name in found)


def test_documents_and_designations_are_not_actors(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "The group was listed under Executive Order (EO) 14001 and designated a "
            "Specially Designated Global Terrorist (SDGT) last year.",
        )
    )
    assert found == {}


def test_a_legal_suffix_makes_a_company(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "Fuel came from Lakeside Haulage, S.A. and from Orion Marine Ltd, officials said.",
        )
    )
    assert found["Lakeside Haulage, S.A."][0] == "company"
    assert found["Orion Marine Ltd"][0] == "company"


def test_an_all_capitals_name_before_an_organisation_noun(finder: ActorFinder) -> None:
    found = named(find(finder, "The ruling PNDU party lost the vote to the ARC militia."))
    assert found["PNDU"][0] == "organisation"
    assert found["ARC"][0] == "armed_group"


def test_a_ruler_before_regime_names_a_government(finder: ActorFinder) -> None:
    found = named(find(finder, "Exiles fled the Tamberlo regime and the Osei administration."))
    assert found["Tamberlo regime"][0] == "government"
    assert found["Osei administration"][0] == "government"


# ---------------------------------------------------------------------- people
def test_initials_suffixes_and_particles_stay_in_the_name(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "Samuel K. Boateng Jr. said the convoy was late. Karim al-Haddadi denied it, "
            "and Marta van der Berg agreed. Boateng left. Al-Haddadi stayed.",
        )
    )
    assert found["Samuel K. Boateng Jr."][1] == ["Samuel K. Boateng Jr.", "Boateng"]
    assert "Karim al-Haddadi" in found
    assert "Marta van der Berg" in found


def test_spelling_variants_are_one_person(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "Abdel Rahim Tahir said the road was open. Later, Abdul Rahim Tahir said it was not.",
        )
    )
    people = [name for name, (kind, _) in found.items() if kind == "person"]
    assert people == ["Abdel Rahim Tahir"]
    assert found["Abdel Rahim Tahir"][1] == ["Abdel Rahim Tahir", "Abdul Rahim Tahir"]


def test_variant_keys() -> None:
    assert name_key("Abdel Karim") == name_key("Abdul Karim") == name_key("Abd al Karim")
    assert name_key("Mohamed Ali") == name_key("Muhammad Ali")
    assert name_key("Jane Roe") != name_key("John Roe")


def test_a_bracketed_short_form_marks_a_person(finder: ActorFinder) -> None:
    found = named(
        find(finder, "Lena Okonjo Brandt (Brandt) is designated for aiding Kwesi Ofori (Ofori).")
    )
    assert found["Lena Okonjo Brandt"][1] == ["Lena Okonjo Brandt", "Brandt"]
    assert found["Kwesi Ofori"][1] == ["Kwesi Ofori", "Ofori"]


def test_names_listed_after_an_appositive(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "The deal was signed by the ministers of Ruritania and Freedonia, "
            "Grace Mutesi Hamas and Pavel Ostrov, in Geneva.",
        )
    )
    assert "Grace Mutesi Hamas" in found  # a known actor's name as a surname
    assert "Pavel Ostrov" in found
    assert "Hamas" not in found


def test_a_title_with_a_complement_does_not_make_a_person(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            '"Enough," said Under Secretary of the Treasury for Smuggling and Maritime '
            "Finance Irene P. Salo.",
        )
    )
    assert [name for name, (kind, _) in found.items() if kind == "person"] == ["Irene P. Salo"]


def test_a_plural_article_opens_a_group_not_a_person(finder: ActorFinder) -> None:
    found = named(find(finder, "Los Halcones del Sur denied the killings on Tuesday."))
    assert found["Los Halcones del Sur"][0] == "organisation"


def test_named_gangs_and_cartels(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "Kofi Lartey, leader of the Red Hill gang, met envoys of the Cartel de la Sierra. "
            "Rampant gang violence followed, and Liberian gang leaders fled.",
        )
    )
    assert found["Red Hill gang"][0] == "armed_group"
    assert "Cartel de la Sierra" in found
    assert "Kofi Lartey" in found
    assert not any("gang" in name and name != "Red Hill gang" for name in found)


# ---------------------------------------------------------------------- collective actors
def test_collective_actors(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "Syrian rebels and opposition fighters clashed with Druze militias and coup "
            "soldiers, while ECOMOG troops watched.",
        )
    )
    assert found["Syrian rebels"][0] == "armed_group"
    assert found["opposition fighters"][0] == "armed_group"
    assert found["Druze militias"][0] == "armed_group"
    assert found["coup soldiers"][0] == "military"
    assert found["ECOMOG"] == ("military", ["ECOMOG"])


def test_a_creed_may_name_a_collective_actor(finder: ActorFinder) -> None:
    found = named(find(finder, "Islamist extremists bombed the bridge; rebel forces fled."))
    assert found == {"Islamist extremists": ("armed_group", ["Islamist extremists"])}


@CASES.cases("the_actors_found_are_exactly", "text", "actor_ids")
def test_the_actors_found_are_exactly(finder: ActorFinder, text: str, actor_ids: list[str]) -> None:
    assert {a.id for a in find(finder, text).actors} == set(actor_ids)


def test_a_facility_named_after_an_army_is_a_place(finder: ActorFinder) -> None:
    found = find(finder, "Shells hit a Chadian military base near the lake.")
    assert found.actors == ()


def test_a_single_officer_is_not_the_institution(finder: ActorFinder) -> None:
    found = find(finder, "He is a former Ghanaian police officer.")
    assert found.actors == ()


def test_general_elections_are_not_a_general(finder: ActorFinder) -> None:
    found = find(finder, "The Malawian general election was held in May.")
    assert found.actors == ()


# ---------------------------------------------------------------------- places and actors
def test_a_state_as_geography(finder: ActorFinder) -> None:
    found = find(
        finder,
        "Raiders crossed near the border with Niger, then struck in northern Mali and in "
        "Gao Town Market, Burkina Faso, on Friday.",
    )
    assert found.actors == ()
    assert {"Niger", "Mali", "Burkina Faso"} <= {p.surface for p in found.places}


def test_states_in_a_list_of_participants_are_actors(finder: ActorFinder) -> None:
    found = find(finder, "Kenya led the mission, joined by Chile, Ghana, Norway and Vietnam.")
    assert {"kenya", "chile", "ghana", "norway", "vietnam"} <= {a.id for a in found.actors}


def test_a_titled_office_before_a_name_with_a_particle(finder: ActorFinder) -> None:
    found = find(finder, "Troops loyal to Syrian president Bashar al-Assad advanced.")
    assert "syria-president" not in {a.id for a in found.actors}


def test_long_names_with_and_and_of(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "The General Intelligence and Border Service and the Movement of Justice and "
            "Renewal met the Joint Operations Room.",
        )
    )
    assert {
        "General Intelligence and Border Service",
        "Movement of Justice and Renewal",
        "Joint Operations Room",
    } <= set(found)


def test_a_qualified_head_names_a_body(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "The outcome was questioned by the Episcopal Conference of Mozambique. "
            "The Malawian Episcopal Conference condemned the killings in Lilongwe. "
            "The Conference of Catholic Bishops of Kenya urged calm.",
        )
    )
    for name in (
        "Episcopal Conference of Mozambique",
        "Malawian Episcopal Conference",
        "Conference of Catholic Bishops of Kenya",
    ):
        assert found[name][0] == "organisation"
    assert "Mozambique" not in found  # inside the body's name, not an actor of its own


def test_a_conference_alone_is_a_meeting(finder: ActorFinder) -> None:
    found = named(
        find(finder, "Delegates from Ghana attended the Conference on Disarmament in Geneva.")
    )
    assert not any("Conference" in name for name in found)


def test_a_middle_initial_or_junior_marks_a_person(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "The envoy thanked Mary A. Sesay for her work in Freetown. "
            "The court heard from Samuel Okoro Jr. on Monday.",
        )
    )
    assert found["Mary A. Sesay"][0] == "person"
    assert found["Samuel Okoro Jr."][0] == "person"


def test_a_titled_surname_alone_is_a_person(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "Mutinous soldiers detained President Kantoma at dawn. "
            "Gen. Oduya said the army would rule. Oduya spoke on state television.",
        )
    )
    assert found["President Kantoma"] == ("person", ["President Kantoma"])
    assert found["Gen. Oduya"] == ("person", ["Gen. Oduya", "Oduya"])


def test_a_group_known_by_a_name_it_goes_by(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "The militia, known as the Lions of Tassili, attacked a convoy. A new group calling "
            "itself Dawn Brigade of Kivu claimed the bombing. The Lions of Tassili withdrew.",
        )
    )
    assert found["Lions of Tassili"] == (
        "armed_group",
        ["Lions of Tassili", "Lions of Tassili"],
    )
    assert found["Dawn Brigade of Kivu"][0] == "armed_group"


def test_known_as_without_a_group_noun_names_nobody(finder: ActorFinder) -> None:
    found = named(find(finder, "The town known as Little Kandi was shelled by artillery."))
    assert "Little Kandi" not in found


def test_a_minister_named_by_office_alone_is_the_main_states(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "Gunmen attacked the palace in Niamey. Nigerien soldiers repelled them. The attack "
            "was condemned by the Minister of Foreign Affairs, who called it a plot. Niger has "
            "faced such attacks since 2015.",
        )
    )
    assert found["Nigerien Minister of Foreign Affairs"] == (
        "person",
        ["Minister of Foreign Affairs"],
    )


def test_a_minister_with_a_name_or_a_state_is_no_unnamed_office(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "Minister of Defence Ivan Petrenko visited the front. Russia said the line held, and "
            "Russian troops advanced. The Minister of Defence later resigned.",
        )
    )
    assert not any("Minister" in name for name in found)


def test_a_minister_of_a_named_state_is_that_states_office_holder(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "The Minister of Finance of Kenya met the envoy in Nairobi. Later the Minister of "
            "Foreign Affairs of the Philippines rejected the claim, and Uganda said nothing.",
        )
    )
    assert found["Minister of Finance of Kenya"] == ("person", ["Minister of Finance of Kenya"])
    assert found["Minister of Foreign Affairs of Philippines"][0] == "person"
    assert "Kenya" not in found  # the state inside a title is no actor of its own


def test_a_minister_of_a_state_with_a_name_after_is_the_named_person(
    finder: ActorFinder,
) -> None:
    found = named(
        find(
            finder,
            "The Minister of Defence of Ghana, Kwame Boateng, said troops would stay. The "
            "Malian Minister of Defence welcomed it.",
        )
    )
    assert not any(name.startswith("Minister of Defence of") for name in found)
    assert "Kwame Boateng" in found


def test_a_crowd_needs_no_modifier(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "Since May, demonstrators in Lusaka have mounted protests against the vote.",
            "Protesters clashed with police on Sunday. Police later arrested twelve protesters.",
        )
    )
    assert found["demonstrators"] == ("other", ["demonstrators"])
    assert found["Protesters"] == ("other", ["Protesters", "protesters"])
    assert "Zambia" not in found  # "in Lusaka have mounted": the capital is a place


def test_people_in_bylines(finder: ActorFinder) -> None:
    art = build_article(
        "Rebels take the ridge",
        None,
        [(None, [("paragraph", "By Jane Okafor and Li Wei"), ("paragraph", "The army left.")])],
    )
    found = finder.find(art, split_sentences(art))
    assert {"Jane Okafor", "Li Wei"} <= {a.name for a in found.actors}


def test_head_of_two_capitalised_words_is_one_body(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "The Office of Port Revenue fined the ship. The Bureau of Jane Okafor said so.",
        )
    )
    assert "Office of Port Revenue" in found
    assert "Bureau of Jane Okafor" not in found  # a person follows "of": not one body


def test_initials_alone_name_the_organisation(finder: ActorFinder) -> None:
    found = named(
        find(finder, "The Lake Patrol Directorate seized two boats. The LPD later freed them.")
    )
    assert found["Lake Patrol Directorate"][1] == ["Lake Patrol Directorate", "LPD"]


def test_sanctioned_people_with_nationality_or_birth(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "Also designated are Halima Sadiq Umar, a Nigerien national, and Yaw Boateng, "
            "born 2 June 1979.",
        )
    )
    assert {"Halima Sadiq Umar", "Yaw Boateng"} <= set(found)


def test_sanctioned_people_with_bracketed_details_and_plain_lists(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "Sanctioned were Tomas Varga (Slovak national, born 4 May 1968), Nadia Belkacem "
            "(Algerian national) and Kofi Mensimah. Also designated today are Rania Haddad, "
            "Idris Kamara and Chen Liqun.",
        )
    )
    people = {name for name, (kind, _) in found.items() if kind == "person"}
    assert {
        "Tomas Varga",
        "Nadia Belkacem",
        "Kofi Mensimah",
        "Rania Haddad",
        "Idris Kamara",
        "Chen Liqun",
    } <= people


def test_offices_before_names(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "Chief Army Spokesman Col. Danladi Musa said Defence Minister Idris Dabo and "
            "CPA commander Yusuf Kadi were unhurt. Statement by President Ama Mensah.",
        )
    )
    assert {"Danladi Musa", "Idris Dabo", "Yusuf Kadi", "Ama Mensah"} <= set(found)


# ---------------------------------------------------------------------- any shape, no error
_GIVEN = st.sampled_from(["Jane", "Abdel", "Abdul", "Peter", "Ana", "Kofi", "Thérèse", "Li"])
_LAST = st.sampled_from(["Roe", "Karim", "al-Rashidi", "van der Berg", "Obi Jr.", "Mensah III"])
_TITLE = st.sampled_from(["", "President ", "Secretary of State ", "Col. ", "BSA commander "])
_ORG = st.sampled_from(
    [
        "Border Security Apparatus (BSA)",
        "the 212th Mechanised Brigade",
        "Trans-Sahel Logistics, S.A.",
        "the Karimov regime",
        "Syrian rebels",
        "the ruling UNITY party",
        "Los Caimanes del Norte",
        "the Office of Sanctions Enforcement",
        "Chad",
        "(XQ)",
        "KFOR troops",
    ]
)
_GLUE = st.sampled_from(
    [" said ", " met ", ", joined by ", " near the border with ", " and ", " (", ") "]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(_TITLE, _GIVEN, _LAST, _GLUE, _ORG), min_size=1, max_size=4))
def test_names_of_every_shape_never_break_the_finder(
    finder: ActorFinder, parts: list[tuple[str, str, str, str, str]]
) -> None:
    text = " ".join(f"{t}{g} {s}{glue}{org}." for t, g, s, glue, org in parts)
    art = build_article("A headline", None, [(None, [("paragraph", text)])])
    found = finder.find(art, split_sentences(art))
    for mention in found.mentions:
        assert art.text[mention.start : mention.end] == mention.surface
    for actor in found.actors:
        assert actor.mentions, actor.id


def test_a_backed_plural_is_a_proxy_group(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "Iran-backed militias fired rockets at the airport. "
            "Turkish-backed factions shelled the town.",
        )
    )
    assert found["Iran-backed militias"] == ("armed_group", ["Iran-backed militias"])
    assert found["Turkish-backed factions"] == ("armed_group", ["Turkish-backed factions"])


def test_groups_without_a_backer_name_nobody(finder: ActorFinder) -> None:
    found = named(find(finder, "Kurdish groups met in Erbil. Rights groups condemned the raid."))
    assert "Kurdish groups" not in found
    assert "Rights groups" not in found


def test_a_body_run_by_a_group_is_a_government_actor_of_its_own(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "The Hamas-run health ministry said 30 people had died. The Taliban-led education "
            "ministry closed girls' schools, and the Houthi-controlled authorities in Sanaa "
            "detained two aid workers.",
        )
    )
    assert found["Hamas-run health ministry"] == ("government", ["Hamas-run health ministry"])
    assert found["Taliban-led education ministry"][0] == "government"
    assert found["Houthi-controlled authorities"][0] == "government"
    assert "Yemeni government" not in found  # "authorities in Sanaa" are the Houthis' own


def test_a_group_before_a_hyphen_without_a_body_stays_the_group(finder: ActorFinder) -> None:
    found = named(
        find(finder, "Hamas-run tunnels ran under the town, and a Taliban-led offensive began.")
    )
    assert not any(name.endswith(("ministry", "government")) for name in found)


def test_authorities_of_a_level_of_government_are_a_collective_government(
    finder: ActorFinder,
) -> None:
    found = named(
        find(
            finder,
            "Nine miners died when the shaft collapsed, according to local authorities. "
            "Provincial authorities in Katanga closed the site.",
            "Local authorities said on Monday that the road would reopen.",
        )
    )
    assert found["local authorities"] == ("government", ["local authorities", "Local authorities"])
    assert found["Provincial authorities"][0] == "government"


def test_authorities_without_a_level_or_a_name_are_no_collective(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "The authorities said the road would reopen. Some authorities disagreed, and "
            "Kenyan authorities sent engineers.",
        )
    )
    assert not any(name.lower().endswith("authorities") for name in found)


def test_groups_named_by_their_affiliation_are_one_collective_actor(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "Militants linked to al-Shabaab attacked a base near Kismayo on Monday. The army "
            "said fighters affiliated with the Islamic State and Boko Haram had crossed over.",
        )
    )
    assert found["Militants linked to al-Shabaab"] == (
        "armed_group",
        ["Militants linked to al-Shabaab"],
    )
    assert found["fighters affiliated with the Islamic State and Boko Haram"][0] == "armed_group"
    assert "Boko Haram" not in found  # named only to describe the affiliate


def test_a_group_linked_to_a_state_or_also_acting_keeps_its_own_actor(
    finder: ActorFinder,
) -> None:
    found = named(
        find(
            finder,
            "Cells tied to Iran fired rockets at the port. Gunmen linked to al-Shabaab "
            "kidnapped two engineers, and al-Shabaab later claimed the raid.",
        )
    )
    assert not any(name.startswith("Cells tied") for name in found)
    assert found["al-Shabaab"][1] == ["al-Shabaab"]
    assert "Gunmen linked to al-Shabaab" in found
