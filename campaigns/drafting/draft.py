"""ReleaseFacts -> a campaign draft the organizer edits before publishing.

The rule-based draft is the default and uses only what the release says: its
ask turned into the supporter's first person, its deck, its quotes. The letter
is a template with the merge fields of campaigns.letters; any brace that came
from the release is turned into a parenthesis so it cannot become a field.

An LLM may write the draft instead when settings name an OpenAI-compatible
endpoint (DRAFTING_LLM_URL, DRAFTING_LLM_KEY, DRAFTING_LLM_MODEL). Its answer
is checked like an organizer's edit; when it fails, the rule-based draft is
used and a note says why.
"""

import itertools
import json
import re
from dataclasses import dataclass, field, replace
from datetime import date

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from campaigns.drafting.rules.asks import ACTION_VERBS
from campaigns.drafting.rules.header import MONTH_NAME, WEEKDAY_NAME
from campaigns.drafting.rules.targets import is_congress
from campaigns.letters import MERGE_FIELDS, PERSONAL_PLACEHOLDER, unknown_fields

MAX_TITLE = 120
MAX_SUBJECT = 200
MIN_LETTER_WORDS = 120
MAX_LETTER_WORDS = 300
MAX_DRAFT_WORDS = 250  # the rule-based letter stays well inside the limit
MAX_SUMMARY = 600
MAX_FACTS = 3
GREETING = "Dear {legislator_salutation},"
SIGN_OFF = "Sincerely,\n{full_name}\n{city}, {state}"
LLM_TIMEOUT = (5, 60)
LLM_MAX_RELEASE_CHARS = 12_000
DRAFT_FIELDS = ("title", "summary", "call_to_action", "letter_subject", "letter_body")


@dataclass(frozen=True)
class Targets:
    chambers: frozenset = frozenset()  # {"senate", "house"} or part of it; empty: not Congress
    other: tuple = ()  # targets outside Congress the release names


@dataclass(frozen=True)
class CampaignDraft:
    title: str
    summary: str
    call_to_action: str
    letter_subject: str
    letter_body: str
    targets: Targets = field(default_factory=Targets)
    notes: tuple = ()
    organization_statement: str = ""  # who the organization is, in its own boilerplate


class DraftError(ValueError):
    """A draft (from the LLM) that breaks a rule a saved campaign must keep."""


# For releases too thin to name anything: the organizer must edit these anyway.
FALLBACK_TITLE = "Write to Congress"
FALLBACK_SUBJECT = "A letter from your constituent"


def draft_from_facts(facts, *, today=None) -> CampaignDraft:
    """The rule-based draft: grounded in the release, nothing invented."""
    targets = _targets(facts)
    ask = _ask(facts)
    today = today or date.today()
    stale = _stale(facts, today)
    letter = _letter(facts, ask, stale)
    return CampaignDraft(
        title=_title(facts, ask, targets),
        summary=_summary(facts, stale),
        call_to_action=_page_call(ask, targets, facts),
        letter_subject=_cut(
            f"Please {_short_ask(ask)}" if ask else _plain(facts.headline) or FALLBACK_SUBJECT,
            MAX_SUBJECT,
        ),
        letter_body=letter,
        targets=targets,
        notes=tuple(_notes(facts, targets, ask, today, letter)),
        organization_statement=_organization_statement(facts),
    )


def draft_campaign(facts, text) -> CampaignDraft:
    """The draft to show: the LLM's when settings name an endpoint, else the rules'."""
    endpoint = settings.DRAFTING_LLM_URL
    if not endpoint:
        return draft_from_facts(facts)
    return draft_with_llm(
        facts,
        text,
        endpoint=endpoint,
        api_key=settings.DRAFTING_LLM_KEY,
        model=settings.DRAFTING_LLM_MODEL,
    )


# ---- the rule-based draft ----------------------------------------------------------------


def _plain(text):
    """Release text made safe inside a template: no braces, one space between words."""
    return " ".join(text.replace("{", "(").replace("}", ")").split())


