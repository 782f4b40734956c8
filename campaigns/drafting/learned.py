"""Weights learned from the labelled releases, shipped as a small JSON file.

`bench/extraction.py --train` fits them on the corpus and writes learned.json
beside this module; extract() reads that file once. The benchmark trains on
part of the corpus and passes the result to extract(models=...) to score the
rest, so no release is scored by weights that saw it.
"""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

WEIGHTS = Path(__file__).with_name("learned.json")


@dataclass(frozen=True)
class Models:
    ask_weights: dict = field(default_factory=dict)  # feature name -> weight


def train(releases):
    """Models fitted on [(name, text, label)]."""
    return Models()


def save(models, path=WEIGHTS):
    path.write_text(
        json.dumps({"ask_weights": models.ask_weights}, indent=1, sort_keys=True) + "\n"
    )


@cache
def load(path=WEIGHTS):
    if not path.exists():
        return Models()
    data = json.loads(path.read_text(encoding="utf-8"))
    return Models(ask_weights=data.get("ask_weights", {}))
