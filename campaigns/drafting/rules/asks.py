# ruff: noqa: RUF001 -- typographic quotes and dashes are what releases use
"""The call to action: which sentence asks whom to do what.

Releases word the ask in a few set ways: "X calls on / urges / asks Y to ...",
"... urging Y to ...", "demanding that Y pass ...", "Y must ...", or a bare
imperative ("Pass the bill."). We score every sentence by the strongest form it
uses and whether its object is a government target, and take the best one,
the earliest on a tie (releases put the main ask first).
"""

import re
from dataclasses import dataclass

from .targets import canonical, resolve
from .text import sentences, unquote

# The verbs of what an ask wants done ("pass", "co-sponsor", "protect"), as words.
ACTION_VERBS = re.compile(
    r"\b(?:pass|vote|support|co-?sponsor|reject|oppose|fund|enact|reauthorize|repeal|extend|"
    r"protect|stop|block|approve|keep|end|restore|act|take|finali[sz]e|sign)\b",
    re.I,
)

_TO_VERBS = (
    r"call(?:s|ed|ing)?\s+(?:up)?on|urg(?:e|es|ed|ing)|ask(?:s|ed|ing)?|press(?:es|ed|ing)?|"
    r"encourag(?:e|es|ed|ing)|implor(?:e|es|ed|ing)|challeng(?:e|es|ed|ing)|"
    r"appeal(?:s|ed|ing)?\s+to|petition(?:s|ed|ing)?|tell(?:s|ing)?|told|want|need(?:s)?|"
    r"call(?:s|ed|ing)?\s+for"
)
_ASK_TO = re.compile(
    rf"\b(?P<verb>{_TO_VERBS})\s+(?P<object>(?:(?!\bto\b)(?:[^.;:!?]|(?<=[A-Z])\.|\.(?=\S))){{1,170}}?)\s+to"
    # "urges Congress to: 1) Raise ..., 2) ...": a numbered list of actions
    r"(?::\s*(?:\(?1[.)]\s*)?|\s+)"
    r"(?P<action>(?!the\b|a\b|an\b|this\b|its\b)[a-z][\w’'-]*\b[^;]*)",
    re.I,
)
_ASK_THAT = re.compile(
    r"\b(?P<verb>demand(?:s|ed|ing)?|insist(?:s|ed|ing)?|ask(?:s|ed|ing)?|urg(?:e|es|ed|ing)|"
    r"recommend(?:s|ed|ing)?|request(?:s|ed|ing)?)\s+that\s+(?P<object>(?:the\s+)?[\w.’'-]+"
    r"(?:\s+(?:of\s+)?[A-Z][\w.’'-]*)*)\s+(?P<action>(?:immediately\s+|quickly\s+|swiftly\s+|"
    r"finally\s+|not\s+)?[a-z][\w’'-]*\b.*)",
    re.I,
)
# "it is imperative that the Senate move ...", "time for companies to cut ties ...".
_NEEDED = re.compile(
    r"\b(?:imperative|essential|critical|vital|urgent|necessary|time)\s+(?:than ever\s+)?"
    r"(?:that|for)\s+(?P<object>(?:the\s+)?(?:U\.S\.\s+)?(?:[A-Z][\w.’'-]*\s+){0,5}"
    r"(?:[A-Z][\w.’'-]*|lawmakers|legislators|members of Congress|senators|representatives|"
    r"companies|leaders))\s+(?:to\s+)?(?:immediately\s+|quickly\s+)?"
    r"(?P<action>(?!be\b|have\b|is\b|are\b)[a-z][\w’'-]*\b.*)"
)
_MODAL = re.compile(
    r"(?P<object>(?:the\s+|our\s+|all\s+|every\s+)?(?:U\.S\.\s+)?(?:[A-Z][\w.’'-]*\s+){0,6}"
    r"(?:[A-Z][\w.’'-]*|lawmakers|legislators|members of Congress|senators|representatives|"
    r"it|they|he|she|leadership|leaders))\s+(?:must|should|needs?\s+to|has\s+to|have\s+to|"
    r"ought\s+to)\s+(?:now\s+|immediately\s+|quickly\s+|also\s+)?(?P<action>(?!be\b|have\b)[a-z][\w’'-]*\b.*)"
)
_IMPERATIVE = re.compile(
    r"^(?:Pass|Vote|Support|Cosponsor|Co-sponsor|Override|Reject|Fund|Stop|End|Protect|Oppose|"
    r"Sign|Restore|Reinstate|Extend|Approve|Block|Repeal|Enact|Act|Finalize|Ban|Reauthorize|"
    r"Do not|Don’t|Don't)\b"
)
_MOBILIZE = re.compile(
    r"\b(?:contact(?:s|ed|ing)?|call(?:s|ed|ing)?(?!\s+(?:up)?on\b|\s+for\b)|phon(?:e|ing)|"
    r"writ(?:e|es|ing)\s+to|e-?mail(?:s|ing)?|lobby(?:ing)?|visit(?:s|ing)?|meet(?:s|ing)?\s+with|"
    r"message\s+to)\s+(?P<object>(?:the\s+|their\s+|your\s+|our\s+|all\s+)?"
    r"[^.;:!?,“\"]{2,60}?)"
    r"(?=\s+(?:to|and(?!\s+(?:their\s+|the\s+)?(?:House|Senate|senators|representatives))|not|on|about|in|at|by|before|this|today|urging|asking)\b"
    r"|[.;:!?,“\"]|$)",
    re.I,
)
_REPORTING = re.compile(r"\b(?:is|are|am|was|were)\s+$")
_PERFECT = re.compile(r"\b(?:has|have|had)\s+(?:\w+ly\s+|also\s+|long\s+)?(?:been\s+)?$")
# Where an ask's own clause ends: a relative clause or a second subject and verb.
_CLAUSE_END = re.compile(
    r",\s+(?:which|who|where|while)\s|;\s|,?\s+and\s+(?:we|I|they|it|he|she)\s"
)
_FINITE = re.compile(
    r"^(?:calls|call|urges|urge|asks|ask|presses|press|encourages|encourage|implores|implore|"
    r"challenges|challenge|demands|demand|insists|insist|tells|tell|petitions|appeals|"
    r"recommends|requests|want|need|needs)\b",
    re.I,
)
_NOT_AN_ACTION = {"be", "have", "being", "date", "no"}


