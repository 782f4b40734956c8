"""Extraction accuracy on the hand-labelled real releases, read in place.

The releases belong to their publishers: they stay in the shared folder and
are never copied here. The test prints a per-field accuracy table and fails
when a field drops below its floor. Floors sit a margin under what the rules
achieve today, so a change that helps one release and hurts two shows up.

How fields are compared (labels.json and its README define the labels):
- text fields: whitespace collapsed, curly quotes straightened, case ignored;
  a label of null equals "".
- organization: the label, its name without the parenthesis, or the acronym in it.
- spokesperson: the name (honorifics such as "Dr." or "the Reverend" ignored);
  the title separately, as equal sets of words, one allowed inside the other.
- call_to_action: the labelled sentence occurs in ours, and ours is at most
  about twice as long (we may return one or two sentences).
- targets: each labelled target matches one of ours (equal, or most of its words
  shared, for long committee names) and we name no other.
- asks: the share of labelled asks whose words are mostly (half or more) in one of ours.
- bills: the same list.
"""

import json
import re

from campaigns.drafting.extract import extract
from tests.conftest import shared_path

FIELDS = (
    "headline",
    "subheadline",
    "date",
    "place",
    "organization",
    "spokesperson",
    "spokesperson_title",
    "call_to_action",
    "targets",
    "targets_congress",
    "asks",
    "bills",
)
# What the rules achieve on the 14 releases (1.00 for most fields, 0.93 for
# targets, 0.57 for asks) minus a margin of about two releases.
FLOORS = {
    "headline": 0.85,
    "subheadline": 0.85,
    "date": 0.85,
    "place": 0.85,
    "organization": 0.85,
    "spokesperson": 0.85,
    "spokesperson_title": 0.8,
    "call_to_action": 0.85,
    "targets": 0.75,
    "targets_congress": 0.85,
    "asks": 0.45,
    "bills": 0.85,
}
STOP_WORDS = {"the", "a", "an", "of", "and", "at", "for", "with", "to", "in", "on", "s"}
HONORIFICS = re.compile(r"^(?:the\s+)?(?:Reverend|Rev\.|Dr\.|Mr\.|Ms\.|Mrs\.)\s+", re.I)


def norm(text):
    text = (text or "").replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split()).casefold()


def word_set(text):
    return {word for word in re.findall(r"[a-z0-9]+", norm(text)) if word not in STOP_WORDS}


def same_organization(got, label):
    names = {norm(label), norm(label.split(" (")[0])}
    acronym = re.search(r"\(([A-Z]{2,8})\)", label)
    if acronym:
        names.add(norm(acronym.group(1)))
    return norm(got) in names


def same_title(got, label):
    got, label = word_set(got), word_set(label)
    return bool(got) and (got <= label or label <= got)


def same_target(got, label):
    got_words, label_words = word_set(got), word_set(label)
    if norm(got) == norm(label):
        return True
    shared = len(got_words & label_words)
    return len(label_words) >= 3 and shared >= 0.7 * max(len(got_words), len(label_words))


def targets_match(got, labels):
    matched = [any(same_target(g, label) for g in got) for label in labels]
    extra = [g for g in got if not any(same_target(g, label) for label in labels)]
    return all(matched) and not extra


def ask_recall(got, labels):
    if not labels:
        return 1.0 if not got else 0.0
    hits = 0
    for label in labels:
        words = word_set(label)
        if any(len(words & word_set(ask)) >= 0.5 * len(words) for ask in got):
            hits += 1
    return hits / len(labels)


def score(facts, label):
    """Each field's score for one release, 0 to 1."""
    spokesperson = facts.spokesperson
    expected = label["spokesperson"]
    cta, expected_cta = norm(facts.call_to_action), norm(label["call_to_action"])
    result = {
        "headline": norm(facts.headline) == norm(label["headline"]),
        "subheadline": norm(facts.subheadline) == norm(label["subheadline"]),
        "date": facts.date == (label["date"] or ""),
        "place": norm(facts.place) == norm(label["place"]),
        "organization": same_organization(facts.organization, label["organization"]),
        "spokesperson": (
            spokesperson is None
            if expected is None
            else spokesperson is not None
            and norm(HONORIFICS.sub("", spokesperson.name))
            == norm(HONORIFICS.sub("", expected["name"]))
        ),
        "call_to_action": expected_cta in cta and len(cta) <= 2 * len(expected_cta) + 40,
        "targets": targets_match(facts.targets, label["targets"]),
        "targets_congress": facts.targets_congress == label["targets_congress"],
        "bills": list(facts.bills) == label["bills"],
    }
    if "asks" in label:
        result["asks"] = ask_recall(facts.asks, label["asks"])
    if expected is not None:
        result["spokesperson_title"] = spokesperson is not None and same_title(
            spokesperson.title, expected["title"]
        )
    return {field: float(value) for field, value in result.items()}


def corpus():
    labels_path = shared_path("releases", "labels.json")
    labels = json.loads(labels_path.read_text(encoding="utf-8"))
    for label in labels:
        # Line 1 is the source address, line 2 blank: the release follows.
        raw = (labels_path.parent / label["file"]).read_text(encoding="utf-8")
        yield label["file"], raw.split("\n", 2)[2], label


def seed_label(text):
    """Labels for the seed release, derived from its own text where they quote it."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # The ask is the quoted sentence that says "calling on": from there to the quote's end.
    quoted = re.findall(r"“([^”]*)”", text)
    call = next(quote for quote in quoted if "calling on" in quote)
    return {
        "headline": lines[0],
        "subheadline": lines[2],
        "date": "2020-01-29",
        "place": "Washington D.C.",
        "organization": "Syrian American Council",
        "spokesperson": {"name": "Dr. Zaki Lababidi", "title": "president"},
        "call_to_action": call,
        "targets": ["President", "Congress"],
        "targets_congress": True,
        "bills": [],
    }


def cell(value):
    if value is None:
        return "-"
    return {1.0: "ok", 0.0: "XX"}.get(value, f"{value:.1f}")


def format_table(rows, totals):
    header = f"{'field':<20}" + "".join(f"{name[:4]:>5}" for name, _ in rows) + "  corpus"
    lines = [header]
    for field in FIELDS:
        cells = "".join(f"{cell(scores.get(field)):>5}" for _, scores in rows)
        lines.append(f"{field:<20}{cells}  {totals[field]:6.2f}")
    return "\n".join(lines)


def accuracy(rows):
    totals = {}
    for field in FIELDS:
        values = [scores[field] for _, scores in rows if field in scores]
        totals[field] = sum(values) / len(values)
    return totals


def test_accuracy_per_field_on_the_labelled_releases(capsys):
    rows = [(name, score(extract(text), label)) for name, text, label in corpus()]
    seed_text = shared_path("seed-release.txt").read_text(encoding="utf-8")
    seed_scores = score(extract(seed_text), seed_label(seed_text))
    totals = accuracy(rows)
    with capsys.disabled():
        print(
            "\n\nExtraction accuracy on the labelled releases (columns: file number, then the seed)"
        )
        print(format_table([*rows, ("seed", seed_scores)], totals))
    low = {field: round(totals[field], 2) for field in FIELDS if totals[field] < FLOORS[field]}
    assert not low, f"fields below their floor {FLOORS}: {low}"
    assert all(value == 1.0 for value in seed_scores.values()), seed_scores


def test_releases_asking_someone_else_do_not_target_congress():
    wrong = [
        name
        for name, text, label in corpus()
        if not label["targets_congress"] and extract(text).targets_congress
    ]
    assert wrong == []
