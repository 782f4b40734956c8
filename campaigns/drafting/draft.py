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

import json
import re
from dataclasses import dataclass, field, replace

import requests
from django.conf import settings

from campaigns.drafting.rules.targets import is_congress
from campaigns.letters import MERGE_FIELDS, unknown_fields

MAX_TITLE = 120
MAX_SUBJECT = 200
MIN_LETTER_WORDS = 120
MAX_LETTER_WORDS = 300
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


class DraftError(ValueError):
    """A draft (from the LLM) that breaks a rule a saved campaign must keep."""


# For releases too thin to name anything: the organizer must edit these anyway.
FALLBACK_TITLE = "Write to Congress"
FALLBACK_SUBJECT = "A letter from your constituent"


def draft_from_facts(facts) -> CampaignDraft:
    """The rule-based draft: grounded in the release, nothing invented."""
    targets = _targets(facts)
    ask = _ask(facts)
    return CampaignDraft(
        title=_title(facts, ask, targets),
        summary=_summary(facts),
        call_to_action=_page_call(ask, targets, facts),
        letter_subject=_cut(
            f"Please {ask}" if ask else _plain(facts.headline) or FALLBACK_SUBJECT, MAX_SUBJECT
        ),
        letter_body=_letter(facts, ask),
        targets=targets,
        notes=tuple(_notes(facts, targets, ask)),
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
    return ask


def _title(facts, ask, targets):
    """'Tell Congress to pass H.R. 2417' for a short ask, else the headline."""
    if ask and len(ask.split()) <= 12:
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


def _summary(facts):
    """Two or three sentences of the release: deck or headline, the ask, a quote."""
    parts = [_sentence(facts.subheadline or facts.headline)]
    if facts.call_to_action and _plain(facts.call_to_action) != parts[0]:
        call = _plain(facts.call_to_action)
        if re.match(r"(?:We|I|Our)\b", call):
            parts.append(f"{facts.organization or 'The organization'} says: “{call}”")
        else:
            parts.append(_sentence(call))
    quote = _short_quote(facts, exclude=facts.call_to_action)
    if quote and facts.spokesperson:
        # AP: a quoted statement ends with a comma before "said".
        quote = quote[:-1] + "," if quote.endswith(".") else quote
        parts.append(f"“{quote}” said {facts.spokesperson.name}.")
    return " ".join(part for part in parts if part)


def _short_quote(facts, *, exclude="", max_words=45):
    """The first quoted sentence of some weight that is not the call to action."""
    quotes = facts.spokesperson.quotes if facts.spokesperson else facts.quotes
    for quote in quotes:
        first = re.split(r"(?<=[.!?])\s+(?=[A-Z])", _plain(quote))[0].rstrip(",")
        if 8 <= len(first.split()) <= max_words and first not in _plain(exclude):
            return first if first[-1] in ".!?" else first + "."
    return ""


def _page_call(ask, targets, facts):
    if not ask:
        return _plain(facts.call_to_action)
    who = _who(targets) if targets.chambers else ", ".join(map(_display, targets.other)) or "them"
    return f"Tell {who} to {ask}."


def _letter(facts, ask):
    """Greeting, the ask in the supporter's voice, the release's reasons, sign-off."""
    org = _plain(facts.organization) or "advocates"
    opening = (
        f"As your constituent in {{city}}, I urge you to {ask}."
        if ask
        else f"As your constituent in {{city}}, I am writing about a call to action from {org}."
    )
    context = []
    if facts.subheadline and facts.subheadline != facts.call_to_action:
        context.append(f"{org} reports: {_sentence(facts.subheadline)}")
    if facts.call_to_action:
        context.append(f"In its own words: “{_plain(facts.call_to_action)}”")
    quotes = _letter_quotes(facts)
    closing = (
        "This matters to me and to my neighbors. Please tell me what you will do, "
        "and count me among the constituents who are watching how you act on it."
    )
    paragraphs = [GREETING, opening, " ".join(context), *quotes, closing, SIGN_OFF]
    while _words(paragraphs) > MAX_LETTER_WORDS and quotes:
        paragraphs.remove(quotes.pop())
    if _words(paragraphs) < MIN_LETTER_WORDS and facts.headline:
        paragraphs.insert(2, f"The statement is titled “{_plain(facts.headline)}”.")
    if _words(paragraphs) < MIN_LETTER_WORDS:
        paragraphs.insert(
            -2,
            "Decisions like this one reach people in our community directly, and I am asking you "
            "to weigh the facts above and to act on them. I would welcome a reply that "
            "explains your position and what you intend to do next.",
        )
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def _letter_quotes(facts):
    """Up to two quotes with their speaker, as the release attributes them."""
    person = facts.spokesperson
    if not person:
        return []
    found = []
    for quote in person.quotes:
        text = _plain(quote).rstrip(",")
        if _plain(facts.call_to_action) in text or len(text.split()) > 80:
            continue
        text = text if text[-1] in ".!?" else text + "."
        if found:
            found.append(f"{_plain(person.name)} added: “{text}”")
        else:
            title = f", {_plain(person.title)}," if person.title else ""
            found.append(f"As {_plain(person.name)}{title} put it: “{text}”")
        if len(found) == 2:
            break
    return found


def _words(paragraphs):
    return sum(len(paragraph.split()) for paragraph in paragraphs)


def _notes(facts, targets, ask):
    notes = []
    if not facts.call_to_action:
        notes.append("We found no clear ask in this release: write the call to action yourself.")
    if facts.targets and not facts.targets_congress:
        names = ", ".join(map(_display, facts.targets))
        notes.append(f"This release asks {names}, not Congress: choose the targets yourself.")
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
    if not ask and facts.call_to_action:
        notes.append("Check the letter's first paragraph: we could not restate the ask.")
    if not facts.topic:
        notes.append("We could not tell the release's topic: choose the one offices file it under.")
    return notes


# ---- the optional LLM draft --------------------------------------------------------------

_SYSTEM_PROMPT = """You turn an advocacy organization's press release into a campaign draft.
Answer with one JSON object and nothing else, with these string keys:
title (at most 120 characters), summary (2 or 3 sentences), call_to_action (one sentence
for the campaign page), letter_subject (at most 200 characters), letter_body.
The letter is written by a supporter to their own legislator, in the first person. It
starts with "Dear {legislator_salutation}," and ends with "Sincerely," then {full_name}
and "{city}, {state}" on their own lines. It is 120 to 300 words. Use only facts from the
release. Braces are allowed only around these merge fields: %s."""


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
            {"role": "system", "content": _SYSTEM_PROMPT % fields},
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
