#!/usr/bin/env python3
"""Agreement on raw ratings with the Python libraries: the peers of Anno's agreement measures.

Usage: .venv-interop/bin/python scripts/bench/agreement_peers.py RATINGS.csv [--measure NAME]

RATINGS.csv is scripts/bench/gen_corpus.py's ratings.csv: unit,ann1,ann2,ann3 with nominal
values 1..5 and empty cells for missing ratings. --measure is one of
  krippendorff  krippendorff.alpha(reliability_data=..., level_of_measurement='nominal'),
                every unit, missing ratings as NaN (raters x units)
  fleiss        statsmodels fleiss_kappa(aggregate_raters(...)[0]) on the units that all three
                rated (Fleiss' kappa needs the same number of ratings per unit)
  cohen         sklearn cohen_kappa_score on ann1 vs ann2 as string labels, units both rated
  all           the three (default)
Prints one JSON object: {"units", "load_seconds", "<measure>": {"value", "seconds"}, ...};
seconds is the computation alone, after the CSV is loaded into NumPy arrays.
"""

import argparse
import json
import time

import numpy as np


def load(path):
    started = time.perf_counter()
    import pandas  # a dependency of statsmodels
    data = pandas.read_csv(path, usecols=["ann1", "ann2", "ann3"], dtype=float).to_numpy()
    return data, time.perf_counter() - started


def krippendorff_alpha(data):
    import krippendorff
    return float(krippendorff.alpha(reliability_data=data.T, level_of_measurement="nominal",
                                    value_domain=[1.0, 2.0, 3.0, 4.0, 5.0]))


def fleiss(data):
    from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa
    complete = data[~np.isnan(data).any(axis=1)].astype(int)
    table, _ = aggregate_raters(complete)
    return float(fleiss_kappa(table, method="fleiss"))


def cohen(data):
    from sklearn.metrics import cohen_kappa_score
    both = data[~np.isnan(data[:, 0]) & ~np.isnan(data[:, 1])]
    a = both[:, 0].astype(int).astype(str)
    b = both[:, 1].astype(int).astype(str)
    return float(cohen_kappa_score(a, b))


MEASURES = {"krippendorff": krippendorff_alpha, "fleiss": fleiss, "cohen": cohen}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("ratings")
    parser.add_argument("--measure", default="all", choices=["all", *MEASURES])
    args = parser.parse_args()
    data, load_seconds = load(args.ratings)
    result = {"units": int(data.shape[0]), "load_seconds": load_seconds}
    for name, function in MEASURES.items():
        if args.measure in ("all", name):
            started = time.perf_counter()
            value = function(data)
            result[name] = {"value": value, "seconds": time.perf_counter() - started}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
