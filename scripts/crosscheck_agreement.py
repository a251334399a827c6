#!/usr/bin/env python3
"""Cross-check Anno's agreement statistics against Python's reference libraries.

Generates seeded random rating studies (2-5 raters, 2-6 categories, some with 10% missing
ratings, some complete), has Anno compute its measures, computes the same measures with

  * krippendorff                    Krippendorff's alpha, nominal/ordinal/interval/ratio
  * sklearn.metrics.cohen_kappa_score  Cohen's kappa per pair: plain, linear, quadratic
  * nltk.metrics.agreement.AnnotationTask  pairwise kappa and pi; multi-rater pi, multi_kappa,
                                    S and alpha (complete data only, see below)
  * statsmodels.stats.inter_rater   Fleiss' kappa and Randolph's (= Bennett's S) kappa
                                    (complete data only)
  * formulas written out here       percent agreement, Fleiss with missing data (Gwet 2014),
                                    Gwet's AC1 (Gwet 2008), Bennett's S, Conger's kappa
                                    (Conger 1980, as in irrCAC), Light's kappa

and exits 1, printing every difference, if any comparable pair differs by more than 1e-9
(or one side is undefined and the other is not).

Run (from the repository root, in a venv with the libraries):

    python3 -m venv /tmp/agree-venv
    /tmp/agree-venv/bin/pip install krippendorff nltk statsmodels scikit-learn numpy
    /tmp/agree-venv/bin/python scripts/crosscheck_agreement.py [--package-path .] [--cases 60]

Sub-commands, so Anno's side can be produced any way (today a Swift Testing hook,
`CrossCheckHookTests`, later `anno agree`):

    crosscheck_agreement.py generate DIR [--cases N] [--seed S]   # writes DIR/ratings.json
    crosscheck_agreement.py compare DIR                          # reads DIR/anno.json too
    crosscheck_agreement.py run [--package-path P]               # generate, swift test, compare

Files. ratings.json: {"cases": [{"name", "categories": [str], "values": [float],
"ratings": [[str or null]]}]}, ratings as units x raters. anno.json: {"cases": [{"name",
"measures": {key: float or null}}]}, null meaning undefined. Keys: percent_agreement,
fleiss_kappa, conger_kappa, gwet_ac1, bennett_s, light_kappa, alpha_<level>, and per pair
"a-b" (0-based, a < b): cohen_kappa/a-b, scott_pi/a-b, percent_agreement/a-b,
weighted_kappa_linear/a-b, weighted_kappa_quadratic/a-b.
"""

import argparse
import itertools
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import warnings

import krippendorff
import numpy as np
from nltk.metrics.agreement import AnnotationTask
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

TOLERANCE = 1e-9


# ----------------------------------------------------------------------------- generation

def generate_cases(count, seed):
    rng = random.Random(seed)
    cases = []
    for n in range(count):
        raters = rng.randint(2, 5)
        q = rng.randint(2, 6)
        units = rng.choice([3, 10, 40, 150, 600])
        missing = 0.0 if n % 3 == 0 else 0.10  # every third case complete (nltk, statsmodels)
        skill = rng.random()  # how often a rater copies the unit's "truth"
        categories = [f"c{k}" for k in range(q)]
        # Distinct positive numeric values, in declared order, for interval/ratio alpha.
        values, v = [], 0.0
        for _ in range(q):
            v += rng.choice([0.5, 1.0, 2.0, 3.5])
            values.append(v)
        ratings = []
        for _ in range(units):
            truth = rng.randrange(q)
            row = []
            for _ in range(raters):
                if rng.random() < missing:
                    row.append(None)
                else:
                    row.append(categories[truth if rng.random() < skill else rng.randrange(q)])
            ratings.append(row)
        cases.append({"name": f"case{n:03d}", "categories": categories, "values": values,
                      "ratings": ratings})
    # Degenerate cases: one category used throughout, and nothing pairable.
    cases.append({"name": "one-category", "categories": ["a", "b", "c"], "values": [1, 2, 3],
                  "ratings": [["b", "b", None]] * 6})
    cases.append({"name": "nothing-pairable", "categories": ["a", "b"], "values": [1, 2],
                  "ratings": [["a", None], [None, "b"]]})
    return cases


# ----------------------------------------------------------------------------- references

def undefined_if_nan(x):
    if x is None:
        return None
    x = float(x)
    return None if (math.isnan(x) or math.isinf(x)) else x


