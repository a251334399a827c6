#!/usr/bin/env python3
"""Reference values of Krippendorff's alpha for set-valued ratings, computed by nltk.

Anno's `SetRatingAccumulator.krippendorffAlpha(distance:)` (AnnoAgreement) is checked
against these numbers in Tests/AnnoAgreementTests/SetAlphaTests.swift. This script holds the
fixtures, computes alpha with

    nltk.metrics.agreement.AnnotationTask(data, distance=masi_distance).alpha()
    nltk.metrics.agreement.AnnotationTask(data, distance=jaccard_distance).alpha()

on (rater, unit, frozenset) triples, and prints the fixture table as Swift source.

    python3 -m venv /tmp/venv-ml && /tmp/venv-ml/bin/pip install nltk
    /tmp/venv-ml/bin/python scripts/set_alpha_reference.py            # print the table
    /tmp/venv-ml/bin/python scripts/set_alpha_reference.py --check Tests/AnnoAgreementTests/SetAlphaTests.swift

`--check` exits 1 unless the test file contains the printed table verbatim (CI runs it from
scripts/ci-python-checks.sh, so the recorded numbers are recomputed on every run).

A fixture is one string per unit: the raters' sets separated by " | ", each set its values
joined by "," and "-" for a rater who gave none.
"""

import argparse
import random
import sys

from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import jaccard_distance, masi_distance

TOPICS = ["diplomacy", "politics", "business", "economy", "sport", "science", "health"]


def generated(seed, units, raters, missing):
    """A seeded study: each rater copies most of a unit's true topics, adds or drops some."""
    rng = random.Random(seed)
    rows = []
    for _ in range(units):
        truth = set(rng.sample(TOPICS, rng.randint(1, 3)))
        cells = []
        for _ in range(raters):
            if rng.random() < missing:
                cells.append("-")
                continue
            # NB: in declared order, never set order (which PYTHONHASHSEED changes).
            chosen = {t for t in TOPICS if t in truth and rng.random() < 0.85}
            if rng.random() < 0.3:
                chosen.add(rng.choice(TOPICS))
            if not chosen:
                chosen = {rng.choice(sorted(truth))}
            cells.append(",".join(t for t in TOPICS if t in chosen))
        rows.append(" | ".join(cells))
    return rows


FIXTURES = [
    (
        "three raters, overlapping topics",
        [
            "economy,politics | economy | economy,politics",
            "sport | sport | sport,health",
            "diplomacy | politics | diplomacy,politics",
            "science,health | health | science",
            "business | business,economy | economy",
            "sport | sport | sport",
        ],
    ),
    (
        "four raters, missing ratings",
        [
            "economy | economy,business | - | business",
            "politics,diplomacy | - | diplomacy | politics,diplomacy",
            "sport | sport | sport | -",
            "health | science | - | -",
            "- | economy | - | -",
            "business,economy,politics | economy,politics | business | economy",
            "science | science,health | science,health | health",
            "diplomacy | diplomacy | politics | diplomacy,politics",
        ],
    ),
    ("seeded study, 3 raters, 40 units", generated(22, 40, 3, 0.0)),
    ("seeded study, 5 raters, 60 units, 15% missing", generated(2006, 60, 5, 0.15)),
]


def triples(rows):
    data = []
    for unit, row in enumerate(rows):
        for rater, cell in enumerate(row.split(" | ")):
            if cell != "-":
                data.append((f"r{rater}", f"u{unit}", frozenset(cell.split(","))))
    return data


def swift_table():
    lines = ["  static let fixtures: [Fixture] = ["]
    for name, rows in FIXTURES:
        data = triples(rows)
        masi = AnnotationTask(data=data, distance=masi_distance).alpha()
        jaccard = AnnotationTask(data=data, distance=jaccard_distance).alpha()
        lines.append("    Fixture(")
        lines.append(f'      name: "{name}",')
        lines.append(f"      masi: {masi!r},")
        lines.append(f"      jaccard: {jaccard!r},")
        lines.append("      units: [")
        for row in rows:
            lines.append(f'        "{row}",')
        lines.append("      ]),")
    lines.append("  ]")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", metavar="SWIFT_FILE")
    args = parser.parse_args()
    table = swift_table()
    if args.check is None:
        sys.stdout.write(table)
        return 0
    with open(args.check, encoding="utf-8") as f:
        if table in f.read():
            print(f"set alpha: {len(FIXTURES)} fixtures match nltk in {args.check}")
            return 0
    sys.stderr.write(f"set alpha: {args.check} does not hold nltk's table; expected:\n{table}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
