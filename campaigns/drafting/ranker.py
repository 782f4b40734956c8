# ruff: noqa: RUF001 -- typographic quotes and dashes are what releases use
"""Which sentence of a release is its call to action: a scored choice.

Every sentence of the headline, deck and body is a candidate. Each is described
by a few dozen general features (how it asks, whom it names, modal verbs,
where it sits, whether it is quoted or reported, what the rules of
rules/asks.py read in it) and scored by a weighted sum; the weights are
learned on the labelled releases (campaigns.drafting.learned) as a softmax over
each release's candidates, so a candidate's share of the softmax is how sure
we are that it is the ask. No feature names a sentence, organization or bill.
"""

import math
import re
from dataclasses import dataclass

from .rules.asks import ACTION_VERBS, Ask, read_sentence, speech_only
from .rules.header import MONTH_NAME, split_top
from .rules.organization import organization
from .rules.people import speakers
from .rules.targets import context_of, is_congress
from .rules.text import paragraphs, retells, sentences


def _words(*patterns):
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.I)


_ASK_VERBS = _words(
    r"urg(?:e|es|ed|ing)",
    r"call(?:s|ed|ing)?\s+(?:up)?on",
    r"call(?:s|ed|ing)?\s+for",
    r"ask(?:s|ed|ing)?",
    r"demand(?:s|ed|ing)?",
    r"press(?:es|ed|ing)?(?!\s+(?:conference|release|call|briefing|secretary|office))",
    r"encourag(?:e|es|ed|ing)",
    r"implor(?:e|es|ed|ing)",
    r"request(?:s|ed|ing)?",
    r"petition(?:s|ed|ing)?",
    r"appeal(?:s|ed|ing)?",
    r"insist(?:s|ed|ing)?",
)
_PRESENT_ASK = _words(
    r"urges?",
    r"calls?\s+(?:up)?on",
    r"asks?",
    r"demands?",
    r"presses",
    r"implores?",
    r"writing to ask",
    r"(?:is|are|am) (?:urging|calling (?:up)?on|asking|demanding|pressing)",
)
# An ask told as something done before ("we urged", "asked"): often an earlier ask,
# reported as background to the one the release makes now.
_PAST_ASK = _words(
    r"urged",
    r"asked",
    r"called\s+(?:up)?on",
    r"implored",
    r"pressed",
    r"encouraged",
    r"demanded",
    r"requested",
    r"petitioned",
)
# A time before the release's own day: the sentence tells history, not today's ask.
_PAST_TIME = _words(
    r"earlier",
    r"last (?:week|month|year|spring|summer|fall|winter)",
    r"yesterday",
    r"recently",
    r"previously",
    r"ago",
    r"of that year",
    r"has long",
    r"in \d{4}",
)
# "this week", "on March 4": the past only beside a verb that reports ("sent ... this
# week", "On March 4, the group sent ..."); else often the days ahead ("will vote this week").
_RECENT = _words(r"this week", r"on " + MONTH_NAME + r" \d{1,2}")
# Sentences of the "About us" boilerplate that closes a release.
_BOILERPLATE = re.compile(
    r"^About\b|\b(?:is|are) (?:a|an|the|one of)\b[^.]{0,80}\b(?:organization|coalition|"
    r"association|union|federation|non-?profit|network|alliance|group|institute)\b|"
    r"\b(?:Founded|Established) in \d{4}\b|\bfor more information\b|\bwww\.|https?://|"
    r"^(?:We|It|The \w+) (?:works?|strives?|exists?) to\b",
    re.I,
)
_MODALS = _words(
    r"must",
    r"should",
    r"needs? to",
    r"ha(?:s|ve) to",
    r"ought to",
    r"time (?:to|for)",
    r"imperative that",
    r"urgent(?:ly)? that",
)
# Modals that oblige no one: "should be able to" (a permission), "doesn't have to".
_NOT_OBLIGED = re.compile(
    r"\b(?:must|should|ha(?:s|ve) to|needs? to)\s+(?:\w+ly\s+)?be able\b|"
    r"\b(?:doesn[’']t|does not|don[’']t|do not|didn[’']t|did not)\s+(?:have|need) to\b",
    re.I,
)
# "encourage collaboration", "requesting information": the verb has a thing, not a
# person, for object and no "to" follows, so no one is asked.
_ABSTRACT_ASK = re.compile(
    r"\b(?:encourag(?:e|es|ing)|request(?:s|ing)?)\s+(?!(?:the|all|our|their|your|you|them|him|"
    r"her|us|every|each|both|lawmakers|legislators|members|leaders|senators|representatives|"
    r"companies|everyone|people|that)\b)[a-z]+\b(?!(?:\s+\w+){0,4}\s+to\b)",
)
# A letter or statement speaking to its addressee: "we ask you to", "urge you to".
_ADDRESSES_YOU = re.compile(r"\b(?:ask|urge|call on|request|implore|encourage)\w*\s+you\b", re.I)
_CONGRESS_WORDS = _words(
    r"Congress",
    r"Senate",
    r"House",
    r"lawmakers",
    r"legislators",
    r"senators?",
    r"representatives?",
    r"members",
    r"Speaker",
    r"[Cc]ommittee",
    r"leadership",
    r"congressional",
    r"Capitol Hill",
)
# Case matters here: "[A-Z]{2,5}" is an agency's initials, not any short word.
_OTHER_TARGET_WORDS = re.compile(
    r"\b(?:President|[Aa]dministration|White House|Governor|Gov\.|Council|Board|agency|"
    r"[A-Z]{2,5}|companies|corporations|General Assembly|Legislature|voters)\b"
)
_BILL = re.compile(r"\b(?:H\.?\s?R\.?|S\.|H\.?\s?Res\.?|S\.?\s?J\.?\s?Res\.?)\s?\d+|\bAct\b")
_REPORTED = _words(
    r"sent",
    r"signed",
    r"passed",
    r"voted",
    r"testified",
    r"yesterday",
    r"last (?:week|month|year)",
    r"earlier",
    r"previously",
    r"in \d{4}",
    r"has long",
)
_FIRST_PERSON = _words(r"we", r"our", r"us", r"I")
_POSITION = _words(r"opposes?", r"supports?", r"applauds?", r"praises?", r"welcomes?", r"condemns?")
_ATTRIBUTION = re.compile(r"[”\"]\s*(?:[A-Z][\w.’'-]*\s+){0,4}(?:said|says|added|stated)\b")