def _cut(text, limit):
    """At most limit characters, cut at a word."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _targets(facts):
    chambers = set()
    other = []
    for target in facts.targets:
        if not is_congress(target):
            other.append(target)
        elif target.startswith(("Senate", "Sen.")):
            chambers.add("senate")
        elif target.startswith(("House", "Rep.", "Speaker")):
            chambers.add("house")
        else:  # Congress, a joint or conference committee
            chambers.update({"senate", "house"})
    return Targets(frozenset(chambers), tuple(other))


def _display(target):
    """'President' -> 'the President', 'Riverton City Council' -> 'the Riverton City Council'."""
    body = r"(?:President|Senate|House|Council|Board of \w+|Committee|Subcommittee|Legislature|"
    body += r"General Assembly|General Court|Legislative Assembly|House of Representatives)$"
    return f"the {target}" if re.search(body, target) and target != "Congress" else target


def _who(targets):
    """How the supporter's own legislators are named on the page."""
    if targets.chambers == {"senate"}:
        return "your senators"
    if targets.chambers == {"house"}:
        return "your representative"
    return "your members of Congress"


def _ask(facts):
    """The main ask as a verb phrase the supporter can say: 'pass H.R. 2417'.

    When Congress only supports someone else's action ("We call on the
    administration, with the support of Congress, to ..."), the legislator is
    asked to support that action.
    """
    if not facts.asks:
        return ""
    ask = _plain(facts.asks[0]).rstrip(".")
    primary = facts.targets[0] if facts.targets else ""
    if primary and not is_congress(primary) and facts.targets_congress:
        who = "the administration" if primary == "President" else _display(primary)
        return f"support action by {who} to {ask}"
    if re.match(r"(?:Rep|Sen)\. ", primary):
        # The release asks one member ("asking him to ..."); the letter speaks to them.
        ask = re.sub(r"\b(?:his|her)\b", "your", ask)
        ask = re.sub(r"\b(?:him|her)\b", "you", ask)
    return _name_the_bill(_full_member_names(_join_predicates(ask), facts), facts)


def _join_predicates(ask):
    """ "cosponsor this bill, protect refugees": two things asked, joined by a comma
    in the release; the letter joins them with "and"."""
    first, comma, last = ask.rpartition(", ")
    if comma and "," not in first and last[:1].islower() and ACTION_VERBS.match(last):
        return f"{first} and {last}"
    return ask


# "Sen. Chris Coons", "Congresswoman Lena Reyes (D-Calif.)": a member's title and name.
_MEMBER = re.compile(
    r"\b(?P<title>Sen\.|Senator|Rep\.|Representative|Congressman|Congresswoman)\s+"
    r"(?P<name>(?:[A-Z][\w'\u2019-]*\.?\s+){0,2}[A-Z][\w'\u2019-]*[a-z])\b"
)


def _members(text):
    """Surname -> 'Senator Chris Coons', for the members text names with a title; a
    surname two members share is left out (which one is meant is not ours to say)."""
    seen = {}
    for match in _MEMBER.finditer(text):
        words = tuple(re.sub(r"['\u2019]s$", "", match.group("name")).split())  # "Coons's"
        title = "Senator" if match.group("title").startswith("Sen") else "Representative"
        seen.setdefault(words[-1], set()).add((title, words))
    members = {}
    for surname, named in seen.items():
        title, longest = max(named, key=lambda entry: len(entry[1]))
        # "Sen. Coons" and "Sen. Chris Coons" are one member; "Rep. Coons" is another.
        if all(t == title and longest[-len(words) :] == words for t, words in named):
            members[surname] = f"{title} {' '.join(longest)}"
    return members


def _full_member_names(ask, facts):
    """'work with Coons to ...' -> 'work with Senator Chris Coons to ...' when the release
    names that member with a title elsewhere: a staffer should not have to guess."""
    text = " ".join([facts.headline, facts.subheadline, facts.call_to_action, *facts.statements])
    for surname, full in _members(text).items():
        for match in re.finditer(rf"\b{re.escape(surname)}\b", ask):
            before = ask[: match.start()].split()
            if not before or not before[-1][:1].isupper():  # not "Chris Coons", "Sen. Coons"
                ask = ask[: match.start()] + full + ask[match.end() :]
                break
    return ask


_VAGUE_BILL = re.compile(
    r"\b(?:this|the|that)\s+(?:(?:critical|important|bipartisan|vital)\s+)?(?:legislation|bill)\b"
)
_NAMED_ACT = re.compile(r"\b((?:[A-Z][\w'\u2019-]*\s+(?:and\s+|of\s+|for\s+)?){1,8}Act)\b")


