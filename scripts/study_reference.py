#!/usr/bin/env python3
"""Reference numbers for the study report's sentiment row (StudyWorkflowTests).

Recomputes, independently of Anno, what `anno report study --bootstrap 1000 --seed 5` prints
for document sentiment on the scripted study's overlap set: Krippendorff's alpha (ordinal,
categories negative < neutral < positive), the 95% percentile bootstrap interval over
documents, and the documents needed for an interval narrower than 0.1.

The bootstrap follows Anno's procedure: SplitMix64 (Steele, Lea & Flood 2014) seeded with
--seed; per replicate, n documents drawn with replacement by rejection sampling
(x mod n for x below the largest multiple of n); alpha of the drawn documents; type-7
quantiles (numpy's default) at 2.5% and 97.5% of the defined replicates. Documents needed:
n* = ceil(n * (width / target)^2).

Usage: python3 scripts/study_reference.py  (checks alpha against the `krippendorff` package
when it is installed).
"""
import math

MASK = (1 << 64) - 1
CATEGORIES = ["negative", "neutral", "positive"]
# The overlap documents in document order, each with its two annotators' sentiments
# (from StudyWorkflowTests.makeStudy, seed 2023).
PAIRS = [
    ("neutral", "neutral"), ("neutral", "neutral"), ("neutral", "neutral"),
    ("neutral", "positive"), ("neutral", "neutral"), ("positive", "neutral"),
    ("neutral", "neutral"), ("neutral", "positive"), ("positive", "neutral"),
]


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, bound):
        limit = MASK - (MASK % bound)
        while True:
            x = self.next()
            if x < limit:
                return x % bound


def ordinal_delta2(counts, c, k):
    lo, hi = min(c, k), max(c, k)
    return (sum(counts[lo:hi + 1]) - (counts[c] + counts[k]) / 2) ** 2


def alpha(weights):
    """Ordinal alpha of the pairs weighted by how often each document was drawn."""
    q = len(CATEGORIES)
    o = [[0.0] * q for _ in range(q)]
    for w, (a, b) in zip(weights, PAIRS):
        i, j = CATEGORIES.index(a), CATEGORIES.index(b)
        o[i][j] += w  # each of the unit's two ordered pairs, divided by m - 1 = 1
        o[j][i] += w
    counts = [sum(row) for row in o]
    n = sum(counts)
    if n <= 1:
        return None
    d_o = sum(o[c][k] * ordinal_delta2(counts, c, k) for c in range(q) for k in range(q))
    d_e = sum(counts[c] * counts[k] * ordinal_delta2(counts, c, k)
              for c in range(q) for k in range(q)) / (n - 1)
    if abs(d_e) < 1e-12:
        return None
    return 1 - d_o / d_e


def type7(values, p):
    h = (len(values) - 1) * p
    i = math.floor(h)
    if i + 1 >= len(values):
        return values[-1]
    return values[i] + (h - i) * (values[i + 1] - values[i])


def main(replicates=1000, seed=5, target=0.1):
    n = len(PAIRS)
    point = alpha([1] * n)
    rng = SplitMix64(seed)
    estimates = []
    for _ in range(replicates):
        weights = [0] * n
        for _ in range(n):
            weights[rng.below(n)] += 1
        value = alpha(weights)
        if value is not None:
            estimates.append(value)
    estimates.sort()
    lower, upper = type7(estimates, 0.025), type7(estimates, 0.975)
    width = upper - lower
    exact = n * (width / target) ** 2
    needed = n if width <= target else math.ceil(round(exact * 1e9) / 1e9)
    print(f"alpha {point!r}")
    print(f"interval {lower!r} {upper!r} (defined replicates {len(estimates)})")
    print(f"width {width!r}; documents needed {needed}, more {needed - n}")
    try:
        import krippendorff
        data = [[CATEGORIES.index(a) for a, _ in PAIRS], [CATEGORIES.index(b) for _, b in PAIRS]]
        print("krippendorff package:", krippendorff.alpha(
            reliability_data=data, level_of_measurement="ordinal", value_domain=[0, 1, 2]))
    except ImportError:
        pass


if __name__ == "__main__":
    main()
