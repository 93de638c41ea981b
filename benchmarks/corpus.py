"""A documented generator of synthetic conflict-news articles for briefbot's benchmarks.

Articles follow the reference format (headline, dek, "Details." and "Context." sections
with ► bullets). Each is built from a seeded random stream, so the same seed gives the
same corpus. Actors are drawn from a Zipf-like mix (a few actors in most stories, a long
tail in few), places from a fixed list, dates relative to the publication date, and
sentences from templates covering the event types briefbot extracts (attacks, sieges,
sanctions, threats, accusations, aid, withdrawals, agreements, talks, protests and
statements) plus commentary sentences that report no event. Lengths are drawn uniformly
from the requested word range.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

ACTORS = (
    "JNIM",
    "Russia",
    "Mali",
    "the Malian junta",
    "Africa Corps",
    "the United States",
    "Ukraine",
    "the European Union",
    "Iran",
    "Israel",
    "Hezbollah",
    "Hamas",
    "the Houthis",
    "al-Shabaab",
    "the Taliban",
    "ISIS",
    "al-Qaeda",
    "the RSF",
    "the Sudanese Armed Forces",
    "M23",
    "Rwanda",
    "the Democratic Republic of the Congo",
    "China",
    "the Philippines",
    "Azerbaijan",
    "Armenia",
    "NATO",
    "the African Union",
    "ECOWAS",
    "the United Nations",
    "Turkey",
    "Syria",
    "Venezuela",
    "Cuba",
    "Niger",
    "Burkina Faso",
    "Nigeria",
    "Boko Haram",
    "Ethiopia",
    "the TPLF",
    "Somalia",
    "Kenya",
    "Haiti",
    "Colombia",
    "the ELN",
    "Myanmar",
    "the Arakan Army",
    "Pakistan",
    "India",
    "the Wagner Group",
    "Saudi Arabia",
    "Qatar",
    "Egypt",
    "Libya",
    "Algeria",
    "Morocco",
)
PLACES = (
    "Bamako",
    "Gao",
    "Timbuktu",
    "Kidal",
    "Niamey",
    "Khartoum",
    "El Fasher",
    "Goma",
    "Mogadishu",
    "Kabul",
    "Gaza",
    "Beirut",
    "Sanaa",
    "Aden",
    "Tripoli",
    "Benghazi",
    "Aleppo",
    "Idlib",
    "Kharkiv",
    "Zaporizhzhia",
    "Port-au-Prince",
    "Cúcuta",
    "Lashio",
    "Mekelle",
    "Maiduguri",
    "Ouagadougou",
)
EVENT_TEMPLATES = (
    "{when}, {a} launched a major offensive against {b} near {p}.",
    "{a} fighters attacked positions held by {b} in {p}, killing at least {n} soldiers.",
    "{when}, {a} declared a siege of {p}, cutting supply routes used by {b}.",
    "{a} imposed new sanctions on {b} over its role in the fighting around {p}.",
    "{a} threatened tariffs on any company trading with {b}.",
    "{a} accused {b} of shelling civilian areas of {p}.",
    "The foreign ministry of {a} alleged that {b} had supplied drones to fighters in {p}.",
    "{when}, {a} pledged ${n} million in military aid to {b}.",
    "{a} withdrew its troops from {p} after weeks of pressure from {b}.",
    "{when}, {a} and {b} signed a ceasefire agreement in {p}.",
    "Officials from {a} met representatives of {b} in {p} for talks on prisoner exchanges.",
    "Thousands protested in {p} against the presence of {a}.",
    "{a} said in a statement that {b} bore responsibility for the collapse of the talks.",
)
COMMENT_TEMPLATES = (
    "Analysts say the balance of power in the region has shifted over the past year.",
    "The situation remains fluid, and the outcome of the coming weeks is uncertain.",
    "Observers note that the economy has been weakened by years of conflict and drought.",
    "The humanitarian situation is expected to worsen as the rainy season approaches.",
    "Diplomats in the region describe the mood as tense but not yet desperate.",
    "Prices of staple goods have risen sharply in markets across the country.",
)


@dataclass(frozen=True, slots=True)
class GeneratedArticle:
    """One synthetic article: its text, publication date and word count."""

    name: str
    text: str
    published: date
    words: int


def _actor(rng: random.Random) -> str:
    # Zipf-like: index k drawn with weight 1/(k+1).
    return rng.choices(ACTORS, weights=_WEIGHTS, k=1)[0]


_WEIGHTS = tuple(1.0 / (k + 1) for k in range(len(ACTORS)))


def _sentence(rng: random.Random, published: date) -> str:
    if rng.random() < 0.25:
        return rng.choice(COMMENT_TEMPLATES)
    a = _actor(rng)
    b = _actor(rng)
    while b == a:
        b = _actor(rng)
    day = published - timedelta(days=rng.randint(0, 40))
    when = rng.choice((f"On {day:%B} {day.day}", "Last week", "In the past 18 months", "On Monday"))
    text = rng.choice(EVENT_TEMPLATES).format(
        a=a, b=b, p=rng.choice(PLACES), n=rng.randint(2, 400), when=when
    )
    return text[0].upper() + text[1:]


def generate(
    count: int, *, min_words: int = 300, max_words: int = 1500, seed: int = 7
) -> Iterator[GeneratedArticle]:
    """Yield ``count`` articles of ``min_words`` to ``max_words`` words, reproducible by seed."""
    rng = random.Random(seed)
    start = date(2026, 1, 1)
    for i in range(count):
        published = start + timedelta(days=rng.randint(0, 300))
        target = rng.randint(min_words, max_words)
        a, b = _actor(rng), _actor(rng)
        lines = [
            f"{a[0].upper() + a[1:]} steps up pressure on {b} as fighting spreads",
            f" {_sentence(rng, published)}",
        ]
        words = sum(len(x.split()) for x in lines)
        section = 0
        while words < target:
            label = ("Details. ", "Context. ", "Background. ")[min(section, 2)]
            para = " ".join(_sentence(rng, published) for _ in range(rng.randint(2, 4)))
            lines.append(label + para)
            words += len(para.split()) + 1
            for _ in range(rng.randint(1, 3)):
                if words >= target:
                    break
                bullet = " ".join(_sentence(rng, published) for _ in range(rng.randint(1, 3)))
                lines.append("► " + bullet)
                words += len(bullet.split())
            section += 1
        text = "\n".join(lines) + "\n"
        yield GeneratedArticle(
            name=f"gen-{seed}-{i:06d}", text=text, published=published, words=len(text.split())
        )


# ---------------------------------------------------------------------- long articles
_SYLLABLES = ("ka", "ba", "do", "ri", "mu", "te", "lo", "sa", "ne", "fi", "go", "ha", "zu")
_ORG_HEADS = ("Liberation Front", "Defence Force", "People's Movement", "Popular Militia")
_PLACE_HEADS = ("State", "District", "Airport", "Camp")
_TITLES = ("Commander", "Colonel", "Governor", "Minister")


def _coined(rng: random.Random, syllables: int) -> str:
    """A made-up capitalised word the gazetteer cannot know ("Kadomu")."""
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables)).capitalize()


def _long_sentence(rng: random.Random, published: date, seen: list[tuple[str, str]]) -> str:
    """One sentence of a long article; about half of them coin a new name or reuse one."""
    roll = rng.random()
    if roll < 0.5:
        return _sentence(rng, published)
    if roll >= 0.78 and not seen:
        roll = 0.5
    if roll < 0.65:
        first, last = _coined(rng, 2), _coined(rng, 3)
        seen.append((f"{first} {last}", last))
        return (
            f"{rng.choice(_TITLES)} {first} {last} said that {_actor(rng)} had moved "
            f"fighters towards {rng.choice(PLACES)}."
        )
    if roll < 0.78:
        stem = _coined(rng, 3)
        head = rng.choice(_ORG_HEADS)
        acronym = stem[0] + "".join(w[0] for w in head.split()) + _coined(rng, 1)[0]
        seen.append((f"{stem} {head}", acronym))
        return (
            f"The {stem} {head} ({acronym}) attacked a convoy of {_actor(rng)} "
            f"near {_coined(rng, 3)} {rng.choice(_PLACE_HEADS)}."
        )
    name, short = rng.choice(seen)
    return f"{short} accused {_actor(rng)} of breaking the truce, and {name} vowed to respond."


def generate_long(words: int, *, seed: int = 5) -> GeneratedArticle:
    """One article of about ``words`` words in which the number of distinct names grows
    with its length: coined people ("Colonel Tabori Kadomu"), organisations with an
    acronym ("the Kadomu Liberation Front (KLFD)") and places ("Rimuta District"), each
    named again later by surname or acronym, beside the generator's usual sentences."""
    rng = random.Random(seed)
    published = date(2026, 4, 27)
    seen: list[tuple[str, str]] = []
    lines = [f"{_coined(rng, 3)} fighting spreads as {_actor(rng)} loses ground"]
    count = len(lines[0].split())
    section = 0
    while count < words:
        label = ("Details. ", "Context. ", "Background. ")[min(section, 2)]
        para = " ".join(_long_sentence(rng, published, seen) for _ in range(rng.randint(3, 6)))
        lines.append(label + para)
        count += len(para.split()) + 1
        section += 1
    text = "\n".join(lines) + "\n"
    return GeneratedArticle(
        name=f"long-{seed}-{words}", text=text, published=published, words=len(text.split())
    )