@dataclass(frozen=True)
class Ask:
    sentence: str  # as written, quote marks removed
    score: float
    targets: tuple  # everyone the sentence asks, in order
    actions: tuple  # what is asked, in the words of the release


def _not_an_action(match):
    """'urges X to be ...' is a state, not an act; but a negated passive ('urged the
    Council not to be rushed') asks the object to hold back."""
    first = match.group("action").split()[0].lower()
    negated_passive = first == "be" and re.search(r"\bnot$", match.group("object"))
    return first in _NOT_AN_ACTION and not negated_passive


def _strength(verb, before):
    """How directly a verb form asks: 'urges' and 'is calling on' most, a bare
    participle ('a letter urging ...') or a past report ('asked') a little less,
    and a history ('has long urged') least."""
    if re.search(r"\balso\s+$", before):
        return 2.5  # "The group also urges ...": a second ask
    if _PERFECT.search(before):
        return 2.5
    if _FINITE.match(verb) or _REPORTING.search(before) or re.search(r"\bto\s+$", before):
        return 3.0
    if verb.lower().endswith("ing"):
        return 2.5
    if re.match(r"\w+ed\b", verb, re.I):
        return 2.5  # "we urged Washington to ...": an ask made before, told now
    return 2.75


def _trim_action(action):
    """The ask up to the end of its sentence, at most about 30 words."""
    action = re.sub(r"\s+", " ", action).strip()
    action = _CLAUSE_END.split(action)[0]
    action = re.sub(r"[.!?][”\"]?$", "", action).strip(" ,;:")
    words = action.split()
    if len(words) > 30:
        cut = " ".join(words[:30])
        action = cut.rsplit(",", 1)[0] if "," in cut else cut
    return action if len(action.split()) > 2 else ""


def _matches(pattern, sentence):
    """Every match, including one inside an earlier match's action
    ("urge the House to pass X and ask the Senate to take it up")."""
    position = 0
    while match := pattern.search(sentence, position):
        yield match
        position = match.start("action")


