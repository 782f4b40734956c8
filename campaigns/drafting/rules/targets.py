# ruff: noqa: RUF001 -- typographic quotes and dashes are what releases use
"""Who a phrase asks to act, named the way organizers pick targets.

A release names its targets loosely ("all Members of Congress", "their
senators", "the Trump administration", "lawmakers", "them"). We map each to a
canonical target: "Congress", "Senate", "House", "Speaker of the House", a
committee, "Rep. First Last", "President", or a state or local body. Bare
"lawmakers" and pronouns are resolved from what the release mentioned before.
"""

import re
from dataclasses import dataclass

STATES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|"
    "Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|"
    "Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|"
    "New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|"
    "Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|"
    "West Virginia|Wisconsin|Wyoming"
)
# The official names of state legislatures that are not "<State> Legislature".
_LEGISLATURE_NAMES = {
    "General Assembly": (
        "Arkansas Colorado Connecticut Delaware Georgia Illinois Indiana Iowa Kentucky Maryland "
        "Missouri North Carolina Ohio Pennsylvania Rhode Island South Carolina Tennessee Vermont "
        "Virginia"
    ),
    "General Court": "Massachusetts New Hampshire",
    "Legislative Assembly": "North Dakota Oregon",
}
_STATE_BODY = re.compile(
    rf"\b(?P<state>{STATES})\s+(?:State\s+)?(?P<body>House of Representatives|House|Senate|"
    r"General Assembly|Legislature|Assembly)\b"
)
_STATE_MARKERS = re.compile(
    rf"\b(?:{STATES})\s+(?:State\s+)?"
    r"(?:House|Senate|General Assembly|Legislature|Assembly|lawmakers)\b|"
    r"\b(?:state legislat\w+|state lawmakers|statehouse|Governor|Gov\.)|"
    r"\b(?:Senate|House|Assembly) Bill \d+|\b[SAH]\.?B\.?\s?\d+\b"
)
_LOCAL_BODY = re.compile(
    r"\b(?:Board of Supervisors|City Council|County Council|Board of Commissioners|"
    r"County Commission|City Commission|Board of Education|School Board|Board of Aldermen)\b",
    re.I,
)
_FEDERAL_MARKERS = re.compile(
    r"\bCongress\b|\bcongressional\b|\bCapitol Hill\b|\bU\.S\. (?:Senate|House)\b|"
    r"\((?:D|R|I)-[A-Z]{2}\)|\bH\.\s?R\.\s?\d|\bS\.\s?\d|\bCongress(?:man|woman)\b"
)
_COMMITTEE = re.compile(
    r"\b(?P<name>(?:(?:House|Senate|Joint|Select|Special|Permanent|Conference)\s+)*"
    r"(?:[A-Z][\w&’'-]*\s+)*(?:Subcommittee|Committee)"
    r"(?:\s+on\s+[A-Z][\w&’'-]*(?:(?:,?\s+(?:and\s+)?|\s+of\s+(?:the\s+)?)[A-Z][\w&’'-]*)*)?)"
)
_MEMBER = re.compile(
    r"\b(?P<office>Congressman|Congresswoman|Rep\.|Representative|Sen\.|Senator)\s+"
    r"(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w’'-]+)?)"
)
_OFFICES = {
    "Congressman",
    "Congresswoman",
    "Rep.",
    "Representative",
    "Sen.",
    "Senator",
    "The",
    "the",
}
_SPEAKER = re.compile(r"\bSpeaker\b")
_LEADER = re.compile(r"\b(?P<chamber>Senate|House)\s+(?P<role>Majority|Minority)\s+Leader\b")
_PRESIDENT = re.compile(
    r"\bPresident\b(?!\s+of\s+(?!the United States))|\b[Aa]dministration\b|\bWhite House\b"
    r"|\bcommander[- ]in[- ]chief\b"
)
_CONGRESS = re.compile(r"\bCongress\b|\bcongressional (?:leaders|leadership|members)\b")
_SENATE = re.compile(r"\bSenate\b|\bsenators\b", re.I)
_HOUSE = re.compile(r"\bHouse\b(?! Bill)|\brepresentatives\b")
_GENERIC_LAWMAKERS = re.compile(
    r"^(?:the\s+|our\s+|their\s+|your\s+|all\s+|every\s+)*(?:lawmakers|legislators|"
    r"elected (?:officials|leaders)|policymakers|policy makers|members|leaders|leadership|"
    r"committee|them|him|her|they|it|he|she)\b",
    re.I,
)
_NOT_TARGETS = re.compile(
    r"^(?:the\s+)?(?:public|supporters|people|Americans|voters|everyone|citizens|residents|"
    r"advocates|volunteers|us|you|members of the public|communities|families|parents|"
    r"individuals)\b",
    re.I,
)
# Businesses asked as a group ("time for companies to ...") are a target too.
_COMPANIES = re.compile(r"(?:companies|corporations|businesses|brands|retailers)\b", re.I)
_SPLIT = re.compile(
    r",?\s+(?:with the support of|with support from|along with|as well as|together with)\s+|"
    r",?\s+and\s+(?=(?:the\s+)?(?:U\.S\.\s+)?(?:Congress|Senate|House|President|Speaker|"
    r"members|Members|administration|Gov|Rep|Sen)\b)"
)
_ASIDE = re.compile(r",\s+(?:especially|including|particularly|in particular|notably)\b.*$")