def quietly(f, *args, **kwargs):
    """Calls f; a division by zero, NaN or library error on degenerate data means undefined."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            try:
                return undefined_if_nan(f(*args, **kwargs))
            except (ZeroDivisionError, ValueError, FloatingPointError):
                return None


def indices(case):
    index = {c: k for k, c in enumerate(case["categories"])}
    return [[None if r is None else index[r] for r in row] for row in case["ratings"]]


def chance_corrected(pa, pe):
    if pa is None or pe is None or abs(1 - pe) <= 1e-12:
        return None
    return (pa - pe) / (1 - pe)


def formula_measures(case):
    """Measures no library computes with Anno's conventions, written out from the papers."""
    units = indices(case)
    q = len(case["categories"])
    raters = len(units[0])
    out = {}
    # Percent agreement = Fleiss' P-bar over units with >= 2 ratings (Gwet 2014, ch. 5).
    agreements, shares_sum, rated = [], [0.0] * q, 0
    for row in units:
        got = [r for r in row if r is not None]
        m = len(got)
        if m >= 1:
            rated += 1
            for k in range(q):
                shares_sum[k] += got.count(k) / m
        if m >= 2:
            agreements.append(sum(got.count(k) * (got.count(k) - 1) for k in range(q)) / (m * (m - 1)))
    pa = sum(agreements) / len(agreements) if agreements else None
    shares = [s / rated for s in shares_sum] if rated else None
    out["percent_agreement"] = pa
    # Fleiss' kappa, missing data after Gwet (2014): pi_k over units with >= 1 rating.
    out["fleiss_kappa"] = chance_corrected(pa, sum(s * s for s in shares)) if shares else None
    # Gwet's AC1 (Gwet 2008): pe = sum pi_k (1 - pi_k) / (q - 1), q declared categories.
    out["gwet_ac1"] = (chance_corrected(pa, sum(s * (1 - s) for s in shares) / (q - 1))
                       if shares and q > 1 else None)
    # Bennett, Alpert & Goldstein (1954) S: pe = 1/q.
    out["bennett_s"] = chance_corrected(pa, 1 / q) if q > 1 else None
    # Conger (1980) as irrCAC's conger.kappa.raw: pe = mean over rater pairs of
    # sum_k p_gk p_hk, p_gk = rater g's share of k over all units g rated.
    per_rater = []
    for g in range(raters):
        got = [row[g] for row in units if row[g] is not None]
        per_rater.append([got.count(k) / len(got) for k in range(q)] if got else None)
    if pa is None or any(p is None for p in per_rater):
        out["conger_kappa"] = None
    else:
        pairs = list(itertools.combinations(range(raters), 2))
        pe = sum(sum(per_rater[g][k] * per_rater[h][k] for k in range(q)) for g, h in pairs) / len(pairs)
        out["conger_kappa"] = chance_corrected(pa, pe)
    # Pairwise: Scott's pi and percent agreement over the units both rated.
    for a, b in itertools.combinations(range(raters), 2):
        both = [(row[a], row[b]) for row in units if row[a] is not None and row[b] is not None]
        key = f"{a}-{b}"
        if not both:
            out[f"scott_pi/{key}"] = out[f"percent_agreement/{key}"] = None
            continue
        n = len(both)
        po = sum(x == y for x, y in both) / n
        pooled = [(sum(x == k for x, _ in both) + sum(y == k for _, y in both)) / (2 * n) for k in range(q)]
        out[f"scott_pi/{key}"] = chance_corrected(po, sum(p * p for p in pooled))
        out[f"percent_agreement/{key}"] = po
    return out