def _acts(text, body=""):
    """Names of Acts in text. A headline gives the longest tail of its run of capitals
    that the body spells ('SENATE FAILS TO PROCEED WITH PAYCHECK FAIRNESS ACT', 'Group
    Praises Introduction of Refugee Protection Act'); in capitals, nothing else."""
    shouting = text.isupper()
    found = []
    for name in _NAMED_ACT.findall(text.title() if shouting else text):
        name = re.sub(r"^(?:The|A|An)\s+", "", name)
        if body:
            words = name.split()
            tails = (" ".join(words[i:]) for i in range(len(words) - 1))
            spelled = (re.search(rf"\b{re.escape(tail)}", body, re.I) for tail in tails)
            name = next((match.group(0) for match in spelled if match), "" if shouting else name)
        if len(name.split()) >= 2:
            found.append(name)
    found = list(dict.fromkeys(found))
    # "the Energy Innovation Act" after "the Energy Innovation and Carbon Dividend Act"
    # is the same Act called short, not a second one.
    return [name for name in found if not any(_short_form(name, other) for other in found)]


def _short_form(short, long):
    """short is long with words left out: the same first word, the rest in order."""
    short, long = short.lower().split(), long.lower().split()
    if len(short) >= len(long) or short[0] != long[0]:
        return False
    rest = iter(long[1:])
    return all(word in rest for word in short[1:])


def _name_the_bill(ask, facts):
    """'pass this critical legislation' -> 'pass the Paycheck Fairness Act' when the
    release says which: the one Act its ask or headline names, else the only Act it
    names at all (with the bill number when it prints only one). Otherwise unchanged."""
    if not _VAGUE_BILL.search(ask) or _NAMED_ACT.search(ask):
        return ask
    body = " ".join([facts.subheadline, *facts.statements])
    for acts in (_acts(facts.call_to_action), _acts(facts.headline, body), _acts(body)):
        if len(acts) == 1:
            number = f" ({facts.bills[0]})" if len(facts.bills) == 1 else ""
            return _VAGUE_BILL.sub(f"the {acts[0]}{number}", ask, count=1)
        if acts:
            return ask  # two Acts named: which one is meant is the organizer's call
    return ask


def _short_ask(ask, max_words=20):
    """The ask's main clause for a subject line: up to a relative clause or a comma,
    else cut before a preposition so no name is cut in two."""
    words = ask.split()
    if len(words) <= max_words:
        return ask
    for mark in (" that ", " which ", ", ", " so that ", " to help "):
        head = ask.split(mark)[0]
        if 4 <= len(head.split()) <= max_words:
            return head
    head = " ".join(words[:max_words])
    cut = re.match(r"(.{20,}?)\s+(?:for|of|to|in|with|by|from|on|at)\s+[^ ]+(?:\s+[^ ]+)*$", head)
    return cut.group(1) if cut else head


# How a long ask goes on past its verb and object: a clause, a means, a manner or a time.
_ASK_TAIL = re.compile(
    r",(?=\s+[a-z])|;|\s(?:that|which|who|so that|in order to|to help|before|after|until|while|"
    r"without|instead of|rather than|once and for all|as soon as|as \w+ as possible|"
    r"immediately|now|this (?:year|month|week|session))\b"
)
MAX_TITLE_ASK_WORDS = 12


def _title_ask(ask):
    """The ask's verb and object, for a title: 'take up the fight for NFIP reform as
    swiftly as possible, ...' -> 'take up the fight for NFIP reform'; "" when the verb
    and object alone are still too long or too short to say anything."""
    if len(ask.split()) <= MAX_TITLE_ASK_WORDS:
        return ask
    # The first cut that leaves a verb and an object (three words at least).
    for match in _ASK_TAIL.finditer(ask):
        head = ask[: match.start()].rstrip(" ,;")
        if len(head.split()) >= 3:
            return head if len(head.split()) <= MAX_TITLE_ASK_WORDS else ""
    return ""


