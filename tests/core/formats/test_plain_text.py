"""The plain-text parser: headline, dek, labelled sections, headings and bullets."""

from __future__ import annotations

from datetime import date

from helpers.paths import ARTICLES

from briefings.formats import parse

FIXTURES = ARTICLES


def test_reference_article_structure() -> None:
    article = parse((FIXTURES / "mali_collapse.txt").read_bytes(), source="mali_collapse.txt")
    assert article.title == "Pro-Russian Regime in Mali Begins to Collapse"
    assert article.subtitle == (
        "Mali’s government collapses, marking Russia’s third loss of a dependent country in "
        "just 18 months."
    )
    assert [s.label for s in article.sections] == ["Details", "Context"]
    details, context = article.sections
    assert len(details.paragraphs) == 1 and details.paragraphs[0].startswith("On April 25,")
    assert len(details.bullets) == 2
    assert details.bullets[0].startswith("Mali’s army appears to be collapsing")
    assert details.bullets[1].startswith("The Russian Ministry of Defence alleged")
    assert len(context.paragraphs) == 1 and context.paragraphs[0].startswith("Two Russian")
    assert len(context.bullets) == 2
    assert context.bullets[1].endswith("a partner in energy projects.")
    assert article.format == "text" and article.notes == ()
    for block in article.blocks:
        assert article.text[block.start : block.end] == block.text
    assert article.text.split("\n")[0] == article.title


def test_line_two_is_body_when_no_structure_follows() -> None:
    text = (
        "Crisis In Lebanon\n"
        "Fighting continues in Lebanon between Israeli troops and Hezbollah terrorists.\n"
        "The conflict erupted after a raid by Hezbollah into Israel.\n"
    )
    article = parse(text)
    assert article.subtitle is None
    assert article.sections[0].paragraphs[0].startswith("Fighting continues")


def test_heading_lines_open_sections() -> None:
    text = (
        "Kuriga kidnapping\n"
        "On 7 March 2024, more than 200 students were abducted.\n"
        "Government response\n"
        "According to the governor, 187 students were reported missing.\n"
        "Release\n"
        "On 24 March 2024, the governor confirmed that all students had been freed.\n"
    )
    article = parse(text)
    assert article.subtitle is None
    assert [s.label for s in article.sections] == [None, "Government response", "Release"]
    assert article.sections[2].paragraphs == (
        "On 24 March 2024, the governor confirmed that all students had been freed.",
    )


def test_consecutive_headings_merge() -> None:
    text = "Title\nLead paragraph.\nBackground\nTigray war\nThe war began in 2020.\n"
    article = parse(text)
    assert [s.label for s in article.sections] == [None, "Background: Tigray war"]


def test_axios_labels() -> None:
    text = (
        "Rebels seize key border town\n"
        "Rebel fighters seized the town of Rubaya on Tuesday, officials said.\n"
        "Why it matters: The town controls the region's coltan trade.\n"
        "Driving the news: The M23 group said it had taken the town after two days.\n"
        "• Thousands of civilians fled south.\n"
        "• Aid groups suspended operations.\n"
        "The big picture: The fighting has displaced millions since 2022.\n"
        "Yes, but: Talks in Doha continue.\n"
        "What's next: Mediators meet again next week.\n"
        "The bottom line: No ceasefire is in sight.\n"
    )
    article = parse(text)
    assert article.subtitle is None
    labels = [s.label for s in article.sections]
    assert labels == [
        None,
        "Why it matters",
        "Driving the news",
        "The big picture",
        "Yes, but",
        "What's next",
        "The bottom line",
    ]
    assert article.sections[2].bullets == (
        "Thousands of civilians fled south.",
        "Aid groups suspended operations.",
    )
    assert article.sections[1].paragraphs == ("The town controls the region's coltan trade.",)


def test_unknown_short_labels() -> None:
    text = (
        "Headline here\n"
        "Short dek for the story.\n"
        "Key Facts. The army withdrew on Monday.\n"
        "Local reaction: Residents celebrated in the streets.\n"
        "Mr. Smith said the talks would resume.\n"
        "Officials said: nothing changed.\n"
    )
    article = parse(text)
    assert article.subtitle == "Short dek for the story."
    assert [s.label for s in article.sections] == ["Key Facts", "Local reaction"]
    assert article.sections[1].paragraphs == (
        "Residents celebrated in the streets.",
        "Mr. Smith said the talks would resume.",
        "Officials said: nothing changed.",
    )


def test_numbered_and_glyph_bullets() -> None:
    text = "Title\nIntro.\n1. First\n2) Second\n‣ Third\n▶ Fourth\n* Fifth\n– Sixth\n"
    article = parse(text)
    assert article.sections[0].bullets == ("First", "Second", "Third", "Fourth", "Fifth", "Sixth")


