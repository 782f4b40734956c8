# ruff: noqa: RUF001 -- typographic quotes and dashes are what releases use
"""The organization that issues a release.

Releases name their issuer in set places: the headline's subject ("X Urges
..."), the first sentence, speakers' titles ("director of X") and the closing
boilerplate ("X is a ...", "About X", "(c) 2020 X"). We collect candidates from
those places and let the best-supported name win.
"""

import re

from .header import HEADLINE_VERBS
from .people import CONNECTORS, STATEMENT_HEADLINE, TITLE_WORDS, parse_person
from .text import sentences

_GOVERNMENT = re.compile(
    r"\b(?:Congress|Senate|House|Subcommittee|Select Committee|Rules Committee|Administration|"
    r"Department|Agency|Bureau|Supervisors|City Council|Legislature|General Assembly|Governor|"
    r"President|Secretary|Court|Government|U\.S\.)(?!\w)"
)
_NOT_ORGANIZATIONS = {
    "today",
    "the",
    "this",
    "we",
    "our",
    "as",
    "in",
    "on",
    "at",
    "after",
    "despite",
    "while",
    "meanwhile",
    "yesterday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "united states",
    "america",
    "washington",
    "capitol hill",
    "some",
    "statement",
}


def _capitalized_runs(text, *, stop_at_on=False):
    """Runs of capitalized words, with 'of', 'for', 'and', 'the' inside them."""
    runs, current = [], []
    tokens = re.findall(r"[\w’'.&-]+|[^\w\s]", text)
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        possessive = re.match(r"(.+?)[’']s$", token)
        if possessive and token[0].isupper():
            current.append(possessive.group(1))
            runs.append(current)
            current = []
        elif (token[0].isupper() and token.lower() not in HEADLINE_VERBS) or (
            current
            and token in CONNECTORS
            and following[:1].isupper()
            and not (stop_at_on and token in {"on", "and"})
        ):
            current.append(token)
        else:
            if current:
                runs.append(current)
            current = []
            if stop_at_on and runs:
                break
    if current:
        runs.append(current)
    return [" ".join(run).strip(" .") for run in runs if run]


def _strip_run(run):
    run = re.sub(r"^(?:The|Today|A|An)\s+", "", run)
    run = re.sub(r"\s+(?:Board(?: of Directors)?|Statement)$", "", run)
    return run.strip()


def _initials(name):
    return "".join(word[0] for word in name.split() if word[0].isupper() and word not in CONNECTORS)


def _acronym_of(acronym, name):
    initials = _initials(name)
    return acronym == initials or (len(acronym) >= 3 and initials.startswith(acronym))


def _title_organization(title):
    """'president of the X' -> X; 'X Executive Director' -> X; "X's Director" -> X."""
    possessive = re.match(r"(.+?)[’']s\s", title)
    if possessive:
        return possessive.group(1)
    after = re.findall(
        r"\b(?:of|at|with|for)\s+(?:the\s+)?([A-Z][\w’'&.-]*(?:\s+[\w’'&.-]+)*)", title
    )
    for candidate in after:
        run = _capitalized_runs(candidate)[0] if _capitalized_runs(candidate) else ""
        if run and not all(word.lower() in TITLE_WORDS | CONNECTORS for word in run.split()):
            return run
    words = title.split()
    while words and (words[-1].lower() in TITLE_WORDS | CONNECTORS):
        words.pop()
    return " ".join(words) if words and words[0][0].isupper() else ""


def _headline_subject(headline):
    """The organization that leads a headline: 'X Urges ...', 'X: ...', "X's ..."."""
    statement = STATEMENT_HEADLINE.match(headline)
    if statement:
        person = parse_person(statement.group("who"))
        return _title_organization(person[1]) if person else ""
    headline = re.sub(
        r"^(?:Amid|As|After|Despite|With|In|On|Following)\b[^,]{0,60},\s*", "", headline
    )
    runs = _capitalized_runs(headline.split(":")[0], stop_at_on=True)
    return runs[0] if runs and headline.startswith(runs[0].split()[0]) else ""