def _title(facts, ask, targets):
    """'Tell Congress to pass H.R. 2417' for an ask that is short or can be cut to its verb
    and object, else the headline."""
    ask = _title_ask(ask)
    if ask:
        if targets.chambers == {"senate", "house"}:
            who = "Congress"
        elif targets.chambers:
            who = _who(targets)
        else:
            who = _display(targets.other[0]) if targets.other else "your officials"
        return _cut(f"Tell {who} to {ask}", MAX_TITLE)
    if facts.headline:
        return _cut(_plain(facts.headline), MAX_TITLE)
    if facts.organization:
        return _cut(f"A campaign by {_plain(facts.organization)}", MAX_TITLE)
    return FALLBACK_TITLE


def _sentence(text):
    text = _plain(text)
    return text if not text or text[-1] in '.!?”"' else text + "."


def _same_sentence(a, b):
    """Two sentences that say the same thing: most of their words shared."""
    words_a, words_b = set(_plain(a).lower().split()), set(_plain(b).lower().split())
    short, long = sorted((len(words_a), len(words_b)))
    # A short deck inside a long ask is a different sentence, not a repeat.
    return short >= 0.6 * long > 0 and len(words_a & words_b) >= 0.8 * short


def _distinct(parts):
    """Sentences in order, each said once."""
    kept = []
    for part in parts:
        if part and not any(_same_sentence(part, seen) for seen in kept):
            kept.append(part)
    return kept


def _summary(facts, stale=False):
    """Two or three sentences of the release: deck or headline, the ask, a fact;
    no sentence twice, at most MAX_SUMMARY characters cut at a sentence."""
    parts = [_sentence(facts.subheadline or facts.headline)]
    if facts.call_to_action:
        call = _plain(facts.call_to_action)
        if re.match(r"(?:We|I|Our)\b", call):
            parts.append(f"{facts.organization or 'The organization'} says: “{call}”")
        else:
            parts.append(_sentence(call))
    parts.extend(_facts(facts, stale)[:1])
    return _cut_at_sentence(" ".join(_distinct(parts)), MAX_SUMMARY)


