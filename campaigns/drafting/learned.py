"""Weights learned from the labelled releases, shipped as a small JSON file.

`bench/extraction.py --train` fits them on the corpus and writes learned.json
beside this module; extract() reads that file once. The benchmark trains on
part of the corpus and passes the result to extract(models=...) to score the
rest, so no release is scored by weights that saw it.

The call-to-action ranker is a softmax over each release's candidate
sentences (conditional logit): the labelled sentence should take most of it.
Plain gradient descent with an L2 penalty; a few hundred steps on ~1,500
sentences take well under a second.
"""

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from campaigns.drafting.ranker import FEATURES, release_candidates

WEIGHTS = Path(__file__).with_name("learned.json")
L2 = 0.4
STEPS = 600
LEARNING_RATE = 0.5
MATCH = 0.6  # a candidate is the labelled ask when it shares this much of its words


@dataclass(frozen=True)
class Models:
    ask_weights: dict = field(default_factory=dict)  # feature name -> weight


def words(text):
    text = (text or "").casefold()
    return {
        w
        for w in re.findall(r"[a-z0-9]+", text)
        if w not in {"the", "a", "an", "of", "and", "at", "for", "with", "to", "in", "on", "s"}
    }


def overlap(got, label):
    """Shared content words over the larger word set: 1.0 only for the same words."""
    got, label = words(got), words(label)
    return len(got & label) / max(len(got), len(label), 1)


def train(releases):
    """Models fitted on [(name, text, label)]."""
    groups = []
    for _, text, label in releases:
        found = release_candidates(text, label.get("source_url", ""))
        positive = [overlap(c.sentence, label["call_to_action"]) >= MATCH for c in found]
        if any(positive):
            matrix = np.array([[c.features[f] for f in FEATURES] for c in found])
            groups.append((matrix, np.array(positive, dtype=float)))
    weights = np.zeros(len(FEATURES))
    for _ in range(STEPS):
        gradient = L2 * weights
        for matrix, positive in groups:
            scores = matrix @ weights
            p = np.exp(scores - scores.max())
            p /= p.sum()
            q = p * positive
            q /= q.sum()
            gradient += matrix.T @ (p - q) / len(groups)
        weights -= LEARNING_RATE * gradient
    return Models(
        ask_weights={f: round(float(w), 4) for f, w in zip(FEATURES, weights, strict=True)}
    )


def save(models, path=WEIGHTS):
    data = {"ask_weights": models.ask_weights}
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


@cache
def load(path=WEIGHTS):
    if not path.exists():
        return Models()
    data = json.loads(path.read_text(encoding="utf-8"))
    return Models(ask_weights=data.get("ask_weights", {}))