def library_measures(case):
    """(key, library name, value) triples from the reference libraries."""
    units = indices(case)
    q = len(case["categories"])
    raters = len(units[0])
    complete = all(r is not None for row in units for r in row)
    found = []

    # krippendorff: alpha at every level. Nominal/ordinal get the category ranks 0..q-1 with
    # value_domain in declared order (so ordinal ranks match Anno's); interval/ratio get the
    # numeric values. Units with fewer than two values are dropped, as in Anno.
    def alpha(data, level, domain):
        return krippendorff.alpha(reliability_data=data, level_of_measurement=level, value_domain=domain)
    ranks = np.array([[np.nan if row[g] is None else row[g] for row in units] for g in range(raters)], float)
    vals = np.array([[np.nan if row[g] is None else case["values"][row[g]] for row in units]
                     for g in range(raters)], float)
    for level, data, domain in [("nominal", ranks, list(range(q))), ("ordinal", ranks, list(range(q))),
                                ("interval", vals, case["values"]), ("ratio", vals, case["values"])]:
        found.append((f"alpha_{level}", "krippendorff", quietly(alpha, data, level, domain)))

    # sklearn: Cohen's kappa per pair on the units both rated; labels= all declared categories
    # so the weights use Anno's 0-based declared ranks (sklearn scales |i-j| differently from
    # |i-j|/(q-1), but the scale cancels in kappa_w). sklearn returns NaN when kappa is 0/0.
    light = []
    for a, b in itertools.combinations(range(raters), 2):
        both = [(row[a], row[b]) for row in units if row[a] is not None and row[b] is not None]
        key = f"{a}-{b}"
        for weights, name in [(None, "cohen_kappa"), ("linear", "weighted_kappa_linear"),
                              ("quadratic", "weighted_kappa_quadratic")]:
            value = (quietly(cohen_kappa_score, [x for x, _ in both], [y for _, y in both],
                             labels=list(range(q)), weights=weights) if both else None)
            found.append((f"{name}/{key}", "sklearn", value))
            if name == "cohen_kappa" and value is not None:
                light.append(value)
        # nltk on the units both rated: kappa() is Cohen's kappa and pi() is Scott's pi for
        # two coders. (nltk assumes every coder labels every item, hence the restriction.)
        # When both coders used one and the same category, pe = 1 and kappa is 0/0: nltk
        # returns 1.0 by convention, Anno (like sklearn) calls it undefined, so such pairs
        # are compared with sklearn and the formulas only.
        if both and len({x for x, _ in both} | {y for _, y in both}) > 1:
            task = AnnotationTask(data=[(c, i, lab) for i, (x, y) in enumerate(both)
                                        for c, lab in (("a", x), ("b", y))])
            found.append((f"cohen_kappa/{key}", "nltk", quietly(task.kappa)))
            found.append((f"scott_pi/{key}", "nltk", quietly(task.pi)))
    # Light's kappa: the mean of the defined pairwise Cohen's kappa (sklearn's values).
    found.append(("light_kappa", "sklearn mean", sum(light) / len(light) if light else None))

    if complete and len(units) > 0:
        # statsmodels needs complete data (every unit the same number of ratings).
        table, _ = aggregate_raters(np.array(units), n_cat=q)
        found.append(("fleiss_kappa", "statsmodels", quietly(fleiss_kappa, table, method="fleiss")))
        # Randolph's free-marginal kappa is Bennett's S with q = the table's columns (declared).
        found.append(("bennett_s", "statsmodels randolph", quietly(fleiss_kappa, table, method="randolph")))
        # nltk multi-coder, complete data only: pi() averages pairwise observed agreement
        # (= Fleiss' P-bar when complete) against pooled shares, i.e. Fleiss' kappa;
        # multi_kappa() (Davies & Fleiss 1982) uses the mean pairwise product of coder
        # marginals, i.e. Conger's kappa; alpha() with binary distance is nominal alpha.
        # nltk's S() uses the number of labels that occur, not the declared ones, so it is
        # compared only when every declared category occurs.
        task = AnnotationTask(data=[(str(g), i, row[g]) for i, row in enumerate(units) for g in range(raters)])
        found.append(("fleiss_kappa", "nltk pi", quietly(task.pi)))
        found.append(("conger_kappa", "nltk multi_kappa", quietly(task.multi_kappa)))
        found.append(("alpha_nominal", "nltk alpha", quietly(task.alpha)))
        if len({r for row in units for r in row}) == q:
            found.append(("bennett_s", "nltk S", quietly(task.S)))
    return found


# ----------------------------------------------------------------------------- comparison

def compare(directory):
    with open(os.path.join(directory, "ratings.json")) as f:
        cases = {c["name"]: c for c in json.load(f)["cases"]}
    with open(os.path.join(directory, "anno.json")) as f:
        anno = {c["name"]: c["measures"] for c in json.load(f)["cases"]}
    failures, compared, worst = [], 0, 0.0
    for name, case in sorted(cases.items()):
        if name not in anno:
            failures.append(f"{name}: missing from anno.json")
            continue
        ours = anno[name]
        references = [(k, "formula", v) for k, v in formula_measures(case).items()]
        references += library_measures(case)
        for key, source, theirs in references:
            if key not in ours:
                failures.append(f"{name} {key}: Anno did not report it")
                continue
            mine = ours[key]
            compared += 1
            if mine is None or theirs is None:
                if (mine is None) != (theirs is None):
                    failures.append(f"{name} {key}: anno={mine} {source}={theirs}")
                continue
            diff = abs(mine - theirs)
            worst = max(worst, diff)
            if diff > TOLERANCE:
                failures.append(f"{name} {key}: anno={mine!r} {source}={theirs!r} diff={diff:.3g}")
    for line in failures:
        print("DIFF", line)
    print(f"compared {compared} values over {len(cases)} cases; max |difference| = {worst:.3g}; "
          f"{len(failures)} failures")
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command")
    g = sub.add_parser("generate")
    g.add_argument("directory")
    c = sub.add_parser("compare")
    c.add_argument("directory")
    r = sub.add_parser("run")
    for p in (parser, g, r):
        p.add_argument("--cases", type=int, default=60)
        p.add_argument("--seed", type=int, default=20240611)
    for p in (parser, r):
        p.add_argument("--package-path", default=".", help="Swift package with AnnoAgreementTests")
    args = parser.parse_args()

    if args.command == "generate":
        os.makedirs(args.directory, exist_ok=True)
        with open(os.path.join(args.directory, "ratings.json"), "w") as f:
            json.dump({"cases": generate_cases(args.cases, args.seed)}, f)
        return 0
    if args.command == "compare":
        return compare(args.directory)

    directory = tempfile.mkdtemp(prefix="anno-crosscheck-")
    with open(os.path.join(directory, "ratings.json"), "w") as f:
        json.dump({"cases": generate_cases(args.cases, args.seed)}, f)
    env = dict(os.environ, ANNO_CROSSCHECK_DIR=directory)
    subprocess.run(["swift", "test", "--disable-xctest", "--package-path", args.package_path, "--filter",
                    "CrossCheckHookTests"], env=env, check=True)
    return compare(directory)


if __name__ == "__main__":
    sys.exit(main())
