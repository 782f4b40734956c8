# ruff: noqa: RUF001, RUF002, RUF003 -- typographic quotes and dashes are what releases use
"""The top of a release: headline, deck, dateline and date.

AP releases open with a headline, an optional deck (subheadline), then a
dateline paragraph: "WASHINGTON, D.C. (Jan. 29, 2020) – Text ...". Pages add
chrome around that (contacts, menus, image names), which we skip by shape.
"""

import re
from dataclasses import dataclass
from datetime import date

from .text import DASHES, collapse, retells, sentences

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
# A month's name, whole or shortened ("January", "Jan.", "Sept").
MONTH_NAME = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
    r"Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_MONTH = r"(?P<month>" + MONTH_NAME + ")"
WEEKDAY_NAME = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_WEEKDAY = r"(?:" + WEEKDAY_NAME + r",?\s+)?"
_DATE_PATTERNS = (
    # "January 29, 2020", "Jan. 29, 2020", "Tuesday April 9, 2019"
    re.compile(_WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b"),
    # "29 January 2020"
    re.compile(r"\b(?P<day>\d{1,2})\s+" + _MONTH + r",?\s+(?P<year>\d{4})\b"),
    # "2019-11-21"
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
    # US numeric "10.16.2025" or "10/16/2025"; a two-digit year is too ambiguous
    re.compile(r"(?<![\d.])(?P<month>\d{1,2})[./](?P<day>\d{1,2})[./](?P<year>\d{4})(?![\d.]*\w)"),
)

# A dateline: an upper-case place (or a title-case city with its state),
# optionally a date in parentheses or after a comma, then a dash; or an upper-case
# place and a date in parentheses with no dash.
_DATELINE = re.compile(
    r"^\(?(?P<place>[A-Z][A-Z.'’ -]{1,40}?(?:,?\s+(?:D\.?\s?C\.?|[A-Z][A-Za-z.]{1,12}))?"
    r"|[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2},\s(?:D\.C\.|[A-Z][a-z.]+|[A-Z]{2}))\)?"
    r"(?P<rest>(?:[,\s]+\(?[^()–—]{0,40}?\)?)?)\s*[" + DASHES + r"]{1,2}\s+"
    # "SACRAMENTO (February 25, 2013) The ...": a date in parentheses ends it without a dash
    r"|^(?P<bare_place>[A-Z][A-Z.'’ -]{1,40}?)\s+\((?P<bare_date>[^()]{6,30})\)\s+(?=[A-Z])"
)
_STATE_CODES = re.compile(r"^(?:[A-Z]\.){1,3}$|^[A-Z]{2}$")

_PREFIX_LABEL = re.compile(
    r"^(?:what|headline|title|(?:statement|press|news|media)\s+(?:release|advisory|statement)|"
    r"for immediate release|statement)\s*:\s*",
    re.I,
)
_DATE_STAMP = re.compile(
    r"^(?:date\s+)?\d{4}-\d{2}-\d{2}\s+|^\d{1,2}[./]\d{1,2}[./]\d{4}\s*[/|–-]?\s*"
)
_TRAILING_CHROME = re.compile(r"(?:\s+(?:PDF|Print|E-?mail|Email|Share|Tweet)){2,}\s*$", re.I)
_CHROME = re.compile(
    r"@|https?://|www\.|\(\d{3}\)|\d{3}[-.]\d{3}[-.]\d{4}|\.(?:jpe?g|png|gif)\b|"
    r"^(?:contacts?|media contact|press contact|for more information|where|when|phone|email)\b|"
    r"javascript|spambots|^p\.?o\.? box|^copyright|©|all rights reserved",
    re.I,
)
_FUNCTION_WORDS = {"a", "an", "the", "of", "to", "and", "or", "our", "your", "for", "in", "with"}
HEADLINE_VERBS = {
    "urges",
    "urge",
    "calls",
    "call",
    "asks",
    "ask",
    "demands",
    "demand",
    "presses",
    "press",
    "applauds",
    "praises",
    "welcomes",
    "condemns",
    "joins",
    "join",
    "statement",
    "says",
    "tells",
    "supports",
    "opposes",
    "backs",
    "endorses",
    "slams",
    "thanks",
    "warns",
    "launches",
    "announces",
    "celebrates",
    "responds",
    "reacts",
    "commends",
    "sends",
    "leads",
    "votes",
    "releases",
    "issues",
    "hails",
    "decries",
    "blasts",
    "files",
    "sues",
}


@dataclass(frozen=True)
class Top:
    headline: str
    subheadline: str
    date: str
    place: str
    body: list  # paragraphs from the dateline (or first prose) on, dateline removed
    header: tuple = ()  # the lines above it, as printed (chrome, bylines, "X issued ...:")
    # Which rule found the date and the headline, for how sure we are of them:
    # date "dateline", "header" or "opening" (a paragraph opening with it); headline
    # "dateline" (the display lines above a dateline) or "prose" (above the first prose).
    date_rule: str = ""
    headline_rule: str = ""


# What may stand before a release date at the start of a paragraph: a place
# ("ALEXANDRIA, Va., (", "Washington, DC - "), "For Immediate Release:", an
# aggregator's "date" stamp. Anything else ("Last Updated on", a sentence)
# means the date is not the release's.
_NOT_RELEASE_DATE = re.compile(r"\b(?:updated|modified)\b|©|copyright", re.I)
_BEFORE_DATE = re.compile(
    r"(?:(?i:date|for immediate release:?|released:?|published:?)\s+)?"
    r"(?:[A-Z][\w.’']*,?\s+){0,4}[\s(–—-]*"
)


def _dateline_date(paragraphs):
    """The date a paragraph opens with, after at most a place: a dateline the
    top of the release did not show as one ("SACRAMENTO (February 25, 2013) The ...")."""
    for paragraph in paragraphs:
        found = []
        for pattern in _DATE_PATTERNS:
            for match in pattern.finditer(paragraph[:100]):
                iso = _to_iso(match)
                if iso:
                    found.append((match.start(), iso))
        if found:
            start, iso = min(found)
            if _BEFORE_DATE.fullmatch(paragraph[:start]):
                return iso
    return ""


def parse_date(text):
    """The first full date (day, month and year) in text, as ISO, or ""."""
    found = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            iso = _to_iso(match)
            if iso:
                found.append((match.start(), iso))
    return min(found)[1] if found else ""


def _to_iso(match):
    month = match.group("month")
    month = int(month) if month.isdigit() else MONTHS[month[:3].lower()]
    try:
        value = date(int(match.group("year")), month, int(match.group("day")))
    except ValueError:
        return ""
    return value.isoformat() if 1990 <= value.year <= 2100 else ""


def split_dateline(paragraph):
    """(place as printed, rest of the paragraph) or None when there is no dateline.

    The place is upper case ("ST. LOUIS —", "(WASHINGTON) –") or a title-case
    city with its state ("Washington, D.C. –"). Dates and wire credits between
    the place and the text ("– October 2, 2013 – (Wire) —") are dropped too. An
    upper-case place followed by a date in parentheses needs no dash
    ("SACRAMENTO (February 25, 2013) The ...").
    """
    match = _DATELINE.match(paragraph)
    if not match:
        return None
    if match.group("bare_place"):
        if not parse_date(match.group("bare_date")):
            return None
        return match.group("bare_place").strip(), paragraph[match.end() :]
    place = match.group("place").strip(" ,")
    rest = match.group("rest").strip(" ,()")
    if rest and not parse_date(rest) and not re.fullmatch(r"[A-Z][\w.]*(?: [A-Z][\w.]*)?", rest):
        return None
    initials_only = place.isupper() and not re.search(r"[A-Z]{3}", place)
    if len(place.split()) > 5 or (initials_only and not _STATE_CODES.match(place.replace(" ", ""))):
        return None
    text = paragraph[match.end() :]
    # Further segments: "October 2, 2013 – (RealEstateRama) — Today ..."
    while True:
        more = re.match(r"^\(?([^()–—]{2,40}?)\)?\s*[" + DASHES + r"]{1,2}\s+", text)
        if not more or not (parse_date(more.group(1)) or more.group(0).startswith("(")):
            break
        text = text[more.end() :]
    return place, text


def normalize_place(place):
    """Title-case the upper-case words of a dateline ("ST. LOUIS", "DENVER, Colo."),
    keeping initialisms ("D.C.") and two-letter state codes after a comma."""
    parts = []
    for word in collapse(place).split(" "):
        bare = word.rstrip(",")
        keep = re.fullmatch(r"(?:[A-Z]\.){2,3}", bare) or (
            re.fullmatch(r"[A-Z]{2}", bare) and parts
        )
        if bare.isupper() and not keep:
            word = "-".join(piece.capitalize() for piece in word.split("-"))
        parts.append(word)
    return " ".join(parts)


def _clean_line(line):
    line = _PREFIX_LABEL.sub("", line)
    line = _DATE_STAMP.sub("", line)
    line = _TRAILING_CHROME.sub("", line)
    date = _DATE_PATTERNS[0].match(line)  # "December 19, 2014 Reacts to ..."
    if date and len(line.split()) > 6:
        line = line[date.end() :]
    return line.strip()


def _title_case(line):
    words = [word for word in line.split() if word.lower() not in _FUNCTION_WORDS | {"to", "on"}]
    return bool(words) and sum(word[:1].isupper() for word in words) >= 0.8 * len(words)


_ATTRIBUTION_LINE = re.compile(
    r"\b(?:issued|released|made) the following statement\b|\bmay be attributed to\b|"
    r"\bhad the following to say\b",
    re.I,
)


def _is_display_line(line):
    """A headline or deck: a phrase of several words, not chrome or a fragment."""
    words = line.split()
    if _CHROME.search(line) or (parse_date(line) and len(words) <= 6) or len(line) > 250:
        return False
    if words and words[-1].lower().strip(",") in _FUNCTION_WORDS:
        return False  # a line cut out of a sentence, e.g. a menu's wrapped slogan
    if line[:1].islower() or line.endswith(":") or _ATTRIBUTION_LINE.search(line):
        return False  # page chrome, or the line that introduces a statement
    if re.search(r"\b(?:press|news|media) release$", line, re.I):
        return False
    if len(sentences(line)) > 1 and not (len(sentences(line)) == 2 and _title_case(line)):
        return False
    has_verb = any(word.lower().strip(":,") in HEADLINE_VERBS for word in words)
    return len(words) >= 6 or (len(words) >= 4 and has_verb)


def _is_prose(paragraph):
    return len(paragraph.split()) >= 20 and re.search(r"[.!?][\"”’]?(?:\s|$)", paragraph)


def _is_deck(paragraph, following):
    """A deck set as a prose line: one sentence under the headline that the paragraph
    after it opens the release with (a dateline) or retells in full."""
    if len(sentences(paragraph)) != 1 or paragraph.endswith(":"):
        return False
    if _dateline_date([paragraph]):
        return False  # a dateline of a form split_dateline does not read
    return bool(split_dateline(following)) or (
        _is_prose(following) and retells(following, paragraph)
    )


def split_top(paragraphs):
    """Find the dateline (or the first prose paragraph) and read what is above it."""
    start = len(paragraphs)
    dateline = None
    deck = ""
    for index, paragraph in enumerate(paragraphs):
        dateline = split_dateline(paragraph)
        if dateline or _is_prose(paragraph):
            start = index
            break
    following = paragraphs[start + 1] if start + 1 < len(paragraphs) else ""
    headed = any(_is_display_line(_clean_line(line)) for line in paragraphs[:start])
    if following and not dateline and headed and _is_deck(paragraphs[start], following):
        deck = paragraphs[start]
        start += 1
        dateline = split_dateline(following)
    header = paragraphs[:start]
    body = list(paragraphs[start:])
    place = ""
    # A page's "Last updated" stamp or copyright year is not the release's date.
    header_text = " ".join(line for line in header if not _NOT_RELEASE_DATE.search(line))
    dateline_text = ""
    if dateline:
        place = normalize_place(dateline[0])
        dateline_text = body[0][: len(body[0]) - len(dateline[1])]
        body[0] = dateline[1]
    date, date_rule = _release_date(header_text, dateline_text, paragraphs[: start + 3])
    display = []
    for line in header:
        cleaned = _clean_line(line)
        if line != deck and _is_display_line(cleaned) and cleaned not in display:
            display.append(cleaned)
    if deck:  # the deck stands under the headline, before other display lines
        display.insert(1, deck)
    headline_rule = ("dateline" if dateline else "prose") if display else ""
    return Top(
        headline=display[0] if display else "",
        subheadline=display[1] if len(display) > 1 else "",
        date=date,
        place=place,
        body=body,
        header=tuple(header),
        date_rule=date_rule,
        headline_rule=headline_rule,
    )


def _release_date(header_text, dateline_text, opening):
    """(ISO date, the rule that found it): the first full date above the body (the
    header's and the dateline's, whichever comes first), else a paragraph's opening."""
    found = parse_date(header_text + " " + dateline_text)
    if found:
        return found, "header" if found == parse_date(header_text) else "dateline"
    found = _dateline_date(opening)
    return found, "opening" if found else ""