@dataclass(frozen=True)
class Context:
    """What the whole release says about its setting, to read bare words."""

    text: str
    place: str
    state: str  # a US state whose legislature or governor the release talks about
    federal: bool  # the release talks about Congress
    local: str  # a city or county body it talks about


def context_of(text, place):
    state_body = _STATE_BODY.search(text)
    state = state_body.group("state") if state_body else ""
    if not state and _STATE_MARKERS.search(text):
        named = re.search(rf"\b({STATES})\b", text)
        state = named.group(1) if named else ""
    federal = bool(_FEDERAL_MARKERS.search(text)) and not (
        _STATE_MARKERS.search(text) and not _CONGRESS.search(text)
    )
    local = _LOCAL_BODY.search(text)
    return Context(text, place, state, federal, local.group(0) if local else "")


def legislature_of(state):
    for name, states in _LEGISLATURE_NAMES.items():
        if re.search(rf"\b{state}\b", states):
            return f"{state} {name}"
    return f"{state} Legislature"


def _full_member_name(office, name, context):
    """'Congressman Pallone' -> 'Rep. Frank Pallone' when the release names him in full."""
    prefix = "Sen." if office.startswith("Sen") else "Rep."
    name = re.sub(r"[’']s$", "", name)
    surname = name.split()[-1]
    if len(name.split()) == 1:
        for full in re.finditer(
            rf"\b([A-Z][\w’'-]+(?:\s[A-Z]\.)?)\s+{re.escape(surname)}\b", context.text
        ):
            if full.group(1) not in _OFFICES:
                return f"{prefix} {full.group(1)} {surname}"
    return f"{prefix} {name}"


def is_congress(target):
    """Does this canonical target name members of the US Congress?"""
    return bool(
        target in {"Congress", "Senate", "House", "Speaker of the House"}
        or re.match(
            r"(?:Rep|Sen)\. |(?:House|Senate|Joint|Conference)\b|(?:Senate|House) \w+ Leader",
            target,
        )
    )


def _local_body(phrase, context):
    body = _LOCAL_BODY.search(phrase).group(0)
    name = r"((?:[A-Z][\w.’'-]*\s+){1,3})" + re.escape(body)
    named = re.search(name, phrase)
    if named and named.group(1).strip() not in {"The", "the"}:
        return named.group(0)
    # "the Council" after "the Riverton City Council": the name the release gave it
    named = re.search(r"\bthe\s+" + name, context.text)
    if named:
        return named.group(0)[4:]
    city = context.place if context.place and "D.C" not in context.place else ""
    return f"{city} {body}".strip()


def canonical(phrase, context, *, strict=False):
    """The canonical target a single noun phrase names, or "" if it names none.

    Any other capitalized name ("EPA Administrator Jane Roe") counts only when
    not strict: as the object of "urges ... to", never as the subject of "must".
    """
    phrase = re.sub(
        r"^(?:the|all|every|both|our|their|full|incoming|entire)\s+", "", phrase.strip(" ,")
    )
    phrase = re.sub(r"^(?:the|all|every|both|our|their|full|incoming|entire)\s+", "", phrase)
    if not phrase or _NOT_TARGETS.match(phrase):
        return ""
    state_body = _STATE_BODY.search(phrase)
    if state_body:
        if state_body.group("body") in {"General Assembly", "Legislature"}:
            return legislature_of(state_body.group("state"))
        return state_body.group(0)
    if _LOCAL_BODY.search(phrase):
        return _local_body(phrase, context)
    committee = _COMMITTEE.search(phrase)
    if committee:
        return committee.group("name").strip()
    leader = _LEADER.search(phrase)
    if leader:
        return leader.group(0)
    if _SPEAKER.search(phrase) and context.federal:
        return "Speaker of the House"
    member = _MEMBER.search(phrase)
    if member and not context.state:
        return _full_member_name(member.group("office"), member.group("name"), context)
    if _PRESIDENT.search(phrase):
        return "President"
    governor = re.search(r"\b(?:Governor|Gov\.)(?P<name>(?:\s+[A-Z][\w’'-]+){0,2})", phrase)
    if governor:
        return "Governor" + governor.group("name")
    chamber = _chamber(phrase, context)
    if chamber:
        return chamber
    if _COMPANIES.match(phrase):
        return "companies"  # a kind, not a name: "Tell companies to ..."
    if strict or _GENERIC_LAWMAKERS.match(phrase):
        return ""  # bare "lawmakers" is resolved by the caller from earlier mentions
    named = re.search(r"[A-Z][\w.&’'-]*(?:\s+(?:of|for|and|the|on|[A-Z][\w.&’'-]*))*", phrase)
    return named.group(0).strip() if named else ""


