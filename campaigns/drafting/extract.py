"""Release text -> ReleaseFacts: what an organizer needs to start a campaign.

Pure: no database, no network. The rules follow AP press-release conventions
(headline, deck, "CITY, State (date) -" dateline, '"...," said Name, title',
"###" and boilerplate) and live in campaigns.drafting.rules, one module per kind
of fact. Anything we cannot find comes back empty, never guessed.
"""

import json
import re
from dataclasses import dataclass, field

from campaigns.drafting import learned, ranker
from campaigns.drafting.rules.asks import (
    expand_short_ask,
    find_asks,
    headline_targets,
    speech_only,
)
from campaigns.drafting.rules.bills import federal_bills
from campaigns.drafting.rules.header import split_top
from campaigns.drafting.rules.organization import organization_with_confidence
from campaigns.drafting.rules.people import quotes, speakers
from campaigns.drafting.rules.targets import context_of, is_congress
from campaigns.drafting.rules.text import paragraphs, sentences
from campaigns.drafting.rules.topic import choose_topic

MAX_ASKS = 4
MAX_CANDIDATES = 3

# How sure a rule-based field is, by the rule that found it: about the share of the
# labelled releases each rule got right (bench/extraction.py prints them), kept a
# little under it since those rules were written with that corpus in view.
DATE_CONFIDENCE = {"dateline": 0.95, "header": 0.9, "opening": 0.8, "": 0.0}
HEADLINE_CONFIDENCE = {"dateline": 0.9, "prose": 0.8, "": 0.0}
# Targets read from another asking sentence than the chosen call to action, or only
# from the headline: right about half the time on the labelled releases.
OTHER_ASK_TARGETS = 0.5


@dataclass(frozen=True)
class Spokesperson:
    name: str
    title: str
    quotes: tuple = field(default=())


@dataclass(frozen=True)
class CandidateAsk:
    sentence: str
    confidence: float  # the ranker's share, 0 to 1


@dataclass(frozen=True)
class ReleaseFacts:
    headline: str = ""
    subheadline: str = ""
    date: str = ""  # ISO YYYY-MM-DD, or "" when the release prints no full date
    date_confidence: float = 0.0
    headline_confidence: float = 0.0
    targets_confidence: float = 0.0
    place: str = ""  # the dateline, e.g. "Washington, D.C."
    organization: str = ""
    organization_confidence: float = 0.0
    spokesperson: Spokesperson | None = None
    quotes: tuple = ()
    statements: tuple = ()  # the body's sentences, quote marks and "said X" removed, in order
    truncated: bool = False  # the text stops mid-sentence: the copy may be cut short
    call_to_action: str = ""
    call_to_action_confidence: float = 0.0
    ask_chosen: bool = False  # the organizer picked the call to action among the candidates
    candidate_asks: tuple = ()  # CandidateAsk, most likely first
    targets: tuple = ()
    targets_congress: bool = False
    asks: tuple = ()
    bills: tuple = ()
    topic: str = ""  # a CWC (Library of Congress) topic, or "" when no profile matched
    topic_confidence: float = 0.0

    def as_dict(self):
        spokesperson = self.spokesperson
        return {
            "headline": self.headline,
            "subheadline": self.subheadline,
            "date": self.date,
            "place": self.place,
            "organization": self.organization,
            "spokesperson": (
                {"name": spokesperson.name, "title": spokesperson.title} if spokesperson else None
            ),
            "call_to_action": self.call_to_action,
            "targets": list(self.targets),
            "targets_congress": self.targets_congress,
            "asks": list(self.asks),
            "bills": list(self.bills),
            "topic": self.topic,
            "organization_confidence": self.organization_confidence,
            "call_to_action_confidence": self.call_to_action_confidence,
            "topic_confidence": self.topic_confidence,
            "headline_confidence": self.headline_confidence,
            "date_confidence": self.date_confidence,
            "targets_confidence": self.targets_confidence,
            "candidate_asks": [
                {"sentence": c.sentence, "confidence": c.confidence} for c in self.candidate_asks
            ],
        }

    def to_json(self, **kwargs):
        return json.dumps(self.as_dict(), ensure_ascii=False, **kwargs)


def _read(text):
    top = split_top(paragraphs(text))
    return top, context_of(text, top.place)


