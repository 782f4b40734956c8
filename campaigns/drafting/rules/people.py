# ruff: noqa: RUF001 -- typographic quotes and dashes are what releases use
"""Who speaks in a release and what they say.

AP attribution: '"...," said Name, title of Org.', '"...," said Org Title
Name.', '"...," Name said.', 'Name, title, issued the following statement:'
and headlines such as 'Statement by Org President Name on ...'. Press
contacts are never speakers: they are not attributed quotes.
"""

import re
from dataclasses import dataclass, field

from .text import sentences

# fmt: off
TITLE_WORDS = {
    "president", "vice", "director", "executive", "secretary", "chair", "chairman",
    "chairwoman", "chairperson", "ceo", "coo", "cfo", "cto", "founder", "co-founder",
    "cofounder", "officer", "manager", "coordinator", "organizer", "attorney", "counsel",
    "commander", "general", "national", "legislative", "policy", "affairs", "government",
    "public", "senior", "deputy", "associate", "assistant", "chief", "head", "leader",
    "member", "trustee", "fellow", "analyst", "advocate", "spokesperson", "spokesman",
    "spokeswoman", "campaign", "campaigns", "program", "programs", "relations",
    "communications", "development", "operations", "strategy", "research", "advocacy",
    "outreach", "organizing", "regional", "state", "federal", "international", "global",
    "interim", "acting", "staff", "professor", "pastor", "minister", "commissioner",
    "administrator", "superintendent", "treasurer", "partner", "principal", "editor", "board",
    "founding", "emeritus", "lead", "legal", "mayor", "governor", "senator", "representative",
    "ambassador", "chairs",
}
# fmt: on
CONNECTORS = {"of", "for", "on", "the", "and", "&", "de", "in"}
_DROPPED_HONORIFICS = re.compile(r"^(?:the\s+)?(?:Reverend|Rev\.|Mr\.|Mrs\.|Ms\.)\s+")
_KEPT_HONORIFICS = {"Dr.", "Prof."}
_SAID = re.compile(r"\b(?:said|says|added|adds|stated|noted|explained|continued|remarked)\b")
_STATEMENT = re.compile(
    r"\b(?:issued|released|made|gave|shared)\s+(?:the\s+following|this|a)\s+statement\b"
)
STATEMENT_HEADLINE = re.compile(
    r"^Statement\s+(?:by|from|of)\s+(?P<who>.+?)\s+(?:on|about|regarding|in response to)\s"
)
_QUOTE = re.compile(r"[“\"]([^“”\"]{20,}?)(?:[”\"]|$)")
_NOT_A_PERSON = {"he", "she", "they", "we", "i", "it", "the", "this", "that"}


@dataclass(frozen=True)
class Person:
    name: str
    title: str
    quotes: tuple = field(default=())


def _is_name_word(word):
    bare = word.rstrip(",")
    if re.fullmatch(r"[A-Z]\.", bare):
        return True  # a middle initial
    if bare.lower() in TITLE_WORDS or bare in {"The", "A", "An"}:
        return False
    return bool(re.fullmatch(r"[A-Z][a-z’'-]*[a-z][A-Za-z’'-]*", bare))


def _clean_title(title):
    title = re.split(r"\s+(?:which|who|that|where|whose)\s", " " + title.strip(" ,.:;"))[0]
    title = re.sub(r"^(?:the|a|an)\s+", "", title.strip(" ,.:;"), flags=re.I)
    if not title or title.split()[0].lower() in {"of", "from", "who", "in"}:
        return ""  # "of Georgetown, Ind." is a hometown, not a title
    return title if len(title.split()) <= 15 else ""


