# ruff: noqa: RUF001 -- typographic quotes and dashes are what releases use
"""The organization that issues a release.

Releases name their issuer in set places: the headline's subject ("X Urges
..."), the first sentence, speakers' titles ("director of X") and the closing
boilerplate ("X is a ...", "About X", "(c) 2020 X"). We collect candidates from
those places and let the best-supported name win.
"""

import re

from .header import HEADLINE_VERBS, split_dateline
from .people import CONNECTORS, STATEMENT_HEADLINE, TITLE_WORDS, parse_person
from .targets import STATES
from .text import sentences

_GOVERNMENT = re.compile(
    r"\b(?:Congress|Senate|House|Subcommittee|Select Committee|Rules Committee|Administration|"
    r"Department|Agency|Supervisors|City Council|Legislature|General Assembly|Governor|"
    r"President|Secretary|Court|Government|Bureau of)(?!\w)"
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
    run = re.sub(r"^(?:Statement|Comments|Testimony)\s+(?:of|by|from)\s+", "", run)
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


_ORG_WORDS = re.compile(
    r"\b(?:Association|Coalition|Council|Union|Federation|Center|Centre|Institute|League|"
    r"Conference|Committee|Foundation|Alliance|Network|Fund|Society|Lobby|Project|Campaign|"
    r"Caucus|Chamber|Bureau|Service|Church|Partnership|Organi[sz]ation|Trust|Initiative|Action|"
    r"Voters|Club|Corps|Guild|Brotherhood|Workers|Parenthood|Advocates|Americans|Friends|"
    r"Families|Citizens|Teamsters|Group|Agenda|Forum|Collaborative|Consortium|Sisters)\b"
)
# The issuer as the subject of what releases say it does.
_ISSUER_VERB = re.compile(
    r"^(?:today|yesterday|also|on\s+\w+day|said|says|released|issued|"
    r"announced|applauds?|applauded|praised?|praises|urged?|urges|called|calls|joined|joins|"
    r"welcomed?|welcomes|condemned|condemns|sent|opposes|opposed|supports|supported|"
    r"commends|commended|warns|warned|launched|hosted|led|leads|released)\b",
    re.I,
)
# ", an alliance of 140 faith-based, humanitarian and rights groups, today praised":
# the aside may hold commas; it ends at the comma before the issuer's verb.
_APPOSITIVE = re.compile(
    r"^,\s+(?:an?|the|which|who)\s.{0,200}?,\s*(?=" + _ISSUER_VERB.pattern[1:] + ")", re.I
)
_TITLE_AND_NAME = re.compile(
    r"\s+(?:National\s+|Executive\s+|Vice\s+|Board\s+)?(?:President|Chairman|Chairwoman|Chair|"
    r"CEO|Director|Founder|Spokes\w+|Secretary|Officer)\b.*$"
)
_MONTHS_AND_DAYS = re.compile(
    r"^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?$"
)
_DEFINED_ACRONYM = re.compile(
    r"(?P<name>(?:The\s+)?[A-Z][\w’'&.-]*(?:\s+(?:[A-Z][\w’'&.-]*|of|for|on|and|the|&|in)){0,9})"
    r"\s+\((?P<acronym>[A-Z][A-Za-z]{1,7})\)"
)


# A capitalized word; a period only inside an initialism ("U.S."), never one ending a sentence.
_WORD = r"[A-Z](?:[\w&’'-]|\.(?=\w)|(?<=\b[A-Z])\.)*"
_ORG_NAME = rf"(?P<org>{_WORD}(?:\s+(?:of|for|the|and|on|in|&|{_WORD})){{0,8}}?)"
_LEAD_TITLE = (
    r"(?:National\s+|Executive\s+|Vice\s+|Board\s+)?(?:President|Chairman|Chairwoman|Chair|CEO|"
    r"Director|Founder|Secretary)(?:\s+and\s+CEO)?"
)
# "American Farm Bureau Federation President Zippy Duvall"
_ORG_BEFORE_TITLE = re.compile(
    _ORG_NAME + r"\s+" + _LEAD_TITLE + r"\s+[A-Z][a-z’'-]+(?:\s+[A-Z]\.)?\s+[A-Z][a-z’'-]+"
)
# "Suzanne Clark, President and CEO of the U.S. Chamber of Commerce"
_ORG_AFTER_TITLE = re.compile(
    r"\b" + _LEAD_TITLE + r"\s+(?:of|at)\s+(?:the\s+)?" + _ORG_NAME.replace("{0,8}?", "{0,8}")
)


def organization(headline, subheadline, body, people, place, url="", header=()):
    """The issuing organization, as 'Full Name (ACRONYM)' when the text uses both, or "".

    Candidates come from where releases name their issuer: the closing
    boilerplate ('About X', 'X is a ...', '© 2020 X'), the subject of '... today
    said/urged', speakers' titles, names defined with an acronym, the headline's
    subject and the source address's domain. Each must look like an organization
    (not a person, month, place, government body or common word); the name with
    the most support wins. Nothing plausible: "" rather than a guess.
    """
    return organization_with_confidence(headline, subheadline, body, people, place, url, header)[0]


def organization_with_confidence(headline, subheadline, body, people, place, url="", header=()):
    """(organization, confidence 0 to 1): see organization()."""
    headline, subheadline = _unmark(headline), _unmark(subheadline)
    body = [_unmark(paragraph) for paragraph in body]
    candidates = []  # (name, weight)
    candidates.append((_headline_subject(headline), 1))
    for index, paragraph in enumerate(body):
        for position, sentence in enumerate(sentences(paragraph)):
            dateline = split_dateline(sentence)
            sentence = dateline[1] if dateline else sentence
            sentence = re.sub(
                r"^(?:Today|Yesterday|On \w+)?,?\s*"
                r"(?:(?:as|while|after|amid|despite|with|when)\b[^,]+,\s*)?",
                "",
                sentence,
                flags=re.I,
            )
            runs = _capitalized_runs(sentence)
            subject = runs[0] if runs and sentence.startswith(runs[0].split()[0]) else ""
            after = re.sub(r"^\s*\([^)]*\)", "", sentence[len(subject) :]) if subject else ""
            # "X, an alliance of 140 groups, today praised ..."
            appositive = _APPOSITIVE.match(after)
            after = after[appositive.end() :] if appositive else after.lstrip(" ,")
            boilerplate = index >= len(body) - 2 and re.match(r"[a-z]+s\b", after)
            if subject and (_ISSUER_VERB.match(after) or boilerplate):
                candidates.append((subject, 2 if index == 0 and position == 0 else 1))
            match = _BOILERPLATE.match(sentence)
            if match:
                candidates.append((match.group("org"), 2))
        about = re.fullmatch(r"About (?:the )?(.+?):?", paragraph)
        if about and len(about.group(1).split()) <= 8:
            candidates.append((about.group(1), 3))
        copyright_line = re.search(r"(?:Copyright|©)\s*(?:©\s*)?\d{4}\s+(.+)", paragraph)
        if copyright_line:
            candidates.append((copyright_line.group(1).strip(" ."), 1))
    for person in people:
        candidates.append((_title_organization(person.title), 1))
        signature = re.fullmatch(r"[–—-]+\s*([A-Z].{2,80})", paragraph)
        if signature:
            candidates.append((signature.group(1), 2))
    text = " ".join([headline, subheadline, *body])
    # Lines above the release ("X, President of Y, issued the following statement:")
    # name people with their organization too.
    titled = " ".join([*map(_unmark, header), text])
    first = sentences(body[0])[0] if body else ""
    candidates.extend((run, 0.5) for run in _capitalized_runs(first))
    for pattern in (_ORG_BEFORE_TITLE, _ORG_AFTER_TITLE):
        candidates.extend((match.group("org"), 1) for match in pattern.finditer(titled))
    for match in _DEFINED_ACRONYM.finditer(text):
        name = re.sub(r"^(?:The|Today|Yesterday)\s+", "", match.group("name"))
        if _acronym_of(match.group("acronym").upper(), name):
            candidates.append((f"{name} ({match.group('acronym')})", 1))
    return _choose_organization(candidates, text, people, place, _domain(url))


def _unmark(text):
    """Without trademark signs: 'National Association of Realtors® President'."""
    return re.sub(r"[®™]", "", text)


def _domain(url):
    """'https://www.nahb.org/news/...' -> 'nahb'; '' when there is none."""
    host = re.match(r"(?:https?://)?(?:www\.)?([^/:?#]+)", url or "")
    return host.group(1).rsplit(".", 1)[0].split(".")[-1].lower() if host and url else ""


def _acceptable(name, people, place, text):
    bare = name.lower()
    words = name.split()
    if not name or bare in _NOT_ORGANIZATIONS or bare == place.lower() or _GOVERNMENT.search(name):
        return False
    if any(name == person.name or name in person.name for person in people):
        return False
    if len(words) > 10 or (len(words) > 3 and name.isupper()):
        return False  # a sentence or a headline in capitals
    if len(words) == 1 and _MONTHS_AND_DAYS.match(name):
        return False
    if re.fullmatch(rf"(?:{STATES})", name):
        return False
    # A capitalized common word ("Companies", "Flooding") is written in lower case elsewhere.
    common = re.search(rf"\b{re.escape(bare)}\b", text) or bare.rstrip("s") in _COMMON_STARTS
    if len(words) == 1 and common and not re.fullmatch(r"[A-Z0-9]{2,8}|.*[a-z][A-Z].*", name):
        return False
    return not re.match(
        r"(?:Sen|Rep|Gov|Dr|Mr|Ms|Mrs)\.\s|(?:Congressman|Congresswoman|Senator|More|Some)\s",
        name,
    )


_COMMON_STARTS = {"it", "they", "this", "that", "when", "but", "as", "in", "there", "these"}


def _shape(name, text, domain):
    """How much a name looks like an organization's, beyond being named."""
    squashed = re.sub(r"[^a-z0-9]", "", name.lower())
    bonus = 0.0
    if _ORG_WORDS.search(name):
        bonus += 2
    if re.fullmatch(r"[A-Z]{2,8}", name) and len(re.findall(rf"\b{name}\b", text)) >= 2:
        bonus += 1
    initials = _initials(name).lower()
    if (
        domain
        and len(squashed) >= 3
        and (squashed.startswith(domain) or domain.startswith((squashed, initials or "-")))
    ):
        bonus += 5  # the release's own site: an aggregator's domain names no candidate
    return bonus


def _choose_organization(candidates, text, people, place, domain=""):
    names = []
    for name, weight in candidates:
        acronym = re.search(r"\(([A-Z][A-Za-z]{1,7})\)", name or "")
        name = _strip_run(re.sub(r"\s*\([^)]*\)", "", name or ""))
        name = _TITLE_AND_NAME.sub("", name).strip()
        words = name.split()
        while words and words[-1].lower() in TITLE_WORDS:
            words.pop()  # "EPIC Deputy"
        if len(words) >= 4 and re.fullmatch(r"[A-Z]{2,8}", words[-1]):
            words = words[-1:]  # "... Stand Up for Housing NAHB" before "Chairman Name"
        name = " ".join(words)
        if acronym and name and not _acceptable(name, people, place, text):
            continue  # "Food and Drug Administration (FDA)": a government body, whole
        if acronym and _acceptable(acronym.group(1), people, place, text):
            names.append((acronym.group(1), weight))
        if _acceptable(name, people, place, text):
            names.append((name, weight))
    groups = []  # [full names, acronyms, weight]
    for name, weight in names:
        is_acronym = bool(re.fullmatch(r"[A-Z][A-Za-z]{1,7}", name)) and not name.istitle()
        for group in groups:
            if any(_related(name, other) for other in group[0] + group[1]):
                (group[1] if is_acronym else group[0]).append(name)
                group[2] += weight
                break
        else:
            groups.append([[] if is_acronym else [name], [name] if is_acronym else [], weight])
    for group in groups:
        group[2] += max(_shape(n, text, domain) for n in group[0] + group[1])
    if not groups:
        return (f"{domain}.org", 0.3) if domain and domain.isdigit() else ("", 0.0)
    groups.sort(
        key=lambda group: (group[2], sum(text.count(n) for n in group[0] + group[1])),
        reverse=True,
    )
    best = groups[0]
    runner_up = groups[1][2] if len(groups) > 1 else 0.0
    confidence = round(best[2] / (best[2] + runner_up + 1.0), 2)
    if best[2] < 2:
        return "", 0.0  # one weak mention: not enough to name the issuer
    # The name written most often (a headline run can hold the short name and more words).
    support = {}
    for name, weight in names:
        support[name] = support.get(name, 0) + weight
    # Of the group's names, the best-supported of several words ("The Center" is short
    # for the name its boilerplate spells out; a headline run carries more words).
    longer = [n for n in best[0] if len(n.split()) > 1 and not _acronym_run(n, best[1], text)]
    longer = longer or [n for n in best[0] if not _acronym_run(n, best[1], text)]
    full = max(longer, key=lambda n: (support[n], len(n))) if longer else ""
    spelled_out = [n for n in longer if full in n and support[n] >= support[full] / 2]
    full = max(spelled_out, key=len) if spelled_out else full  # the name a short form stands for
    acronyms = [a for a in best[1] if full and _acronym_of(a.upper(), full)]
    if full and not acronyms:
        acronyms = [
            a
            for a in sorted(set(re.findall(r"\b[A-Z]{2,8}\b", text)))
            if _acronym_of(a, full) and len(a) >= 3
        ]
    if full:
        return (f"{full} ({acronyms[0]})" if acronyms else full), confidence
    return best[1][0], confidence


def _acronym_run(name, acronyms, text):
    """'AARP Members Descend', 'Capitol Hill NAHB': the acronym with words around it,
    written once (a headline or a phrase before a title), not a name of its own."""
    words = name.split()
    if len(words) < 2:
        return False
    leads = words[0] in acronyms and words[1] not in CONNECTORS  # not "ACLU of Northern ..."
    return text.count(name) <= 1 and (leads or words[-1] in acronyms)


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