def test_byline_and_date_line_are_consumed() -> None:
    text = (
        "Army takes the capital\n"
        "By Jane Doe and John Roe\n"
        "April 27, 2026\n"
        "The army took the capital on Sunday.\n"
    )
    article = parse(text)
    assert article.published == date(2026, 4, 27)
    assert article.subtitle is None
    assert article.sections[0].paragraphs == ("The army took the capital on Sunday.",)
    assert parse(text, published=date(2026, 1, 1)).published == date(2026, 1, 1)


def test_hard_wrapped_text_is_unwrapped() -> None:
    text = (
        "Ceasefire collapses in the north\n\n"
        "Fighting resumed on Monday between government forces and the rebel\n"
        "alliance, officials said, ending a truce that had held for three weeks\n"
        "in the northern provinces.\n\n"
        "The United Nations called on both sides to return to the talks held in\n"
        "the capital earlier this month.\n"
    )
    article = parse(text)
    assert article.sections[0].paragraphs == (
        "Fighting resumed on Monday between government forces and the rebel alliance, "
        "officials said, ending a truce that had held for three weeks in the northern provinces.",
        "The United Nations called on both sides to return to the talks held in the capital "
        "earlier this month.",
    )


def test_axios_fixture() -> None:
    article = parse((FIXTURES / "axios_red_sea.txt").read_bytes())
    assert article.subtitle is None
    assert article.sections[0].label is None
    assert article.sections[0].paragraphs[0].startswith("Yemen's Houthi rebels said Tuesday")
    labels = [s.label for s in article.sections]
    assert labels == [
        None,
        "Why it matters",
        "Driving the news",
        "The big picture",
        "By the numbers",
        "Yes, but",
        "What's next",
    ]
    numbers = article.sections[4]
    assert numbers.paragraphs == ()
    assert numbers.bullets == (
        "190+ attacks on ships claimed by the Houthis since November 2023.",
        "2 vessels sunk, according to the U.S. Navy.",
    )


def test_wire_fixture_dateline_byline_and_credits() -> None:
    article = parse((FIXTURES / "wire_sudan_ceasefire.txt").read_bytes())
    assert article.title.startswith("Sudan's warring parties agree")
    assert article.published == date(2026, 4, 22)
    assert article.subtitle is None
    paragraphs = article.sections[0].paragraphs
    assert paragraphs[0].startswith("Sudan's army and the paramilitary Rapid Support Forces")
    assert paragraphs[-1].startswith("Fighting between the two forces erupted")
    assert "Omar Hassan" not in article.text
    assert len(paragraphs) == 5


def test_devset_style_headings() -> None:
    kuriga = parse((FIXTURES / "devset_kuriga_kidnapping.txt").read_bytes())
    assert kuriga.subtitle is None
    assert [s.label for s in kuriga.sections] == [None, "Government response", "Release"]
    tigray = parse((FIXTURES / "devset_ethiopia_tigray_agreement.txt").read_bytes())
    assert [s.label for s in tigray.sections] == [None, "Background: Tigray war"]
    catatumbo = parse((FIXTURES / "devset_catatumbo_clashes.txt").read_bytes())
    assert catatumbo.sections[0].bullets[0] == "Date: 2025-01-16"
    assert len(catatumbo.sections[0].bullets) == 8
    assert [s.label for s in catatumbo.sections] == [None, "Background"]
    lebanon = parse((FIXTURES / "devset_crisis_in_lebanon.txt").read_bytes())
    assert lebanon.subtitle is None
    assert [s.label for s in lebanon.sections] == [None]
    assert lebanon.sections[0].paragraphs[0] == (
        "Fighting continues in Lebanon between Israeli troops and Hezbollah terrorists."
    )
    assert "White House spokesman Tony Snow elaborated:" in lebanon.sections[0].paragraphs


def test_a_paragraph_on_line_one_is_not_a_headline() -> None:
    text = (
        "The army said on Monday that it had retaken the town of Kidal after three days of "
        "fighting with separatist rebels. Residents said the rebels withdrew overnight.\n"
        "The separatists said they would return.\n"
    )
    article = parse(text)
    assert article.title == (
        "The army said on Monday that it had retaken the town of Kidal after three days of "
        "fighting with separatist rebels."
    )
    # The contract: the first block (sentence 0) is the title, taken out of the paragraph.
    assert article.blocks[0].kind == "title" and article.blocks[0].text == article.title
    assert article.sections[0].paragraphs == (
        "Residents said the rebels withdrew overnight.",
        "The separatists said they would return.",
    )


def test_text_that_only_looks_like_json_is_read_as_text() -> None:
    article = parse("[Update] Rebels take town\nThe rebels took the town on Monday.]")
    assert article.format == "text"
    assert article.title == "[Update] Rebels take town"
    assert any("looked like JSON" in note for note in article.notes)
