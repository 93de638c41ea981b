"""Compiled context patterns that decide what a known name means where it stands."""

from __future__ import annotations

import re

from briefings.analysis.actors.lexicon import (
    COMPASS,
    DEMONYM_DROP,
    DIRECTIONS,
    GOV_BEFORE,
    GOV_PEOPLE,
    LOCATIVE_PAIRS,
    LOCATIVES,
    PLACE_OF,
    TITLE_OF,
    words,
)
from briefings.text.cuefiles import alternation, word_set

_GOV = (
    r"military\s+junta|military\s+government|military\s+regime|transitional\s+government|"
    r"interim\s+government|government|governments|authorities|junta|regime|administration|"
    r"leadership|cabinet|officials|diplomats|diplomacy|intelligence\s+services|"
    r"state\s+institutions|institutions|"
    r"intelligence\s+agencies|parliament|state\s+media|embassy|embassies|consulate"
)


_MIL = (
    r"armed\s+forces|air\s+force|air\s+defen[cs]es?(?:\s+(?:forces|units))?|"
    r"special\s+forces|security\s+forces|defen[cs]e\s+forces|"
    r"peacekeeping\s+(?:contingent|force|forces|troops|mission)|peacekeepers|"
    r"service\s*members|servicemen|servicewomen|soldiers|troops|forces|army|military|navy|"
    r"pilots|airmen|"
    r"marines|paratroopers|warplanes|warships|fighter\s+jets|jets|drones|airstrikes|"
    r"air\s+strikes|strikes|shelling|artillery|missiles|tanks|coast\s+guard|police|gendarmerie|"
    r"contingent|units|battalions|brigades|commanders|generals|militaries"
)


# After a state name or demonym: "Malian government", "Mali's army", "US troops".
# A place the text names first, then its country: "in Kelo Wells, Ruritania" (the country is
# geography even when the gazetteer lacks the place).
PLACE_COMMA = re.compile(
    r"(?:^|\s)(?:in|near|at|from|outside|around|of|to|into)\s+(?:the\s+)?"
    r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,3},\s$"
)


# A facility named after its owner: "a Chadian military base" is a place.
FACILITY_AFTER = re.compile(
    r"\s+(?:base|bases|outpost|outposts|camp|camps|airfield|airbase|barracks|installation|"
    r"installations|facility|facilities|academy|hospital)(?![\w-])"
)


# Not before a facility or one member ("a Chadian military base", "a Haitian police officer").
INSTITUTION = re.compile(
    rf"(?:'s?)?\s+(?:(?P<gov>(?i:{_GOV}))|(?P<mil>(?i:{_MIL})))(?![\w-])"
    r"(?!\s+(?:base|bases|outpost|outposts|camp|camps|airfield|airbase|barracks|installation|"
    r"installations|facility|facilities|academy|hospital|officer|agent|recruit|veteran)\b)"
)


_PORTFOLIO = (
    r"defen[cs]e|foreign|foreign\s+affairs|interior|internal\s+affairs|home|finance|justice|"
    r"health|energy|economy|information|education|agriculture|trade|security|state|war|"
    r"emergency\s+situations|emergencies|oil|transport|communications"
)


# A ministry after a state name or demonym: "Russian Ministry of Defence", "Iran's
# foreign ministry".
MINISTRY = re.compile(
    r"(?:'s)?\s+(?P<body>(?i:ministry|department)\s+of\s+(?:the\s+)?"
    r"(?P<of>[A-Z][\w-]*(?:\s+(?:and\s+)?[A-Z][\w-]*){0,3})"
    rf"|(?P<pre>(?i:{_PORTFOLIO}))\s+(?i:ministry|department))(?![\w-])"
)


# An office after a state name or demonym: "Mali's Defence Minister", "an American
# defense official".
OFFICE = re.compile(
    r"(?:'s)?\s+(?P<office>(?i:"
    r"secretary\s+of\s+state|secretary\s+of\s+defen[cs]e|secretary[\s-]general|"
    rf"(?:(?:{_PORTFOLIO})\s+)?(?:minister|secretary|official|chief)|"
    r"prime\s+minister|vice\s+president|president|premier|chancellor|king|queen|emir|"
    r"crown\s+prince|supreme\s+leader|leader|army\s+chief|chief\s+of\s+staff|"
    r"military\s+official|government\s+official|senior\s+official|ambassador|envoy|"
    r"spokesman|spokeswoman|spokesperson|commander|diplomat|negotiator|"
    r"general(?!\s+(?:elections?|strikes?|assembly|public|population|amnesty|consensus|"
    r"mobili[sz]ation|staff|prosecutor|secretary|council|hospital|directorate))"
    r"))(?![\w-])"
)