def _cut_at_sentence(text, limit):
    """At most limit characters, ending at a sentence (in the second half) or else a word."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    end = max(head.rfind(". "), head.rfind("! "), head.rfind("? "), head.rfind("” "))
    if end >= limit // 2:
        return head[: end + 1].rstrip()
    return _cut(text, limit)


# A sentence that reports what the organization says or does, not a fact.
_NOT_A_FACT = re.compile(
    r"\b(?:we|our|us|I|my)\b|[“”\"]|\b(?:said|says|urg\w*|call\w* (?:on|upon|for)|ask\w*|"
    r"demand\w*|statement|today|applaud\w*|prais\w*|contact|e-?mail|phone|www|http|@|"
    r"©|copyright|###|must|should|needs? to|imperative|time to)\b|^About\b|"
    r"^(?:Pass|Vote|Support|Stop|End|Tell|Call|Join|Act|Reject|Oppose|Protect|Fund|Sign|Please)\b",
    re.I,
)


# A sentence in the organization's frame: its campaign's doings ("Advocates had meetings
# with 529 offices", "The press conference focused on"), or what someone wrote or thinks
# ("the groups wrote", "according to the letter", "Manufacturers believe"). A constituent
# states the facts themselves.
_ORGANIZATION_FRAME = re.compile(
    r"\b(?:the (?:letter|groups?|coalition|organizations?|signatories|report|advocates|members)"
    r"|they|he|she)\s+(?:wrote|writes|noted|notes|stated|states|contends?|argued|argues|warned)\b"
    r"|\baccording to (?:the )?(?:letter|signatories|groups?|coalition|organizations?)\b"
    r"|\b(?:believes?|contends?|argues?)\b"
    r"|\b(?:press conference|news conference|lobby day|testimony|had meetings|meetings? "
    r"scheduled|sent a letter)\b|\bin (?:his|her|their|its|the) letter\b"
    r"|^[^,]{0,40}?\b(?:advocates|volunteers|activists|signatories)\s+(?:had|have|has|met|will|"
    r"gathered|rallied|delivered|visited|called|held|watched)\b",
    re.I,
)
# A sentence told from the release's own day: true then, perhaps not when the letter is
# sent. A day of the week, or a date with no year ("on Thursday, November 21st"), is a
# day near the release's own.
_DATED = re.compile(
    r"\b(?:today|tonight|yesterday|tomorrow|currently|recently|right now|so far|last night|"
    r"this (?:morning|afternoon|evening)|"
    r"(?:this|last|next|earlier this|later this) (?:year|month|week|session|fall|spring|"
    r"summer|winter)|in (?:this|today['\u2019]s) (?:\w+ )?economy|"
    + WEEKDAY_NAME
    + "|"
    + MONTH_NAME
    + r" \d{1,2}(?:st|nd|rd|th)?(?!,? \d{4})(?!\d))\b",
    re.I,
)


def _facts(facts, stale=False):
    """Up to three concrete sentences of the release (figures first), in its own order:
    facts, not the organization's voice, its ask or its boilerplate; from a stale release,
    none that speaks of its own time ("this year", "in this difficult economy")."""
    names = [n for n in re.split(r"\s*[()]\s*", facts.organization) if len(n) > 1]
    found = []
    for index, sentence in enumerate([facts.subheadline, *facts.statements]):
        words = len(sentence.split())
        if (
            8 <= words <= 40
            and not _NOT_A_FACT.search(sentence)
            and not _ORGANIZATION_FRAME.search(sentence)
            and not (stale and _DATED.search(sentence))
            and not any(name in sentence for name in names)
            and not _same_sentence(sentence, facts.call_to_action)
            and sentence[:1].isupper()
            and (index == 0 or sentence.rstrip()[-1:] in ".!")
        ):
            found.append((not re.search(r"\d", sentence), index, _sentence(sentence)))
    best = sorted(found)[:MAX_FACTS]
    return _distinct([sentence for _, _, sentence in sorted(best, key=lambda item: item[1])])


def _short_quote(facts, *, exclude="", max_words=45):
    """The first quoted sentence of some weight that is not the call to action."""
    quotes = facts.spokesperson.quotes if facts.spokesperson else facts.quotes
    for quote in quotes:
        first = re.split(r"(?<=[.!?])\s+(?=[A-Z])", _plain(quote))[0].rstrip(",")
        if 8 <= len(first.split()) <= max_words and first not in _plain(exclude):
            return first if first[-1] in ".!?" else first + "."
    return ""


# How boilerplate describes an organization ("is the nation's largest", "represents").
_DESCRIBES = (
    r"(?:is|was)\s+(?:a|an|the|one of)\b|(?:represents|unites|works|has been working|"
    r"was (?:founded|established|created))\b"
)


def _organization_statement(facts, max_chars=600):
    """The release's own description of its issuer ('X is the nation's largest ...'),
    for CWC's OrganizationStatement, kept apart from the supporter's words."""
    names = [n for n in re.split(r"\s*[()]\s*", facts.organization) if len(n) > 1]
    whole = facts.statements[:-1] if facts.truncated else facts.statements
    for sentence in whole:
        for name in names:
            pattern = rf"(?:The\s+)?{re.escape(name)}\b[^.]{{0,60}}?\b(?:{_DESCRIBES})"
            if re.match(pattern, sentence):
                return _cut_at_sentence(_sentence(sentence), max_chars)
    return ""


def _page_call(ask, targets, facts):
    if not ask:
        return _plain(facts.call_to_action)
    who = _who(targets) if targets.chambers else ", ".join(map(_display, targets.other)) or "them"
    return f"Tell {who} to {ask}."


_FILLERS = (
    "Decisions like this one reach families in our community directly, and I hope you will "
    "weigh them carefully.",
    "I would welcome an explanation of your position and of what you intend to do next.",
    "Many of your constituents share this concern, and we are counting on your leadership.",
    "Your vote on this question will shape the lives of people in our state for years to come.",
)


_CONNECTOR = r"(?:and|of|for|the|on|to|in|&)"
# A run of capitalized words, connectors inside it: "National Flood Insurance Program".
_CAPITALIZED_RUN = re.compile(rf"[A-Z][\w'\u2019-]*(?:\s+(?:{_CONNECTOR}\s+)*[A-Z][\w'\u2019-]*)*")


def _spelled_out(acronym, text):
    """What the release spells as acronym: the name it puts before '(NFIP)', else the one
    run of capitalized words whose initials are its letters; "" when none or two."""
    names = set()
    for run in _CAPITALIZED_RUN.findall(text):
        words = run.split()
        for start, end in itertools.combinations(range(len(words) + 1), 2):
            part = words[start:end]
            initials = "".join(word[0] for word in part if word[0].isupper())
            if initials == acronym and part[0][0].isupper() and len(part) > 1:
                names.add(" ".join(part))
    defined = {name for name in names if f"{name} ({acronym})" in text}
    if defined:
        names = defined
    elif len(acronym) < 3:
        return ""  # two letters match too many names that are not the acronym's
    return names.pop() if len(names) == 1 else ""


def _spell_out_acronyms(text, release):
    """'NFIP reform' -> 'National Flood Insurance Program (NFIP) reform' at the acronym's
    first use in text, when the release says what it stands for and text does not yet."""
    for acronym in dict.fromkeys(re.findall(r"\b[A-Z]{2,6}\b", text)):
        name = _spelled_out(acronym, release)
        first = re.search(rf"\b{acronym}\b", text)
        before = text[: first.start()]
        if not name or name in before or before.endswith("("):
            continue
        after = text[first.end() :]
        # "weaponized VAWA" -> "weaponized the Violence Against Women Act (VAWA)"; not
        # before a noun it modifies ("NFIP reform" -> "National ... Program (NFIP) reform").
        if (
            re.search(_NEEDS_THE, name)
            and not re.search(_DETERMINER, before, re.I)
            and not re.match(_MODIFIES, after)
        ):
            name = "the " + name
        text = f"{before}{name} ({acronym}){after}"
    return text


_NEEDS_THE = (
    r"\b(?:Act|Program|Agency|Administration|Association|Department|Service|Bureau|"
    r"Commission|Committee|Office|Coalition|Council|Community|Fund|Institute)$"
)
# The acronym is followed by a noun of its own ("NFIP reform"): any word but a
# function word that could follow a name used as a noun ("VAWA to enact", "EPA is").
_MODIFIES = (
    r"\s+(?!(?:is|was|has|have|had|will|would|can|could|must|to|in|of|and|or|from|for|on|"
    r"by|with|that|which|who|as|at|before|after|since|until|under|into|through|over|about|"
    r"against|during|when|if|but|so|because|now)\b)[a-z]"
)
_DETERMINER = r"(?:\b(?:the|a|an|this|that|its|their|our|his|her|your|my)|['\u2019]s)\s+$"


def _letter(facts, ask, stale=False):
    """A constituent's letter: who I am and the ask, once; why, in the release's facts;
    a marked place for the supporter's own sentence; thanks."""
    if ask:
        opening = "As your constituent in {city}, {state}, I am writing to ask you to " + _sentence(
            ask
        )
    else:
        about = _plain(facts.headline) or "an issue that matters in our community"
        opening = "As your constituent in {city}, {state}, I am writing to you about " + _sentence(
            about.rstrip(".!?")
        )
    reasons = _facts(facts, stale)
    why = ["Here is why I am asking.", *reasons] if reasons else []
    closing = (
        "Thank you for taking the time to read my letter and for considering my request. "
        "I would be grateful to hear what you decide."
    )
    release = _plain(" ".join([facts.headline, facts.subheadline, *facts.statements]))
    opening, *why = _spell_out_acronyms("\n".join([opening, *why]), release).split("\n")
    paragraphs = [GREETING, opening, " ".join(why), PERSONAL_PLACEHOLDER, closing, SIGN_OFF]
    while _words(paragraphs) > MAX_DRAFT_WORDS and len(why) > 2:
        why.pop()
        paragraphs[2] = " ".join(why)
    for filler in _FILLERS:
        if _words(paragraphs) >= MIN_LETTER_WORDS:
            break
        paragraphs.insert(-3, filler)
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def _words(paragraphs):
    return sum(len(paragraph.split()) for paragraph in paragraphs)