def _sentence_asks(sentence, before, context):
    """Every way this sentence asks, as (score, targets, action)."""
    found = []
    for pattern in (_ASK_TO, _ASK_THAT):
        for match in _matches(pattern, sentence):
            if _not_an_action(match):
                continue
            strength = _strength(match.group("verb"), sentence[: match.start()])
            if match.group("verb").lower().startswith(("want", "need")):
                strength = 2.0
            earlier = before + " " + sentence[: match.start("object")]
            verb = match.group("verb").lower()
            if verb.startswith("call") and verb.endswith("for"):
                # "calls for a commitment by the legislators to ...": the target follows "by"
                by = re.search(r"\bby\s+(.+)$", match.group("object"))
                targets = resolve(by.group(1), earlier, context, strict=True) if by else []
                strength = min(strength, 2.5)
            else:
                # "ask you, as members of the Senate, to ...": the role names whom "you" is
                addressee = re.sub(r"^you,?\s+as\s+", "", match.group("object"), flags=re.I)
                targets = resolve(addressee, earlier, context)
            action = match.group("action")
            if re.search(r"\bnot$", match.group("object")):
                action = "not " + action  # "urges X not to cut ...": the ask is not to
            found.append((strength + 1 if targets else 1.5, targets, action))
    for match in _MODAL.finditer(sentence):
        subject = match.group("object")
        earlier = before + " " + sentence[: match.start()]
        targets = resolve(subject.split(",")[-1], earlier, context, strict=True)
        if targets:
            found.append((3.5, targets, match.group("action")))
    for match in _NEEDED.finditer(sentence):
        # As strong as "urges X to": any named body counts ("time for EPA to ...").
        earlier = before + " " + sentence[: match.start("object")]
        targets = resolve(match.group("object"), earlier, context)
        if targets:
            found.append((3.5, targets, match.group("action")))
    for match in _MOBILIZE.finditer(sentence):
        # Supporters sent to their members ("calls on gun owners to contact the Senate"):
        # the members are the targets. Only a named government target counts here.
        earlier = before + " " + sentence[: match.start("object")]
        targets = resolve(match.group("object"), earlier, context, strict=True)
        if targets:
            found.append((3.0, targets, sentence[match.end("object") :].strip(" ,")))
    if _IMPERATIVE.match(sentence):
        found.append((2.0, [], sentence))
    return found


def speech_only(sentence):
    """'"We urge X to act," said Jane Roe.' -> 'We urge X to act.'"""
    text = unquote(sentence)
    attribution = re.search(r"[,.!?]?[”\"]\s+(?:[A-Z][\w.’'-]*\s+){0,4}(?:said|says|added)\b", text)
    if attribution:
        text = text[: attribution.start()].rstrip(",") + "."
    return text.strip()


def read_sentence(text, before, context):
    """What one sentence asks (an Ask), or None; `before` is the text above it."""
    found = _sentence_asks(text, before, context)
    if not found:
        return None
    targets = list(dict.fromkeys(t for _, targets, _ in found for t in targets))
    actions = [action for action in (_trim_action(a) for _, _, a in found) if action]
    score = max(score for score, _, _ in found)
    return Ask(text, score, tuple(targets), tuple(actions))


def find_asks(lines, context):
    """Every asking sentence in lines (deck first, then body paragraphs), best first."""
    asks, before = [], ""
    for line in lines:
        for sentence in sentences(line):
            text = speech_only(sentence)
            ask = read_sentence(text, before, context)
            if ask:
                asks.append(ask)
            before += " " + text
    # Best first; Python's sort is stable, so the earliest wins a tie.
    return sorted(asks, key=lambda ask: -ask.score)


def headline_targets(headline, context):
    """Targets a headline asks: 'Group Urges Congress to ...', 'Board to Congress: ...'."""
    targets = []
    for score, found, _ in _sentence_asks(headline, "", context):
        if score >= 3:
            targets.extend(found)
    addressed = re.search(r"\bto\s+(?P<who>[^:]{2,60}):", headline)
    if addressed:
        target = canonical(addressed.group("who"), context, strict=True)
        if target:
            targets.append(target)
    return targets


def expand_short_ask(sentence, lines):
    """A short ask ('We encourage lawmakers to reject this.') with the imperative
    sentence that follows and spells it out."""
    if len(sentence.split()) < 10:
        for line in lines:
            parts = [speech_only(part) for part in sentences(line)]
            if sentence in parts:
                index = parts.index(sentence)
                if index + 1 < len(parts) and _IMPERATIVE.match(parts[index + 1]):
                    return f"{sentence} {parts[index + 1]}"
    return sentence