# A capitalised name right after an office: then the office is the person's title.
NAME_AFTER = re.compile(
    r",?\s+(?:[A-Z][a-z]+\.?\s+)*[A-Z][\w'-]+\s+(?:(?:al|el|bin|ibn|de|van|von)[\s-])?[A-Z][\w'-]+"
)


# The state is the actor: "Iranian-backed", "Russia-influenced".
BACKED = re.compile(
    r"-(?:backed|led|sponsored|funded|supported|allied|aligned|armed|trained|brokered|"
    r"installed|influenced|controlled|occupied|held|annexed|imposed|dependent|friendly)(?![\w-])"
)


# A body a group runs: "the Hamas-run health ministry", "the Houthi-led government".
GROUP_RUN = re.compile(
    r"-(?:run|led|controlled|administered|appointed|installed)\s+(?:[a-z]+\s+){0,2}?"
    r"(?:ministry|government|authorities|administration|police|courts?|council)(?![\w-])"
)


# A government named after its leader: "the Biden administration", "the Assad regime".
RULED_BY = re.compile(rf"[ \t]+(?:{alternation('actor_cues.toml', 'rule_heads')})(?![\w-])")


# The state acts: "Ukrainian and EU involvement", "Iranian operational and intelligence assistance".
STATE_ACTION = re.compile(
    r"(?:\s+and\s+(?:the\s+)?[A-Z][\w.'-]*)?(?:\s+[a-z][a-z-]+(?:\s+and\s+[a-z][a-z-]+)?)?"
    r"\s+(?:involvement|support|backing|interference|intervention|aggression|invasion|"
    r"occupation|annexation|incursion|incursions|blockade|sanctions|embargo|aid|assistance|"
    r"mediation|proxies|proxy|retaliation|ultimatum|pressure|crackdown|offensive|"
    r"counteroffensive|counter-offensive|bombardment|mobilisation|mobilization)(?![\w-])"
    r"(?!\s+(?:worker|workers|group|groups|agency|agencies|convoy|convoys|organi[sz]ations?|"
    r"officials?|packages?|programmes?|programs?|flights?|shipments?|deliver(?:y|ies)|money|"
    r"budget|cuts|efforts|staff|sector|system|list|lists|lorries|trucks)\b)"
)


# A capital city speaks or acts for its state: "Moscow said", "Washington has warned".
AGENT_VERB = re.compile(
    r"(?:'s\s+(?:position|decision|policy|response|demands?|support|backing|proposal|"
    r"plan|offer|ally|allies|proxies|forces|troops)\b|"
    r"\s+(?:will|would|could|should|may|might|must|can|cannot|has|have|had)\s+(?!been\b)[a-z]|"
    r"\s+(?:(?:has|have|had|will|would|"
    r"also|now|again|then|quickly|reportedly|repeatedly|has\s+long|has\s+also)\s+)?"
    r"(?:said|says|say|announced|accused|warned|denied|rejected|insisted|demanded|"
    r"responded|condemned|claimed|blamed|threatened|urged|called|agreed|refused|wants|"
    r"retaliated|imposed|approved|signed|sent|ordered|decided|vowed|pledged|backed|"
    r"supports|supported|recognised|recognized|expelled|summoned|dismissed|hopes|fears|"
    r"sees|views|considers|is\s+(?:ready|willing|prepared)|has\s+been)\b)"
)


# A minister named by office alone ("the Minister of Foreign Affairs", "the Defence
# Minister"): with no name after it and no state before it, the article's own state's.
# (The "T" is matched before the look-behind that it opens no word: a pattern that starts
# with a letter is searched for that letter, several times faster.)
UNNAMED_MINISTER = re.compile(
    r"[Tt](?<![\w-][Tt])he[ \t]+(?P<office>Minister[ \t]+of[ \t]+(?:the[ \t]+)?"
    r"[A-Z][\w-]*(?:[ \t]+(?:and[ \t]+)?[A-Z][\w-]*){0,3}|"
    rf"(?i:{_PORTFOLIO})[ \t]+Minister)(?![\w-])"
)


# A state after an office: "the Minister of Foreign Affairs of Kenya".
OF_STATE_AFTER = re.compile(r",?[ \t]+of[ \t]+(?:the[ \t]+)?[A-Z]")


# "the country's government": the government of the state named last before it.
COUNTRYS_GOVERNMENT = re.compile(
    r"(?<![\w-])[Tt]he\s+country's\s+(?:(?:military|transitional|interim|new|former)\s+)?"
    r"(?:government|authorities|junta|regime|leadership|rulers)(?![\w-])"
)


