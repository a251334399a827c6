#!/usr/bin/env python3
"""Check the agreement report's golden files against the reference implementations.

Usage: check_agreement_snapshot.py [SNAPSHOTS_DIR]   (default Tests/AnnoReportTests/Snapshots)

agreement-news.txt and agreement-news.md are the report of AgreementFixtures.newsStore():
three annotators on three documents. Their sentiment (ordinal) and topic (nominal) rows are
computed again here from the same ratings, written out below, with Python's krippendorff,
statsmodels and scikit-learn (percent agreement by hand), and must match to the three
decimals printed. Exits 0 when every value matches, 1 with one line per difference.
"""

import itertools
import re
import sys
from pathlib import Path

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

ROOT = Path(__file__).resolve().parent.parent
ANNOTATORS = ["ann1", "ann2", "ann3"]
# Documents geneva-grain-talks, berlin/visit, sport/derby; one value per annotator.
RATINGS = {
    "sentiment": (["negative", "neutral", "positive"],
                  [["negative", "neutral", "negative"],
                   ["positive", "positive", "positive"],
                   ["neutral", "positive", "neutral"]]),
    "topic": (["diplomacy", "politics", "business", "economy", "sport", "science", "technology",
               "health", "culture", "other"],
              [["diplomacy", "diplomacy", "economy"],
               ["diplomacy", "diplomacy", "politics"],
               ["sport", "sport", "sport"]]),
}


def expected(field):
    """(row name, value) pairs for the coefficients table and the pairs table of `field`."""
    categories, units = RATINGS[field]
    codes = np.array([[categories.index(v) for v in unit] for unit in units])
    rows = {}
    pairs = list(itertools.combinations(range(len(ANNOTATORS)), 2))
    rows["percent agreement"] = np.mean(
        [np.mean([u[a] == u[b] for a, b in pairs]) for u in codes])
    reliability = codes.T.astype(float)  # raters × units
    rows["Krippendorff's α nominal"] = krippendorff.alpha(
        reliability_data=reliability, level_of_measurement="nominal")
    if field == "sentiment":
        rows["Krippendorff's α ordinal"] = krippendorff.alpha(
            reliability_data=reliability, level_of_measurement="ordinal")
    table, _ = aggregate_raters(codes, n_cat=len(categories))
    rows["Fleiss' κ"] = fleiss_kappa(table, method="fleiss")
    kappas = {}
    for a, b in pairs:
        kappas[(a, b)] = cohen_kappa_score(codes[:, a], codes[:, b],
                                           labels=list(range(len(categories))))
    rows["mean pairwise Cohen's κ (Light)"] = np.mean(list(kappas.values()))
    pair_rows = {}
    for (a, b), kappa in kappas.items():
        agree = np.mean(codes[:, a] == codes[:, b])
        pair_rows[f"{ANNOTATORS[a]}–{ANNOTATORS[b]}"] = (agree, kappa)
    return rows, pair_rows


def section(text, field, markdown):
    """The lines of `field`'s section."""
    if markdown:
        match = re.search(rf"^## {re.escape(field)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    else:
        match = re.search(rf"^{re.escape(field)}\n(.*?)(?=^\S|\Z)", text, re.M | re.S)
    return match.group(1).splitlines() if match else []


def fmt(value):
    """Three decimals, as the report prints them (no negative zero)."""
    rounded = round(float(value), 3)
    return f"{rounded if rounded != 0 else 0.0:.3f}"


def cells(line, markdown):
    if markdown:
        return [c.strip() for c in line.strip().strip("|").split("|")]
    return re.split(r"\s{2,}", line.strip())


def main(argv):
    folder = Path(argv[1]) if len(argv) > 1 else ROOT / "Tests" / "AnnoReportTests" / "Snapshots"
    failures = []
    for name, markdown in [("agreement-news.txt", False), ("agreement-news.md", True)]:
        text = (folder / name).read_text(encoding="utf-8")
        for field in RATINGS:
            rows, pair_rows = expected(field)
            found = {}
            for line in section(text, field, markdown):
                parts = cells(line, markdown)
                if len(parts) >= 2:
                    found[parts[0]] = parts[1:]
            for row, value in rows.items():
                got = found.get(row, [None])[0]
                if got != fmt(value):
                    failures.append(f"{name} {field}: {row} is {got}, expected {fmt(value)}")
            for pair, (agree, kappa) in pair_rows.items():
                got = found.get(pair, [None, None])[:2]
                if got != [fmt(agree), fmt(kappa)]:
                    failures.append(
                        f"{name} {field}: {pair} agree, Cohen κ {got}, expected "
                        f"{fmt(agree)}, {fmt(kappa)}")
    for failure in failures:
        print(f"FAIL {failure}")
    if failures:
        return 1
    print("agreement snapshots: sentiment and topic rows match krippendorff, statsmodels, "
          "scikit-learn and percent agreement by hand, in text and Markdown")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