def extract(text: str, *, url: str = "", models=None, ask: str = "") -> ReleaseFacts:
    """Read the facts of one press release from its text.

    url: the release's address, when known (its domain helps name the issuer).
    models: learned weights (campaigns.drafting.learned); the shipped ones by default.
    ask: one of the candidate asks' sentences, when the organizer chose another one.
    """
    models = models or learned.load()
    top, context = _read(text)
    people = speakers(top.headline, [*top.header, *top.body])
    org, org_confidence = organization_with_confidence(
        top.headline, top.subheadline, top.body, people, top.place, url, top.header
    )
    lines = ([top.subheadline] if top.subheadline else []) + top.body
    asks = find_asks(lines, context) or find_asks([top.headline], context)
    ranked = ranker.rank(
        ranker.candidates(top.headline, top.subheadline, top.body, context, org),
        models.ask_weights,
    )
    if ask:  # the organizer's choice goes first; the ranker's confidences stay as they are
        ranked.sort(key=lambda pair: pair[1].sentence != ask)
    chosen = ranked[0][1] if ranked else None
    if chosen and chosen.reading and chosen.reading.targets:
        main = chosen.reading
        asks = [main, *(ask for ask in asks if ask.sentence != main.sentence)]
    targets = _targets(asks, top.headline, context)
    call = expand_short_ask(chosen.sentence, lines) if chosen else ""
    call_confidence = round(ranked[0][0], 2) if ranked else 0.0
    if not targets:
        targets_confidence = 0.0
    elif chosen and chosen.reading and chosen.reading.targets:
        targets_confidence = call_confidence
    else:
        targets_confidence = OTHER_ASK_TARGETS
    # A sentence chosen with no one asked is only the closest to an ask: it says no more
    # of the topic than any other sentence of the body.
    asked = chosen is not None and chosen.reading is not None and bool(chosen.reading.targets)
    topic, topic_confidence = choose_topic(top.headline, call if asked else "", " ".join(lines))
    return ReleaseFacts(
        headline=top.headline,
        subheadline=top.subheadline,
        headline_confidence=HEADLINE_CONFIDENCE[top.headline_rule],
        date=top.date,
        date_confidence=DATE_CONFIDENCE[top.date_rule],
        place=top.place,
        organization=org,
        organization_confidence=org_confidence,
        spokesperson=_spokesperson(people, org),
        quotes=tuple(quotes(top.body)),
        statements=tuple(_statements(top.body)),
        truncated=_looks_truncated(text),
        call_to_action=call,
        ask_chosen=bool(ask and chosen and chosen.sentence == ask),
        call_to_action_confidence=call_confidence,
        candidate_asks=tuple(
            CandidateAsk(candidate.sentence, round(probability, 2))
            for probability, candidate in ranked[:MAX_CANDIDATES]
        ),
        targets=tuple(targets),
        targets_confidence=targets_confidence,
        targets_congress=any(is_congress(target) for target in targets),
        asks=tuple(_distinct_actions(asks)),
        bills=tuple(federal_bills(text)),
        topic=topic,
        topic_confidence=topic_confidence,
    )


def _statements(body):
    """The release's sentences up to its closing "###", as plain statements."""
    for paragraph in body:
        if paragraph.strip() in {"###", "# # #", "-30-"}:
            return
        for sentence in sentences(paragraph):
            yield re.sub(r'[“”"]', "", speech_only(sentence)).strip()


_FOOTER = re.compile(r"©|\bcopyright\b|all rights reserved|^\S+$", re.I)


def _looks_truncated(text):
    """The last line stops mid-sentence ("... cut ties to f"); a copyright footer or a bare
    address below it is skipped."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    prose = [line for line in lines if not _FOOTER.search(line)]
    last = prose[-1] if prose else ""
    return len(last.split()) >= 4 and not re.search(r'[.!?:”")\]#]\s*$', last)


def _spokesperson(people, org):
    """The first speaker from the issuing organization; else the first speaker
    (partners are often quoted first, as in a coalition release)."""
    if not people:
        return None
    names = [org.split(" (")[0]] + ([org.split("(")[1].rstrip(")")] if "(" in org else [])
    ours = [p for p in people if any(name and name in p.title for name in names)]
    person = (ours or people)[0]
    return Spokesperson(person.name, person.title, person.quotes)


def _targets(asks, headline, context):
    """The main ask's targets, plus those the headline asks ("... Urge Congress to ...")."""
    found = list(asks[0].targets) if asks else []
    for target in headline_targets(headline, context):
        if not any(_same_target(target, other) for other in found):
            found.append(target)
    return found


def _same_target(a, b):
    """Equal, or the start of the other ("Joint Select Committee", "EPA")."""
    short, long = sorted((a.lower(), b.lower()), key=len)
    return short == long or long.startswith(short + " ")


def _content_words(text):
    return {word for word in text.lower().split() if len(word) > 3}


def _distinct_actions(asks):
    """What is asked, one entry per distinct ask, strongest first."""
    actions = []
    for action in (action for ask in asks if ask.score >= 3 for action in ask.actions):
        words = _content_words(action)
        if all(len(words & _content_words(seen)) < 0.6 * max(len(words), 1) for seen in actions):
            actions.append(action)
    return actions[:MAX_ASKS]
