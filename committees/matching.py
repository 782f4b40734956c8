"""Committees a press release names: "the Senate Energy and Natural
Resources Committee", "House Committee on the Judiciary", "Senate Banking
Committee", or an abbreviation like "SENR" or the Thomas code "SSEG".

A name in the text matches a committee of its chamber when its words begin
the committee's subject ("Banking" begins "Banking, Housing, and Urban
Affairs"), comparing words by their first letters so that "Government"
finds "Governmental".
"""

import re

from committees.choosing import add_committee
from committees.models import Committee

CHAMBER_WORDS = {"house", "senate", "joint"}
MINOR = {"and", "of", "the", "on", "for", "a"}
# "Senate Energy and Natural Resources Committee", "House Committee on the Judiciary":
# a capitalized word (apostrophes, typographic or not, and commas allowed),
# then more of them joined by the small words names use.
WORD = r"[A-Z][\w,'\u2019]*"
WORDS = rf"{WORD}(?:\s+(?:and|of|the|for|{WORD}))*"
NAMED = re.compile(
    r"\b(?P<chamber>House|Senate|Joint)\s+"
    rf"(?:Committee\s+on\s+(?:the\s+)?(?P<after>{WORDS})"
    rf"|(?P<before>{WORD}(?:\s+(?:and|of|the|for|{WORD}))*?)\s+Committee\b)"
)
ACRONYM = re.compile(r"\b[A-Z]{4,6}\b")
STEM = 6


def _words(text):
    return [
        word[:STEM]
        for word in re.findall(r"[a-z]+", text.lower())
        if word not in MINOR and word not in CHAMBER_WORDS
    ]


def _subject(committee):
    """The words after "Committee on", or the name without chamber and "Committee"."""
    name = committee.name
    if " on " in name:
        name = name.split(" on ", 1)[1]
    return _words(re.sub(r"\b(Committee|Select|Special|Permanent)\b", " ", name))


def _acronym(committee):
    initials = "".join(word[0] for word in _subject(committee)).upper()
    return committee.chamber[0].upper() + initials


def committees_named_in(text):
    """Current committees (not subcommittees) the text names, in code order."""
    committees = list(Committee.objects.filter(current=True, parent__isnull=True))
    found = set()
    for match in NAMED.finditer(text):
        chamber = match.group("chamber").lower()
        said = _words(match.group("after") or match.group("before") or "")
        if not said:
            continue
        for committee in committees:
            subject = _subject(committee)
            if committee.chamber == chamber and subject[: len(said)] == said:
                found.add(committee)
    tokens = set(ACRONYM.findall(text))
    for committee in committees:
        acronym = _acronym(committee)
        if committee.code in tokens or (len(acronym) >= 4 and acronym in tokens):
            found.add(committee)
    return sorted(found, key=lambda committee: committee.code)


def target_named_committees(campaign):
    """A draft whose release names committees writes to their members; the
    organizer reads why among the draft's notes, and can change it."""
    named = committees_named_in(campaign.release_text)
    for committee in named:
        add_committee(campaign, committee)
    if named:
        names = ", ".join(committee.full_name for committee in named)
        notes = campaign.release_facts.setdefault("notes", [])
        notes.append(
            f"The release names the {names}: letters go to each supporter's members who sit "
            "on it. Change that under Committees."
        )
        campaign.save(update_fields=["release_facts", "updated_at"])
    return named