# A sentence announcing the text that follows: "released the following statement:",
# "The full text of the letter follows:", a letter's salutation. What follows is the
# release's own statement, letter or resolution, in its own words.
_INTRODUCES_TEXT = re.compile(
    r"\bthe following\b|\bfollows\s*:|\btext of the\b|^Dear\b[^.]{0,60}:\s*$", re.I
)


_DEMAND_THAT = re.compile(r"\b(?:demand|insist|ask|urg|request)\w*\s+that\b", re.I)
_MEMBERS_OF_CONGRESS = re.compile(r"\bmembers of (?:the U\.S\. )?Congress\b", re.I)


@dataclass(frozen=True)
class Candidate:
    sentence: str  # the sentence as written, attribution removed
    where: str  # "headline", "deck" or "body"
    index: int  # order in the release
    reading: Ask | None  # what the rules read in it, when it asks
    features: dict


def release_candidates(text, url=""):
    """Every sentence of a release's text as a candidate ask, in order."""
    top = split_top(paragraphs(text))
    people = speakers(top.headline, [*top.header, *top.body])
    issuer = organization(
        top.headline, top.subheadline, top.body, people, top.place, url, top.header
    )
    context = context_of(text, top.place)
    return candidates(top.headline, top.subheadline, top.body, context, issuer)