def _chamber(phrase, context):
    congress, senate, house = (
        _CONGRESS.search(phrase),
        _SENATE.search(phrase),
        _HOUSE.search(phrase),
    )
    if not (congress or senate or house):
        return ""
    if context.state and not context.federal and not congress:
        body = "Senate" if senate else "House of Representatives"
        return f"{context.state} {body}"
    if congress or (senate and house):  # "their representatives and senators"
        return "Congress"
    return "Senate" if senate else "House"


def split_targets(phrase):
    """'the administration, with the support of Congress,' -> two phrases."""
    phrase = _ASIDE.sub("", phrase.strip(" ,"))
    return [part for part in _SPLIT.split(phrase) if part and part.strip(" ,")]


_MEMBERS = re.compile(
    r"\b(?P<office>Senators|Sens\.|Representatives|Reps\.)\s+(?P<names>[A-Z][\w’'-]+"
    r"(?:\s+[A-Z][\w’'-]+)?(?:,\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)*,?\s+and\s+"
    r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)"
)


def _plural_members(text):
    """'Senators Joe Manchin and Kyrsten Sinema' -> each senator, at the match's position."""
    for match in _MEMBERS.finditer(text):
        office = "Senator" if match.group("office").startswith("Sen") else "Representative"
        for name in re.split(r",?\s+and\s+|,\s+", match.group("names")):
            yield match.start(), f"{office} {name}"


def mentions(text, context):
    """Specific bodies and members named in text, in order: (position, target)."""
    found = []
    for position, phrase in _plural_members(text):
        target = canonical(phrase, context)
        if target:
            found.append((position, target))
    for pattern in (_COMMITTEE, _MEMBER, _STATE_BODY, _LOCAL_BODY):
        for match in pattern.finditer(text):
            target = canonical(match.group(0), context)
            if target:
                found.append((match.start(), target))
    return sorted(found)


def resolve(phrase, before, context, *, strict=False):
    """Targets for an object phrase; pronouns and bare 'lawmakers' look back in `before`."""
    targets = []
    for part in split_targets(phrase):
        target = canonical(part, context, strict=strict)
        found = [target] if target else []
        if not target and _GENERIC_LAWMAKERS.match(part.strip()):
            found = _antecedents(part, before, context)
        targets.extend(t for t in found if t not in targets)
    return targets


# A group "they" or "them" can stand for, named in the plural or as a body of members.
_GROUP = re.compile(
    r"\b(?:members of (?:the )?(?:U\.S\. )?(?:Congress|House|Senate)|(?:the )?(?:U\.S\. )?"
    r"(?:Congress|Senate|House)(?! of\b)|lawmakers|legislators)\b"
)


def _groups(text, context):
    """The groups text names, in order: (position, target)."""
    found = []
    for match in _GROUP.finditer(text):
        target = canonical(match.group(0), context)
        if target:
            found.append((match.start(), target))
    return found


def _antecedents(part, before, context):
    """'they' after 'Senators A and B ...' stands for both senators; 'them' after
    'a letter to members of Congress' for Congress."""
    if re.match(r"(?:they|them)\b", part.strip(), re.I):
        earlier = sorted(mentions(before, context) + _groups(before, context))
        if earlier:
            last = earlier[-1][0]
            return [target for position, target in earlier if position == last]
    target = _antecedent(part, before, context)
    return [target] if target else []


# Who "he" or "she" can stand for: a named member, the President or a governor.
_PERSON = re.compile(rf"{_MEMBER.pattern}|\bPresident\b|\b(?:Governor|Gov\.)\s+[A-Z][\w’'-]+")


def _antecedent(part, before, context):
    if re.match(r"(?:he|she|him|her)\b", part.strip(), re.I):
        people = [canonical(match.group(0), context) for match in _PERSON.finditer(before)]
        return next((person for person in reversed(people) if person), "")
    pronoun = re.match(r"(?:it|them|they)\b", part.strip(), re.I)
    earlier = mentions(before, context)
    if pronoun and earlier:
        return earlier[-1][1]
    committees = [target for _, target in earlier if "ommittee" in target]
    if committees:
        return committees[-1]
    if context.local and not context.federal:
        return _local_body(context.local, context)
    if context.state and not context.federal:
        return legislature_of(context.state)
    if pronoun:
        return ""
    return "Congress" if context.federal else ""