# What may follow an item of a list of places: "from Bulgaria, Ukraine and Romania".
LIST_ITEM_END = re.compile(
    r"(?:\s*[-,.;:()!?\n]|\s*$|\s+(?:and|or|on|in|at|during|since|after|before|where|when|"
    r"which|near|from|to|for|with|amid|until|last|this|as)\s)"
)


# "{place} region|state|province": the place reading continues over the noun.
PLACE_NOUN_AFTER = re.compile(
    r"\s+(?i:region|state|province|governorate|district|oblast|prefecture|county|"
    r"territory|area|city|town|village|municipality)(?![\w-])"
)


# "Haiti's future", "Mali's resources": a possessive state named as a place.
POSSESSIVE_PLACE = re.compile(
    r"'s?\s+(?:own\s+|entire\s+|whole\s+)?(?i:future|past|people|peoples|population|"
    r"citizens|nationals|capital|coast|coastline|border|borders|north|south|east|west|"
    r"north-east|north-west|south-east|south-west|northeast|northwest|southeast|"
    r"southwest|territory|territories|soil|economy|history|region|regions|cities|streets|"
    r"airspace|waters|resources|mines|oil|gas|gold|land|lands|interior|outskirts|"
    r"countryside|villages|towns|provinces|climate|geography|map|largest|biggest|"
    r"second-largest|independence|civil\s+war|civil\s+conflict|internal\s+conflict)(?![\w-])"
)


# Every word that, right before a name, can give it a reading: a name after any other word
# has none, which :func:`left_context` tells without splitting its window.
_LEFT_WORDS = (
    DEMONYM_DROP
    | DIRECTIONS
    | LOCATIVES
    | words("the of in")
    | frozenset(pair.split("_")[1] for pair in LOCATIVE_PAIRS)
)


# Last words that make a name geography whatever came before them ("from", "into", "near").
_LOCATIVE_ONLY = LOCATIVES - DEMONYM_DROP - DIRECTIONS - words("the of in")


_AFTER_THE = _LEFT_WORDS - DEMONYM_DROP - words("the")


_IN_OR_THE = words("in the")


def left_context(norm: str, start: int) -> tuple[str, int]:
    """Classify the words right before ``start``: ``loc`` (geography), ``placeof``,
    ``gov`` (with the offset of the government noun), ``title``, ``drop`` or ``""``."""
    if start < 2 or norm[start - 1] != " ":
        return "", -1
    base = max(0, start - 48)
    space = norm.rfind(" ", base, start - 1)
    word = norm[space + 1 if space >= 0 else base : start - 1]
    # Sliced after the last space, a printable word holds no blank at all: it is the
    # window's last word, and the rules can be read without splitting the window.
    if word and word.isprintable():
        low = word.lower()
        if low not in _LEFT_WORDS:
            return "", -1
        if low in _LOCATIVE_ONLY:
            if low == "to" and given_to(norm, space + 1 if space >= 0 else base):
                return "", -1
            if low == "from" and given_from(norm, space + 1 if space >= 0 else base):
                return "", -1
            if low != "from" or not _after_gov_people(norm, base, space):
                return "loc", -1
        if low in _IN_OR_THE and space >= 0:
            before = norm.rfind(" ", base, space)
            prev = norm[before + 1 if before >= 0 else base : space]
            if prev and prev.isprintable():
                prev = prev.lower()
                if low == "in" and prev not in GOV_BEFORE:
                    return "loc", -1  # "in X" is geography unless a government noun leads
                if low == "the":  # the rules read the word before "the"
                    if prev not in _AFTER_THE:
                        return "", -1
                    if prev in _LOCATIVE_ONLY:
                        at = before + 1 if before >= 0 else base
                        if prev == "to" and given_to(norm, at):
                            return "", -1
                        if prev == "from" and given_from(norm, at):
                            return "", -1
                        return "loc", -1
    return _left_context(norm, start, base)


def _after_gov_people(norm: str, base: int, space: int) -> bool:
    """Whether the word before the one ending at ``space`` is a government noun or speaks
    for a government ("regimes from X", "officials from X"): the full rules then decide."""
    if space < 0:
        return False
    words_before = norm[base:space].split()
    if not words_before:
        return False
    prev = words_before[-1].lower()
    return prev in GOV_BEFORE or prev in GOV_PEOPLE


_GIVEN_TO = word_set("actor_cues.toml", "given_to")


_MOVED_TO = word_set("actor_cues.toml", "moved_to")


_CLAUSE_END = re.compile(r"[.;:!?\"“”]")