# Below this share the ranker's first choice was right about one time in three under
# cross-validation, above it three times in four (docs/extraction.md): worth a warning.
LOW_CONFIDENCE = 0.35
STALE_AFTER_DAYS = 365


def _bill_named(bill, text):
    """'H.R. 2417' in 'H.R.2417' or 'HR 2417': the number after the same letters."""
    letters, number = re.match(r"(.*?)\s*(\d+)$", bill).groups()
    prefix = r"\.?\s*".join(re.escape(c) for c in letters.replace(".", "").replace(" ", ""))
    return bool(re.search(rf"\b{prefix}\.?\s*{number}\b", text, re.I))


def _stale(facts, today):
    """The release is more than a year old: what it says of 'this year' may no longer hold."""
    return bool(facts.date) and (today - date.fromisoformat(facts.date)).days > STALE_AFTER_DAYS


def _notes(facts, targets, ask, today, letter=""):
    notes = []
    if not facts.call_to_action:
        notes.append("We found no clear ask in this release: write the call to action yourself.")
    elif (
        facts.call_to_action_confidence < LOW_CONFIDENCE
        and len(facts.candidate_asks) > 1
        and not facts.ask_chosen
    ):
        notes.append(
            f"We are not sure which sentence is the ask ({facts.call_to_action_confidence:.0%} "
            "sure): check it, or choose another of the candidate asks."
        )
    if not facts.targets_congress:
        addressed = ", ".join(map(_display, facts.targets))
        notes.append(
            "We are not sure this release asks Congress to act"
            + (f": it asks {addressed}. Choose the targets yourself." if addressed else ".")
        )
    elif targets.other:
        names = ", ".join(map(_display, targets.other))
        notes.append(
            f"The release also asks {names}; the letter asks members of Congress to support that."
        )
    members = [target for target in facts.targets if re.match(r"(?:Rep|Sen)\. ", target)]
    if members:
        notes.append(
            f"The release names {', '.join(members)}: consider sending letters to that office only."
        )
    if facts.bills and ask and not any(_bill_named(bill, ask) for bill in facts.bills):
        notes.append(
            f"The ask names no bill, but the release mentions {', '.join(facts.bills)}: "
            "name the bill in the letter if it is the one asked for."
        )
    if facts.truncated:
        notes.append("The release text seems cut short: check the facts against the full release.")
    if _stale(facts, today):
        released = date.fromisoformat(facts.date)
        notes.append(
            f"This release is dated {released:%B %-d, %Y}, more than a year before today "
            f"({today:%B %-d, %Y}): check that the ask still stands."
        )
    notes.extend(_dated_fact_notes(facts, today, letter))
    if not ask and facts.call_to_action:
        notes.append("Check the letter's first paragraph: we could not restate the ask.")
    if not facts.topic:
        notes.append("We could not tell the release's topic: choose the one offices file it under.")
    return notes


