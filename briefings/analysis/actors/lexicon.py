"""Word lists for names: the cue file, organisation and place heads, titles, name runs."""

from __future__ import annotations

import re

from briefings.text.cuefiles import load, word_set


def words(text: str) -> frozenset[str]:
    """The set of the whitespace-separated words of ``text``."""
    return frozenset(text.split())


DIRECTIONS = words(
    "north south east west central northern southern eastern western north-eastern "
    "north-western south-eastern south-western northeastern northwestern southeastern "
    "southwestern rural coastal occupied war-torn neighbouring neighboring mainland landlocked "
    "northeast northwest southeast southwest north-east north-west south-east south-west"
)


# Compass words: typed in lower case right before a state, they make it a place ("northern
# Mali", "the eastern DRC"); "neighbouring Rwanda" may still act.
COMPASS = words(
    "north south east west northern southern eastern western central north-eastern "
    "north-western south-eastern south-western northeastern northwestern southeastern "
    "southwestern northeast northwest southeast southwest north-east north-west south-east "
    "south-west"
)


# Words right before a name (after an optional "the" and direction) that make it a place.
LOCATIVES = words(
    "in into inside within from to toward towards near across throughout around via through "
    "off outside beyond leaving entering visited visiting visit fled flee flees fleeing "
    "place: places: location: "
    "locations: site: country: countries:"
)


LOCATIVE_PAIRS = words(
    "out_of travel_to bound_for route_to border_with borders_with frontier_with boundary_with"
)


# Nouns before "of" that make the following name a place ("the Tigray Region of Ethiopia").
PLACE_OF = words(
    "region regions part parts coast coastline capital territory territories border borders "
    "province provinces district districts city cities town towns village villages north "
    "south east west interior heart outskirts soil waters airspace area areas people peoples "
    "citizens residents population rest map edge side shores island islands mainland "
    "countryside streets"
)


# Nouns before "in"/"of" that make the following state's government ("regimes in Syria").
GOV_BEFORE = words(
    "government governments junta juntas regime regimes authorities administration rulers "
    "leadership"
)


# People before "of" or "from" who speak for the following state's government ("officials
# from Kenya", "envoys of Chile"); "in" keeps its place reading ("diplomats in Nairobi").
GOV_PEOPLE = words(
    "officials diplomats delegates delegation delegations envoys representatives negotiators"
)


# Nouns before "of" that make the following state part of a title ("President of Russia").
TITLE_OF = words(
    "president prime minister premier king queen emir leader ministers foreign defence defense "
    "ambassador envoy governor chief commander vice crown ruler chancellor secretary "
    "presidents leaders ambassadors"
)


# Words before a demonym that make it name people, not a state ("ethnic Armenian soldiers").
DEMONYM_DROP = words("ethnic fellow native latin pan")


CUES = load("actor_cues.toml")
"""The parsed cue file: word lists a user extends by editing ``data/actor_cues.toml``."""


def _cue_words(key: str) -> frozenset[str]:
    return word_set("actor_cues.toml", key)


# Heads that make a capitalised span an organisation, with the type they suggest.
ORG_HEADS: dict[str, str] = {
    str(head): kind for kind, heads in CUES["org_heads"].items() for head in heads
}


# Heads that make a capitalised span an organisation only beside one of their qualifiers.
QUALIFIED_HEADS: dict[str, frozenset[str]] = {
    str(head): frozenset(str(q) for q in qualifiers)
    for head, qualifiers in CUES.get("qualified_heads", {}).items()
}


# Heads that make a capitalised span a place or a facility.
PLACE_HEADS = _cue_words("place_heads")


# Words before a name that make it a person's title ("Minister of Defence Sergei Shoigu").
TITLES = _cue_words("titles")


# Portfolio words inside titles ("Minister of Defence", "Chief of the General Staff").
PORTFOLIOS = _cue_words("portfolios")


# Lower-case role nouns right before a capitalised name ("governor Uba Sani").
ROLES = _cue_words("roles")


# Capitalised words that never belong to a person's name.
NON_NAME = TITLES | PORTFOLIOS | _cue_words("non_name")


# Verbs whose object is a person, right before a name ("met Jean Kouassi in Abidjan").
PERSON_OBJECT = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(
        re.escape(v).replace(r"\ ", r"\s+")
        for v in sorted(_cue_words("person_objects"), key=len, reverse=True)
    )
    + r")\s+$"
)


# Verbs after a capitalised name that make it a person ("Samvel Shahramanyan signed").
PERSON_VERB = re.compile(
    r"(?:,\s+(?:who|whose|born)\b|,\s+(?:a|an)\s+[\w-]+\s+(?:national|citizen)\b|"
    r"\s*\((?:born\b|b\.|(?:a\s+|an\s+)?[\w-]+\s+(?:national|citizen)\b)|"
    r",\s+(?:leader|head|founder|commander|chief|spokes(?:man|woman|person)|"
    r"president|director|secretary|minister|governor)\s+of\b|,\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:spokes(?:man|woman|person)|"
    r"leader|commander|minister|official|president|chief|head|founder|member|adviser|advisor|"
    r"analyst|researcher|director|general|colonel|governor|senator|lawmaker|ambassador|envoy|"
    r"journalist|activist|lawyer|resident|witness|professor|expert)\b|\s+(?:(?:has|had|have|was|is|also|later|then|reportedly|"
    r"himself|herself|personally)\s+)?(?:said|says|told|signed|announced|declared|denied|"
    r"stated|added|wrote|warned|claimed|accused|confirmed|ordered|met|called|urged|"
    r"insisted|argued|noted|explained|tweeted|posted|visited|vowed|pledged|resigned|died|"
    r"killed|arrested|led|leads|fled|denounced|condemned|criticized|criticised|"
    r"threatened|blamed|welcomed|rejected|praised|agreed|replied|responded|promised|"
    r"emphasized|emphasised|stressed|expressed|elaborated|thanked|defended|dismissed|"
    r"appointed|named|sacked|fired|won|lost|became|served|founded|commanded|headed|"
    r"portrayed|demanded|sought|asked|admitted|acknowledged|praised)\b)"
)