def candidates(headline, subheadline, body, context, issuer=""):
    """Every sentence of the release, in order, with its features."""
    lines = [("headline", headline)] if headline else []
    lines += [("deck", subheadline)] if subheadline else []
    lines += [("body", paragraph) for paragraph in body]
    raw = []
    before = ""
    for where, line in lines:
        for sentence in sentences(line):
            text = speech_only(sentence)
            reading = read_sentence(text, "" if where == "headline" else before, context)
            raw.append((where, sentence, text, reading))
            if where != "headline":
                before += " " + text
    total = max(len(raw) - 1, 1)
    found = [
        Candidate(
            text, where, index, reading, _features(where, sentence, text, reading, index / total)
        )
        for index, (where, sentence, text, reading) in enumerate(raw)
    ]
    for candidate in found:
        own = _issuer_subject(candidate.sentence, issuer)
        candidate.features["issuer_subject"] = float(own)
        # The release's own voice asking now ("The union calls on ...", "We are writing to
        # ask you ..."), not a letter someone signed or an ask made earlier.
        candidate.features["issuer_asks_now"] = float(
            own and bool(candidate.features["present_ask"]) and not candidate.features["past_time"]
        )
    _mark_firsts(found)
    _mark_lede(found)
    _mark_modal_without_ask(found)
    return found


def _introduces_text(candidate):
    return candidate.where == "body" and bool(_INTRODUCES_TEXT.search(candidate.sentence))


def _issuer_subject(sentence, issuer):
    """The release's own voice asks: 'We urge ...', 'The group ...', '<the issuer> calls ...'."""
    sentence = re.sub(r"^(?:Today|Now|Yesterday|Instead|So|And|But),?\s+", "", sentence)
    if re.match(r"(?:We|Our|The (?:group|organization|coalition|association|union))\b", sentence):
        return True
    names = [n for n in re.split(r"\s*[()]\s*", issuer) if len(n) > 1]
    return any(re.match(rf"(?:The\s+)?{re.escape(name)}\b", sentence) for name in names)


def _mark_firsts(found):
    """Releases put the main ask first: flag the first sentence of each kind of ask.
    A sentence told in the past ("In 2004 economists urged ...") is history, not the
    release's first ask; a statement or letter the release introduces starts afresh,
    its own words after the lede that reports them; a deck the body retells in full leaves
    the flags to that fuller sentence."""
    retold = {candidate.index for candidate in found if _retold_below(candidate, found)}
    for name, test in (
        ("first_targeted_ask", lambda f: f["rule_targets"]),
        ("first_congress_ask", lambda f: f["rule_targets_congress"]),
        ("first_ask_verb", lambda f: f["ask_verb"]),
        ("first_modal", lambda f: f["modal"]),
    ):
        seen = False
        for candidate in found:
            hit = (
                bool(test(candidate.features))
                and candidate.where != "headline"
                and candidate.index not in retold
                and not candidate.features["past_time"]
            )
            candidate.features[name] = float(hit and not seen)
            seen = (seen or hit) and not _introduces_text(candidate)


def _mark_lede(found):
    """The lede: the body's first sentence that tells today's news, not history ("On
    March 4 the group sent ...") nor the line that introduces a statement."""
    lede = next(
        (
            candidate
            for candidate in found
            if candidate.where == "body"
            and not candidate.features["past_time"]
            and not _introduces_text(candidate)
        ),
        None,
    )
    for candidate in found:
        candidate.features["lede"] = float(candidate is lede)


def _mark_modal_without_ask(found):
    """A release that asks no one by name (a reaction, a stated position): the sentence
    closest to an ask is one that says what must happen, so its modals weigh apart from
    the modals of releases that do ask someone, where they are mostly asides."""
    asks_someone = any(candidate.features["rule_targets"] for candidate in found)
    for candidate in found:
        candidate.features["modal_without_ask"] = float(
            not asks_someone and bool(candidate.features["modal"])
        )


def _retold_below(candidate, found):
    """A deck the body tells again in a fuller sentence: the summary of that sentence,
    which is the release's own first telling of the ask."""
    return candidate.where == "deck" and any(
        other.where == "body" and retells(other.sentence, candidate.sentence) for other in found
    )


def _past_time(text):
    return bool(_PAST_TIME.search(text)) or bool(
        _RECENT.search(text) and (_REPORTED.search(text) or _PAST_ASK.search(text))
    )


def _asks_now(text):
    """An ask made now ("urges", "calls on", "a letter urging", "today urged"): not a
    past form ("we urged"), nor a participle in a sentence told in the past ("sent a
    letter this week urging"), nor a verb with a thing for object ("encourage
    collaboration")."""
    text = _ABSTRACT_ASK.sub(" ", text)
    past = _past_time(text)
    today = not past and re.search(r"\btoday\b", text, re.I)
    return any(
        (today or not _PAST_ASK.fullmatch(verb)) and not (past and verb.lower().endswith("ing"))
        for verb in (match.group(0) for match in _ASK_VERBS.finditer(text))
    )