def parse_person(text):
    """(name, title) from an attribution such as 'Jane Roe, director of X' or
    'X Executive Director Jane Roe'; a bare surname gives (surname, "")."""
    text = _DROPPED_HONORIFICS.sub("", text.strip(' ,.:;“”"'))
    head, _, tail = text.partition(", ")
    words = head.split()
    honorific = ""
    if words and words[0] in _KEPT_HONORIFICS:
        honorific, words = words[0] + " ", words[1:]
    caps = []
    for word in words:
        if word[0].isupper() or (word in CONNECTORS and caps):
            caps.append(word)
        else:
            break
    rest = " ".join(words[len(caps) :])
    while caps and caps[-1] in CONNECTORS:
        rest = caps.pop() + " " + rest
    if not caps or caps[0].lower() in _NOT_A_PERSON:
        return None
    trailing = 0
    while trailing < min(len(caps), 4) and _is_name_word(caps[len(caps) - 1 - trailing]):
        trailing += 1
    title_first = (
        trailing >= 2 and len(caps) > trailing and caps[-trailing - 1].lower() in TITLE_WORDS
    )
    if title_first or not (len(caps) >= 2 and _is_name_word(caps[0]) and _is_name_word(caps[1])):
        name = caps[len(caps) - trailing :]
        title = " ".join(caps[: len(caps) - trailing]) or rest or tail
        if not name:
            return None
    else:
        count = 2
        while count < min(len(caps), 4) and _is_name_word(caps[count]):
            count += 1
        name = caps[:count]
        title = " ".join([*caps[count:], rest]).strip() or tail
    if len(name) == 1 and honorific:
        return honorific + name[0], ""
    return honorific + " ".join(name), _clean_title(title)


def _statement_speaker(sentence):
    """'In response, Jane Roe, director of X, issued the following statement:'"""
    match = _STATEMENT.search(sentence)
    if not match:
        return None
    before = sentence[: match.start()].strip(" ,")
    parts = before.split(", ")
    for index in range(len(parts)):
        person = parse_person(", ".join(parts[index:]))
        if person and len(person[0].split()) >= 2:
            return person
    return None


def _attributions(sentence):
    """People a sentence attributes speech to, in order."""
    found = []
    for match in _SAID.finditer(sentence):
        after = sentence[match.end() :].strip()
        if after[:1].isupper() or after.startswith("the Rev"):
            person = parse_person(re.split(r"[“\"]|;\s", after)[0])
            if person:
                found.append(person)
        before = re.split(r"[”\"]\s*", sentence[: match.start()])[-1].strip(" ,")
        if before and re.fullmatch(r"(?:Dr\.\s)?[A-Z][\w’'.-]+(?:\s[A-Z][\w’'.-]+){0,3}", before):
            person = parse_person(before)
            if person:
                found.append(person)
    statement = _statement_speaker(sentence)
    if statement:
        found.append(statement)
    return found


def _same_person(a, b):
    return a.split()[-1] == b.split()[-1]


def speakers(headline, body):
    """Everyone quoted or making the statement, first speaker first, with their quotes."""
    people = []  # [name, title, quotes]

    def remember(person):
        name, title = person
        for entry in people:
            if _same_person(entry[0], name):
                if len(name.split()) > len(entry[0].split()):
                    entry[0] = name
                entry[1] = entry[1] or title
                return entry
        if len(name.replace("Dr. ", "").split()) < 2:
            return None  # a surname we have not met in full
        entry = [name, title, []]
        people.append(entry)
        return entry

    match = STATEMENT_HEADLINE.match(headline)
    if match:
        person = parse_person(match.group("who"))
        if person:
            remember(person)
    current = None
    for paragraph in body:
        found = [
            entry
            for sentence in sentences(paragraph)
            for entry in map(remember, _attributions(sentence))
            if entry
        ]
        quotes = [quote.strip(" ,") for quote in _QUOTE.findall(paragraph)]
        if found:
            current = found[0]
        elif paragraph[:1] not in '“"':
            current = None  # AP: a paragraph opening with a quote continues the last speaker
        if current:
            current[2].extend(quotes)
    return [Person(name, title, tuple(quotes)) for name, title, quotes in people]


def quotes(body):
    """Every quoted passage of some length, in order."""
    return [quote.strip(" ,") for paragraph in body for quote in _QUOTE.findall(paragraph)]
