"""Extraction accuracy on the hand-labelled real releases, read in place.

The releases belong to their publishers: they stay in the shared folder and
are never copied here. bench/extraction.py does the scoring (and writes
docs/extraction.md); this test runs the same evaluation and fails when a
field's cross-validated accuracy (folds by organization, learned weights
trained without the fold they score) drops below its floor. Floors sit a
margin of one or two releases under what docs/extraction.md reports, so a
change that helps one release and hurts two shows up.
"""

import pytest

from bench import extraction as bench
from tests.conftest import shared_path

# Cross-validated accuracy measured in docs/extraction.md, minus about two releases in 45.
FLOORS = {
    "headline": 0.88,
    "subheadline": 0.88,
    "date": 0.93,
    "place": 0.68,
    "organization": 0.88,
    "spokesperson": 0.62,
    "spokesperson_title": 0.54,
    "call_to_action": 0.77,
    "call_to_action_any_ask": 0.86,
    "targets": 0.73,
    "targets_congress": 0.95,
    "asks": 0.35,
    "bills": 0.95,
    "topic": 0.78,
    "truncated": 0.88,
}


@pytest.fixture(scope="module")
def result():
    shared_path("releases", "labels.json")
    shared_path("seed-release.txt")
    return bench.evaluate(bench.corpus(bench.SHARED))


def test_cross_validated_accuracy_per_field_stays_above_its_floor(result, capsys):
    measured = bench.accuracy(result["cv"])
    with capsys.disabled():
        print("\nCross-validated extraction accuracy:")
        for field, value in measured.items():
            print(f"  {field:<20} {value:6.2f}  (floor {FLOORS.get(field, 0):.2f})")
    low = {field: round(measured[field], 2) for field in FLOORS if measured[field] < FLOORS[field]}
    assert not low, f"fields below their floor {FLOORS}: {low}"


def test_the_seed_release_comes_out_right(result):
    seed = next(scores for name, _, _, scores in result["cv"] if name == "seed")
    wrong = {field: value for field, value in seed.items() if value < 1.0 and field != "topic"}
    assert wrong == {}


def test_folds_hold_each_organization_whole():
    shared_path("releases", "labels.json")
    releases = bench.corpus(bench.SHARED)
    fold_of = bench.folds(releases)
    by_org = {}
    for (_, _, label), fold in zip(releases, fold_of, strict=True):
        by_org.setdefault(bench.group_of(label), set()).add(fold)
    assert all(len(f) == 1 for f in by_org.values())
    assert len(set(fold_of)) == bench.FOLDS


def test_the_notes_written_by_hand_survive_a_new_report(tmp_path):
    path = tmp_path / "extraction.md"
    path.write_text("# Extraction accuracy\n\nold figures\n\n## Notes by hand\n\nWhy 16 misses.\n")
    assert bench.hand_notes(path) == "## Notes by hand\n\nWhy 16 misses."
    path.write_text("# Extraction accuracy\n\nno notes\n")
    assert bench.hand_notes(path) == ""