def _ends_speech(sentence):
    """The sentence closes a quotation: its closing mark ends speech opened at its start
    or in an earlier sentence, not a title quoted inside it ('... co-sponsor "The X Act."')."""
    sentence = sentence.strip()
    if not sentence.endswith(("”", '"')):
        return False
    opened_inside = "“" in sentence[1:] or sentence[1:-1].count('"') % 2 == 1
    return not opened_inside


def _features(where, sentence, text, reading, position):
    words = len(text.split())
    targets = reading.targets if reading else ()
    quoted = sentence.lstrip()[:1] in '“"' or bool(_ATTRIBUTION.search(sentence))
    return {
        "bias": 1.0,
        "rule_score": (reading.score / 4.0) if reading else 0.0,
        "rule_strong": float(bool(reading and reading.score >= 3.5)),
        "rule_targets": float(bool(targets)),
        "rule_targets_congress": float(any(is_congress(t) for t in targets)),
        "rule_actions": float(bool(reading and reading.actions)),
        # An ask made now: "urges", "urging", "calls on"; "urged" is past_ask's.
        "ask_verb": float(_asks_now(text)),
        "present_ask": float(bool(_PRESENT_ASK.search(text))),
        "past_ask": float(bool(_PAST_ASK.search(text))),
        "past_time": float(_past_time(text)),
        "boilerplate": float(bool(_BOILERPLATE.search(text))),
        "ends_quote": float(_ends_speech(sentence) or bool(_ATTRIBUTION.search(sentence))),
        "modal": float(bool(_MODALS.search(_NOT_OBLIGED.sub(" ", text)))),
        "congress_words": min(len(_CONGRESS_WORDS.findall(text)), 3) / 3.0,
        "other_targets": float(bool(_OTHER_TARGET_WORDS.search(text))),
        "action_verb": float(bool(ACTION_VERBS.search(text))),
        "to_action": float(bool(re.search(r"\bto\s+" + ACTION_VERBS.pattern, text, re.I))),
        "bill": float(bool(_BILL.search(text))),
        "reported": float(bool(_REPORTED.search(text))),
        "first_person": float(bool(_FIRST_PERSON.search(text))),
        "position_word": float(bool(_POSITION.search(text))),
        "quoted": float(quoted),
        "headline": float(where == "headline"),
        "deck": float(where == "deck"),
        "early": float(position < 0.25),
        "position": position,
        "late": float(position > 0.7),
        "short": float(words < 8),
        "long": float(words > 45),
        "length": min(words, 60) / 60.0,
        "question": float(text.rstrip('”"').endswith("?")),
        "today": float(bool(re.search(r"\btoday\b", text, re.I))),
        "colon_list": float(bool(re.search(r":\s*(?:1\)|\(1\)|•)", text))),
        "imperative_start": float(bool(ACTION_VERBS.match(text))),
        "demand_that": float(bool(_DEMAND_THAT.search(text))),
        "members_of_congress": float(bool(_MEMBERS_OF_CONGRESS.search(text))),
        "letter": float(bool(re.search(r"\bletter\b", text, re.I))),
        "addresses_you": float(bool(_ADDRESSES_YOU.search(text))),
    }


FEATURES = (
    *_features("body", "x", "x", None, 0.0),
    "issuer_subject",
    "issuer_asks_now",
    "first_targeted_ask",
    "first_congress_ask",
    "first_ask_verb",
    "first_modal",
    "lede",
    "modal_without_ask",
)


def rank(found, weights):
    """[(probability, candidate)], most likely first: a softmax over the weighted sums."""
    if not found:
        return []
    scores = [sum(weights.get(k, 0.0) * v for k, v in c.features.items()) for c in found]
    top = max(scores)
    exps = [math.exp(score - top) for score in scores]
    total = sum(exps)
    ranked = [(e / total, c) for e, c in zip(exps, found, strict=True)]
    return sorted(ranked, key=lambda pair: (-pair[0], pair[1].index))