# Appositives and frames before a name that make it a person.
PERSON_BEFORE = re.compile(
    r"(?i:(?:(?:leader|president|head|founder|commander|chief|spokesman|spokesperson|"
    r"minister|governor|general|then-leader|emir|director|chairman|secretary|envoy|"
    r"ambassador|boss|warlord|mayor|leaders|presidents|heads|founders|commanders|chiefs|"
    r"ministers|foreign\s+ministers|governors|generals|secretaries|envoys|ambassadors)"
    r"(?:\s+of\s+(?:the\s+)?[\w' -]{1,40})?,\s*|"
    r"(?:presidency|premiership|leadership|administration|rule|regime|government|"
    r"command|orders)\s+of\s+|under\s+(?:president\s+)?|led\s+by\s+|according\s+to\s+|"
    r"(?:designated|sanctioned|listed)\s+(?:today\s+)?(?:are|were)\s+)$)"
)


# A bullet or infobox line that lists people: "Commander1: Antonio García, Rafael Sierra".
PERSON_LABEL = re.compile(
    r"(?i:[\s\-*•►▶‣–]*(?:commanders?|leaders?|presidents?|heads?|chiefs?|founders?|"
    r"spokes(?:person|man|woman)|members?|signator(?:y|ies)|negotiators?|perpetrators?|"
    r"suspects?|victims?|people|persons|key\s+people)\s*\d*\s*:)"
)


# Words that can open a sentence and so are capitalised without being names.
SENTENCE_OPENERS = NON_NAME - TITLES


# Capitalised runs: capitalised tokens joined by spaces and lower-case connectors. A token
# may end in a period ("U.S.", "Gen."); discovery cuts a run after any other word ending in
# one (a sentence end).
_CONNECTOR = "(?:" + "|".join(sorted(words("of the for and") | _cue_words("name_particles"))) + ")"


# A name token: a capitalised word, or one glued to a particle ("al-Rashidi").
_NAME_TOKEN = (
    r"(?:[A-Z\u00c0-\u00de]|(?:"
    + "|".join(sorted(_cue_words("name_prefixes")))
    + r")-[A-Z\u00c0-\u00de])[\w'.-]*+"
)


# (Possessive repeats: a word's characters and the blanks after it never need giving back.)
RUN = re.compile(rf"[A-Z\u00c0-\u00de][\w'.-]*+(?:[ \t]++(?:{_CONNECTOR}[ \t]++)*{_NAME_TOKEN})+")


# An ordinal right before a run opens it: "212th Mechanised Brigade" is one unit's name.
ORDINAL_BEFORE = re.compile(r"(?<![\w-])\d+(?:st|nd|rd|th)[ \t]+$")


CONNECTORS = words("of the for and") | _cue_words("name_particles")


# Connectors that a person's name may hold ("Osama bin Laden", "Juan de la Cruz").
NAME_CONNECTORS = _cue_words("name_particles")


# Suffixes that end a person's name ("Jr.", "III").
NAME_SUFFIXES = _cue_words("name_suffixes")


# Labels that look like organisation names but name no actor ("Foreign Terrorist Organization").
DESIGNATIONS = _cue_words("designations")


# Words that end in a period without ending a sentence.
ABBREVIATIONS = words(
    "Mr. Ms. Mrs. Dr. Gen. Lt. Col. Maj. Capt. Adm. Sgt. Brig. Sen. Rep. Gov. Prof. Rev. St. "
    "Jr. Sr. Cmdr. Pvt. Cpl. Gov. Co. Corp. Inc. Ltd. No. Mt. Ft."
)


# Words that make a capitalised run worth a closer look even when only one of its words is
# unknown: organisation and place heads, titles and warship prefixes.
RUN_TRIGGERS = (
    frozenset(ORG_HEADS)
    | frozenset(q for qualifiers in QUALIFIED_HEADS.values() for q in qualifiers)
    | PLACE_HEADS
    | TITLES
    | words("USS USNS HMS HMCS HMAS HMNZS INS FS TCG ROKS JS PNS BRP")
)


# Acronym definitions and former names.
ACRONYM_DEF = re.compile(r"\s*\((?P<acr>[A-Z][A-Za-z0-9&.'-]{1,11})\)")


FORMER_NAME = re.compile(
    r"\s*(?:\(|,\s*)(?i:previously|formerly|formerly\s+known\s+as|previously\s+known\s+as|"
    r"once\s+known\s+as|then\s+known\s+as|successor\s+(?:to|of))\s+(?:the\s+)?"
    r"(?P<old>[^(),;]{2,60}?)\s*(?:\)|,|;)"
)


# A lower-case noun that announces a company name: "the maritime risk management firm Ambrey".
COMPANY_BEFORE = re.compile(
    r"(?<![\w-])(?:firm|company|contractor|conglomerate|insurer|shipowner|operator|"
    r"manufacturer|group|giant|carrier|agency)\s+$"
)