def _dated_fact_notes(facts, today, letter):
    """A stale release's sentence about its own time is left out of the letter: say which.
    An undated release's stays in, flagged: we cannot tell whether it still holds."""
    dated = [sentence for sentence in _facts(facts) if _DATED.search(sentence)]
    if _stale(facts, today):
        left_out = [sentence for sentence in dated if sentence not in letter]
        if left_out:
            yield _(
                "The letter leaves out “%(sentence)s”: the release is more than a year old and "
                "this speaks of its own time. Add it back only if it still holds."
            ) % {"sentence": _cut(left_out[0], 160)}
    elif not facts.date:
        kept = [sentence for sentence in dated if sentence in letter]
        if kept:
            yield _(
                "The letter says “%(sentence)s”, which speaks of the release's own time, and the "
                "release has no date: check that it still holds."
            ) % {"sentence": _cut(kept[0], 160)}


def repeated_sentence(text):
    """The first sentence that text says twice (most words shared), or ""."""
    said = [part for part in re.split(r"\n+|(?<=[.!?”])\s+", text.strip()) if part.strip()]
    for index, sentence in enumerate(said):
        if len(sentence.split()) >= 5 and any(
            _same_sentence(sentence, later) for later in said[index + 1 :]
        ):
            return sentence
    return ""


def repeat_warnings(*, summary, letter):
    """A warning for the summary or the letter that says a sentence twice. Checked on
    what the campaign says now, so an organizer's edit can add or clear one."""
    repeated = repeated_sentence(summary)
    if repeated:
        yield _("The summary says this twice: “%(sentence)s” Keep it once.") % {
            "sentence": _cut(repeated, 120)
        }
    repeated = repeated_sentence(letter)
    if repeated:
        yield _("The letter says this twice: “%(sentence)s” Keep it once.") % {
            "sentence": _cut(repeated, 120)
        }


# ---- the optional LLM draft --------------------------------------------------------------

