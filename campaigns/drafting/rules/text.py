# ruff: noqa: RUF001 -- typographic quotes and dashes are what releases use
"""Paragraphs and sentences of a release, as plain strings.

Releases arrive as pasted text, page extracts or hard-wrapped e-mail, so this
module undoes the wrapping and splits sentences without an NLP model.
"""

import re

QUOTES = "\"“”'‘’"
OPEN_QUOTES = '"“‘'
DASHES = "–—-"
TERMINAL = '.!?:;"”’)'

# Abbreviations that come before a name or a number, so a period after them
# never ends a sentence ("Sen. Coons", "Dr. Lababidi", "Jan. 29").
# fmt: off
PREFIX_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "rev", "sen", "rep", "gov", "lt", "gen", "col", "sgt", "capt",
    "hon", "pres", "prof", "st", "mt", "ft", "no", "nos", "vs", "v", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "h.r", "s.j", "h.j",
    "h.con", "s.con", "h.res", "s.res", "res", "con", "j",
}
# fmt: on
# Abbreviations that may also close a sentence ("... in the U.S. “We ..."):
# they end one only when an opening quote follows.
OTHER_ABBREVIATIONS = {
    "u.s",
    "d.c",
    "u.n",
    "inc",
    "co",
    "corp",
    "ltd",
    "jr",
    "sr",
    "ind",
    "a.m",
    "p.m",
}

_SENTENCE_END = re.compile(
    r"[.!?]+[\"”’)]*(?=\s+[\"“‘(]?[A-Z0-9])"
    # A closed quote followed by a lower-case word that is no attribution: the text
    # lost the name that began the next sentence ('... rejection.” has helped lead').
    r"|[.!?][”\"](?=\s+(?!(?:said|says|added|stated|wrote|explained|noted|continued|"
    r"according|he|she|they|we)\b)[a-z])"
)
_WHITESPACE = re.compile(r"\s+")


def collapse(text):
    """One space between words: hard-wrapped and pasted text compare equal."""
    return _WHITESPACE.sub(" ", text).strip()


def _ends_sentence(line):
    return bool(line) and line[-1] in TERMINAL


def _last_word(text):
    words = text.split()
    return words[-1].rstrip(".").lstrip(QUOTES + "(").lower() if words else ""


def _ends_with_abbreviation(line):
    word = _last_word(line)
    return line.endswith(".") and (word in PREFIX_ABBREVIATIONS or len(word) == 1)


def is_hard_wrapped(lines):
    """Text wrapped at a fixed width: most long lines stop mid-sentence."""
    long_lines = [line for line in lines if len(line) >= 40]
    open_lines = [line for line in long_lines if not _ends_sentence(line)]
    return len(open_lines) >= 3 and len(open_lines) >= 0.5 * len(long_lines)


def paragraphs(text):
    """The release's paragraphs, whitespace collapsed.

    Pasted and extracted text puts one paragraph per line. Hard-wrapped text
    (e-mail, some archives) breaks lines inside sentences: there a line joins
    the next unless it is a short line that ends a sentence.
    """
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    if not is_hard_wrapped(lines):
        return [collapse(line) for line in lines if line]
    width = max(len(line) for line in lines)
    result, current = [], []
    for line in lines:
        if not line:
            if current:
                result.append(collapse(" ".join(current)))
            current = []
            continue
        current.append(line)
        paragraph_ends = _ends_sentence(line) and len(line) < 0.6 * width
        if paragraph_ends and not _ends_with_abbreviation(line):
            result.append(collapse(" ".join(current)))
            current = []
    if current:
        result.append(collapse(" ".join(current)))
    return result


def sentences(paragraph):
    """Split a paragraph into sentences, keeping quote marks where they are.

    A period ends a sentence unless it follows an initial ("William A.") or an
    abbreviation that precedes names and numbers.
    """
    result, start = [], 0
    for match in _SENTENCE_END.finditer(paragraph):
        before = paragraph[start : match.start() + 1]
        word = _last_word(before)
        if match.group().startswith("."):
            if word in PREFIX_ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            next_char = paragraph[match.end() :].lstrip()[:1]
            if word in OTHER_ABBREVIATIONS and next_char not in OPEN_QUOTES:
                continue
        result.append(paragraph[start : match.end()].strip())
        start = match.end()
    rest = paragraph[start:].strip()
    if rest:
        result.append(rest)
    return result


# The share of a summary's content words a fuller telling of it repeats.
RETOLD = 0.75


def content_words(text):
    """The words that carry a sentence's meaning: those longer than three letters."""
    return {word for word in re.findall(r"[a-z0-9]+", text.lower()) if len(word) > 3}


def retells(fuller, summary):
    """`fuller` tells `summary` again with more detail: it is longer and repeats most of
    its content words (a lede under the deck that summarizes it)."""
    words = content_words(summary)
    return (
        bool(words)
        and len(fuller) > len(summary)
        and len(words & content_words(fuller)) >= RETOLD * len(words)
    )


def unquote(sentence):
    """A sentence without the quote marks around it (or left open by a split)."""
    text = sentence.strip()
    if text[:1] in OPEN_QUOTES:
        text = text[1:]
    if (text.endswith("”") and text.count("“") < text.count("”")) or (
        text.endswith('"') and text.count('"') % 2 == 1
    ):
        text = text[:-1]
    return text.strip()