def given_to(norm: str, to_start: int) -> bool:
    """Whether the "to" at ``to_start`` names whom something is given ("supplied drones
    to X", "aid to X"), not where someone or something goes ("sent troops to X", "from X to
    Y", "travelled to X")."""
    window = norm[max(0, to_start - 80) : to_start]
    cut = max((m.end() for m in _CLAUSE_END.finditer(window)), default=0)
    window = window[cut:]
    ws = window.lower().replace(",", " ").split()[-8:]
    if not ws or "from" in ws or any(w in _MOVED_TO for w in ws):
        return False  # "from X to Y", "sent troops and arms to X": a journey
    return any(w in _GIVEN_TO for w in ws)


_GIVEN_FROM = word_set("actor_cues.toml", "given_from")


_MOVED_FROM = word_set("actor_cues.toml", "moved_from")


def given_from(norm: str, from_start: int) -> bool:
    """Whether the "from" at ``from_start`` names who gives something ("received tanks
    from X", "aid from X"), not where someone or something comes from ("fled from X",
    "troops withdrew from X")."""
    window = norm[max(0, from_start - 80) : from_start]
    cut = max((m.end() for m in _CLAUSE_END.finditer(window)), default=0)
    ws = window[cut:].lower().replace(",", " ").split()[-8:]
    if not ws or any(w in _MOVED_FROM or w in _MOVED_TO for w in ws):
        return False
    return any(w in _GIVEN_FROM for w in ws)


def dropped(norm: str, start: int) -> bool:
    """Whether a demonym at ``start`` names people, not a state ("ethnic Armenian"): the
    same as ``left_context(norm, start)[0] == "drop"``."""
    if start < 2 or norm[start - 1] != " ":
        return False
    base = max(0, start - 48)
    space = norm.rfind(" ", base, start - 1)
    word = norm[space + 1 if space >= 0 else base : start - 1]
    if word and word.isprintable():
        return word.lower() in DEMONYM_DROP
    return _left_context(norm, start, base)[0] == "drop"


def _left_context(norm: str, start: int, base: int) -> tuple[str, int]:
    window = norm[base:start]
    ws = window.lower().split()[-5:]
    i = len(ws) - 1
    if i < 0:
        return "", -1
    word = ws[i]
    if word in DEMONYM_DROP:
        return "drop", -1
    if word == "the" and i > 0:
        i -= 1
        word = ws[i]
    if word in COMPASS and window.split()[-5:][i].islower():
        return "loc", -1
    if word in DIRECTIONS and i > 0:
        i -= 1
        word = ws[i]
    prev = ws[i - 1] if i > 0 else ""
    if word in ("of", "in", "from") and prev:
        if word == "of" and prev in PLACE_OF:
            return "placeof", -1
        if prev in GOV_BEFORE or (word != "in" and prev in GOV_PEOPLE):
            low = window.lower()
            at = low.rfind(prev)
            if i > 1 and ws[i - 2] == "military":
                at = low.rfind("military", 0, at)
            return "gov", base + at
        if word == "of" and (prev in TITLE_OF or (i > 1 and ws[i - 2] in TITLE_OF)):
            return "title", -1
    if word in LOCATIVES or f"{prev}_{word}" in LOCATIVE_PAIRS:
        if word in {"to", "from"}:
            spans = [m.start() for m in _WORD_RUN.finditer(window)][-5:]
            given = given_to if word == "to" else given_from
            if given(norm, base + spans[i]):
                return "", -1
        return "loc", -1
    return "", -1


_WORD_RUN = re.compile(r"\S+")


# The word after a name (with a possessive): decides which right-context pattern to try.
NEXT_WORD = re.compile(r"('s?)?[ \t]+([\w-]+)")


INSTITUTION_FIRST = words(
    "military transitional interim government governments authorities junta regime "
    "administration leadership cabinet officials diplomats diplomacy intelligence parliament "
    "institutions "
    "state armed air special security defence defense peacekeeping peacekeepers service "
    "servicemembers servicemen servicewomen soldiers troops forces army navy marines pilots "
    "airmen "
    "paratroopers warplanes warships fighter jets drones airstrikes strikes shelling "
    "artillery missiles tanks coast police gendarmerie contingent units battalions brigades "
    "commanders generals militaries ministry department foreign interior internal home "
    "finance justice health energy economy information education agriculture trade war "
    "emergency emergencies oil transport communications prime vice president premier "
    "chancellor king queen emir crown supreme leader chief ambassador envoy spokesman "
    "spokeswoman spokesperson general commander diplomat negotiator minister secretary "
    "official senior embassy embassies consulate"
)


# Between two list items: "Syria and Venezuela", "Bulgaria (…), Ukraine, and Romania".
COORDINATION = re.compile(
    r"(?:\s*\([^()]{0,120}\))?\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+|\s*/\s*)"
    r"(?:the\s+)?$"
)