_BOILERPLATE = re.compile(
    r"^(?:Founded in \d{4}, |Since \d{4}, |"
    r"For (?:nearly|more than|over) [\w-]+ (?:years|decades), )?"
    r"(?:the )?(?P<org>[A-Z][\w’'&.-]*(?:\s+(?:[A-Z][\w’'&.-]*|of|for|on|and|the|&))*)"
    r"(?:\s+\([A-Z]{2,8}\))?\s+"
    r"(?:is|was|has|represents|works|educates|advocates|fights|unites|promotes)\b"
)


def organization(headline, subheadline, body, people, place):
    """The issuing organization, as 'Full Name (ACRONYM)' when the text uses both.

    Candidates come from where releases name their issuer: the headline's
    subject, the first sentence, speakers' titles and the closing boilerplate
    ('X is a ...', 'About X', '© 2020 X'). The name with the most support wins;
    a short form ('Teamsters', 'ACLU', 'VFW') joins the longer name containing it.
    """
    candidates = []  # (name, weight)
    candidates.append((_headline_subject(headline), 2))
    first = sentences(body[0])[0] if body else ""
    first = re.sub(
        r"^(?:Today|Yesterday|On \w+)?,?\s*(?:(?:as|while|after|amid|despite|with)\b[^,]+,\s*)?",
        "",
        first,
        flags=re.I,
    )
    for run in _capitalized_runs(first):
        candidates.append((run, 1))
    for person in people:
        candidates.append((_title_organization(person.title), 1))
    for paragraph in body:
        for sentence in sentences(paragraph):
            match = _BOILERPLATE.match(sentence)
            if match:
                candidates.append((match.group("org"), 2))
        about = re.fullmatch(r"About (?:the )?(.+)", paragraph)
        if about and len(about.group(1).split()) <= 8:
            candidates.append((about.group(1), 3))
        copyright_line = re.search(r"(?:Copyright|©)\s*(?:©\s*)?\d{4}\s+(.+)", paragraph)
        if copyright_line:
            candidates.append((copyright_line.group(1).strip(" ."), 1))
    text = " ".join([headline, subheadline, *body])
    return _choose_organization(candidates, text, people, place)


def _acceptable(name, people, place):
    bare = name.lower()
    if not name or bare in _NOT_ORGANIZATIONS or bare == place.lower() or _GOVERNMENT.search(name):
        return False
    if any(name == person.name or name in person.name for person in people):
        return False
    return not re.match(
        r"(?:Sen|Rep|Gov|Dr|Mr|Ms|Mrs)\.\s|(?:Congressman|Congresswoman|Senator)\s", name
    )


def _choose_organization(candidates, text, people, place):
    names = []
    for name, weight in candidates:
        acronym = re.search(r"\(([A-Z]{2,8})\)", name or "")
        name = _strip_run(re.sub(r"\s*\([^)]*\)", "", name or ""))
        if acronym:
            names.append((acronym.group(1), weight))
        if _acceptable(name, people, place):
            names.append((name, weight))
    if not names:
        return ""
    groups = []  # [full names, acronyms, weight]
    for name, weight in names:
        is_acronym = bool(re.fullmatch(r"[A-Z]{2,8}", name))
        for group in groups:
            if any(_related(name, other) for other in group[0] + group[1]):
                (group[1] if is_acronym else group[0]).append(name)
                group[2] += weight
                break
        else:
            groups.append([[] if is_acronym else [name], [name] if is_acronym else [], weight])
    best = max(
        groups, key=lambda group: (group[2], sum(text.count(n) for n in group[0] + group[1]))
    )
    full = max(best[0], key=len) if best[0] else ""
    acronyms = [a for a in best[1] if full and _acronym_of(a, full)]
    if full and not acronyms:
        acronyms = [
            a
            for a in set(re.findall(r"\b[A-Z]{2,8}\b", text))
            if _acronym_of(a, full) and len(a) >= 3
        ]
    if full:
        return f"{full} ({acronyms[0]})" if acronyms else full
    return best[1][0]


def _related(name, other):
    """One name is part of the other ('ACLU' in 'ACLU of Northern California'),
    or an acronym of it."""
    if f" {name} " in f" {other} " or f" {other} " in f" {name} ":
        return True
    for short, long in ((name, other), (other, name)):
        is_acronym = re.fullmatch(r"[A-Z]{2,8}", short) and not re.fullmatch(r"[A-Z]{2,8}", long)
        if is_acronym and _acronym_of(short, long):
            return True
    return False