_SYSTEM_PROMPT = """You turn an advocacy organization's press release into a campaign draft.
Answer with one JSON object and nothing else, with these string keys:
title (at most 120 characters), summary (2 or 3 sentences), call_to_action (one sentence
for the campaign page), letter_subject (at most 200 characters), letter_body.
The letter is written by a supporter to their own legislator, in the first person. It
starts with "Dear {legislator_salutation}," and ends with "Sincerely," then {full_name}
and "{city}, {state}" on their own lines. It is 120 to 300 words, courteous, in the
supporter's own words (no quotations of the organization), with the ask and any bill in the
first sentence and, on a line of its own before the thanks, exactly: %s
Use only facts from the release. Braces are allowed only around these merge fields: %s."""


def draft_with_llm(facts, text, *, endpoint, api_key, model) -> CampaignDraft:
    """Ask an OpenAI-compatible chat completions endpoint for the draft.

    endpoint is the full URL of /v1/chat/completions. Anything wrong with the
    answer (network, status, JSON, a rule) gives the rule-based draft with a note.
    """
    fallback = draft_from_facts(facts)
    try:
        fields = _validated(_ask_llm(facts, text, endpoint=endpoint, api_key=api_key, model=model))
    except DraftError as error:
        note = f"The AI draft could not be used ({error}); this is the rule-based draft."
        return replace(fallback, notes=(*fallback.notes, note))
    return replace(fallback, **fields)


def _ask_llm(facts, text, *, endpoint, api_key, model):
    fields = ", ".join(f"{{{name}}}" for name in MERGE_FIELDS)
    payload = {
        "model": model,
        "temperature": 0.2,
        "response_format": {"type": "json_object"},
        "messages": [
            {"role": "system", "content": _SYSTEM_PROMPT % (PERSONAL_PLACEHOLDER, fields)},
            {
                "role": "user",
                "content": "Facts we extracted:\n"
                + facts.to_json()
                + "\n\nThe release:\n"
                + text[:LLM_MAX_RELEASE_CHARS],
            },
        ],
    }
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    try:
        response = requests.post(endpoint, json=payload, headers=headers, timeout=LLM_TIMEOUT)
    except requests.Timeout as error:
        raise DraftError("the drafting service took too long") from error
    except requests.RequestException as error:
        raise DraftError("the drafting service could not be reached") from error
    if response.status_code != 200:
        raise DraftError(f"the drafting service answered {response.status_code}")
    try:
        content = response.json()["choices"][0]["message"]["content"]
        return json.loads(_strip_code_fence(content))
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise DraftError("the drafting service's answer was not the JSON we asked for") from error


def _strip_code_fence(content):
    match = re.fullmatch(r"\s*```(?:json)?\s*(.*?)\s*```\s*", content, re.S)
    return match.group(1) if match else content


def _validated(answer):
    """The draft fields of an LLM answer, or DraftError naming the first broken rule."""
    if not isinstance(answer, dict):
        raise DraftError("the answer was not a JSON object")
    fields = {}
    for name in DRAFT_FIELDS:
        value = answer.get(name)
        if not isinstance(value, str) or not value.strip():
            raise DraftError(f"it has no {name}")
        fields[name] = value.strip()
    body = fields["letter_body"]
    if len(fields["title"]) > MAX_TITLE or len(fields["letter_subject"]) > MAX_SUBJECT:
        raise DraftError("its title or subject is too long")
    for name in DRAFT_FIELDS:
        unknown = unknown_fields(fields[name])
        if unknown:
            raise DraftError(f"it uses unknown merge fields {', '.join(unknown)}")
        if name != "letter_body" and "{" in fields[name]:
            raise DraftError(f"its {name} has braces")
    if not _braces_ok(body):
        raise DraftError("its letter has stray braces")
    if not body.startswith(GREETING) or "{full_name}" not in body:
        raise DraftError("its letter lacks the greeting or the signature")
    if not MIN_LETTER_WORDS <= len(body.split()) <= MAX_LETTER_WORDS:
        raise DraftError(f"its letter has {len(body.split())} words")
    return fields


def _braces_ok(text):
    """Every brace belongs to a {field}: nothing else str.format would trip on."""
    rest = re.sub(r"\{[A-Za-z_]\w*\}", "", text)
    return "{" not in rest and "}" not in rest
