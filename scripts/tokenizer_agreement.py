#!/usr/bin/env python3
"""Token-boundary agreement between Anno's tokenizer and spaCy's blank English tokenizer.

Usage:
  scripts/tokenizer_agreement.py [FILE.jsonl ...] [--anno-cmd CMD] [--min-f1 0.995] [--show 20]
  scripts/tokenizer_agreement.py --emit-swift Sources/AnnoCore

Without files it reads every Corpus/*.txt (recursively) as one document each; with files it
reads JSONL records {"id", "text"}. Each text is tokenized by `spacy.blank("en")` and by Anno's
tokenizer, run as a command that reads JSONL {"id","text"} on stdin and prints one
{"id","tokens":[[start,end,spaceAfter,isSpace],...]} line per record (offsets in code points).
The command is --anno-cmd, else $ANNO_BIN (a binary, run with the argument `tokenize`), else
`swift run -c release anno tokenize`.

It prints precision/recall/F1 of Anno's (start, end) token pairs against spaCy's, for non-space
tokens and for all tokens, the share of documents tokenized identically, the first differences
with context, and the documents per second of both sides. It exits 1 when the non-space F1 is
below --min-f1.

--emit-swift regenerates the data files the Swift tokenizer is built from
(`Tokenizer+Tables.swift`: character classes evaluated with spaCy's own regexes;
`Resources/tokenizer-exceptions.tsv`: the special cases), so they follow spaCy when it changes.
"""

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_docs(paths):
    docs = []
    if paths:
        for path in paths:
            with open(path, encoding="utf-8") as handle:
                for n, line in enumerate(handle):
                    if line.strip():
                        record = json.loads(line)
                        docs.append((str(record.get("id", f"{path}:{n}")), record["text"]))
    else:
        for path in sorted((ROOT / "Corpus").rglob("*.txt")):
            docs.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")))
    return docs


def spacy_tokens(nlp, docs):
    started = time.perf_counter()
    result = {}
    for doc_id, text in docs:
        doc = nlp.make_doc(text)
        result[doc_id] = [
            (t.idx, t.idx + len(t.text), bool(t.whitespace_), t.is_space) for t in doc
        ]
    return result, time.perf_counter() - started


def anno_tokens(command, docs):
    payload = "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in docs)
    started = time.perf_counter()
    proc = subprocess.run(
        command, input=payload.encode("utf-8"), stdout=subprocess.PIPE, check=True
    )
    elapsed = time.perf_counter() - started
    result = {}
    for line in proc.stdout.decode("utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            result[str(record["id"])] = [tuple(t) for t in record["tokens"]]
    return result, elapsed


def continues_cluster(text, i):
    """Whether a boundary before text[i] falls inside a grapheme cluster (the same rules as
    Anno's tokenizer: GB9, GB9a, GB11 and GB12/13, with emoji approximated by category So)."""
    c = text[i]
    if i == 0 or ord(c) < 0x80:
        return False
    if text[i - 1] == "\u200d" and unicodedata.category(c) == "So":
        return True
    if 0x1F1E6 <= ord(c) <= 0x1F1FF:
        j = i - 1
        while j >= 0 and 0x1F1E6 <= ord(text[j]) <= 0x1F1FF:
            j -= 1
        return (i - 1 - j) % 2 == 1
    return (
        c == "\u200d"
        or unicodedata.category(c) in ("Mn", "Me", "Mc")
        or 0x1F3FB <= ord(c) <= 0x1F3FF
        or 0xFE00 <= ord(c) <= 0xFE0F
        or 0xE0100 <= ord(c) <= 0xE01EF
    )


def keep_clusters(text, tokens):
    """spaCy's tokens with the boundaries inside grapheme clusters moved to the cluster's end,
    the one place where Anno departs from spaCy on purpose."""
    out = []
    for tok in tokens:
        start, end = tok[0], tok[1]
        if out and out[-1][1] == start and not tok[3] and not out[-1][3] \
                and continues_cluster(text, start):
            j = start + 1
            while j < end and continues_cluster(text, j):
                j += 1
            prev = out[-1]
            out[-1] = (prev[0], j, prev[2] if j == end else False, prev[3])
            if j < end:
                out.append((j, end, tok[2], tok[3]))
            elif len(tok) > 2:
                out[-1] = (prev[0], j, tok[2], prev[3])
            continue
        out.append(tuple(tok))
    return out


def prf(gold, pred):
    tp = len(gold & pred)
    p = tp / len(pred) if pred else 1.0
    r = tp / len(gold) if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def differences(text, gold, pred, limit):
    """Yields (context, spaCy tokens, Anno tokens) around each stretch where they differ."""
    gold_spans = {(s, e) for s, e, *_ in gold}
    pred_spans = {(s, e) for s, e, *_ in pred}
    out = []
    bad = sorted((gold_spans ^ pred_spans))
    seen_until = -1
    for start, end in bad:
        if start < seen_until or len(out) >= limit:
            continue
        lo, hi = start, end
        # Grow the window until both sides agree at its edges.
        changed = True
        while changed:
            changed = False
            for s, e in gold_spans ^ pred_spans:
                if s < hi and e > lo and (s < lo or e > hi):
                    lo, hi = min(lo, s), max(hi, e)
                    changed = True
        seen_until = hi
        g = [text[s:e] for s, e in sorted(gold_spans) if lo <= s and e <= hi]
        p = [text[s:e] for s, e in sorted(pred_spans) if lo <= s and e <= hi]
        context = text[max(0, lo - 30):hi + 30].replace("\n", "⏎")
        out.append((context, g, p))
    return out


def emit_swift(directory):
    """Writes the generated Swift tables from spaCy's own definitions."""
    import spacy
    from spacy.lang import char_classes as cc
    from spacy.symbols import ORTH

    nlp = spacy.blank("en")
    top = 0x110000
    everything = "".join(chr(c) for c in range(top))

    def members(pattern):
        rx = re.compile(pattern)
        return {m.start() for m in rx.finditer(everything)}

    punct_singles = [re.sub(r"\\(.)", r"\1", p) for p in cc.LIST_PUNCT]
    quote_singles = [re.sub(r"\\(.)", r"\1", q) for q in cc.LIST_QUOTES if q.strip()]
    currency = [re.sub(r"\\(.)", r"\1", c) for c in cc.LIST_CURRENCY]
    classes = [
        ("alpha", members("[" + cc.ALPHA + "]")),
        ("lower", members("[" + cc.ALPHA_LOWER + "]")),
        ("upper", members("[" + cc.ALPHA_UPPER + "]")),
        ("icon", members("[" + cc.ICONS + "]")),
        ("quote", members("[" + cc.CONCAT_QUOTES + "]")),
        # Single-scalar prefixes: the literal one-character entries of TOKENIZER_PREFIXES.
        ("prefix", {ord(x) for x in ["§", "%", "=", "—", "–"] + punct_singles + ["…"]
                    + quote_singles + currency if len(x) == 1} | members("[" + cc.ICONS + "]")),
        # Single-scalar suffixes without a lookbehind.
        ("suffix", {ord(x) for x in punct_singles + ["…"] + quote_singles + ["—", "–"]
                    if len(x) == 1} | members("[" + cc.ICONS + "]")),
        # The lookbehind class of the suffix rule that splits a final period.
        ("dotAfter", members("[0-9{al}{e}{p}(?:{q})]".format(
            al=cc.ALPHA_LOWER, e=r"%²\-\+", q=cc.CONCAT_QUOTES, p=cc.PUNCT))),
        ("space", {c for c in range(top) if chr(c).isspace()}),
        ("digit", members(r"\d")),
        ("word", members(r"\w")),
    ]
    flags = [0] * top
    for bit, (_, cps) in enumerate(classes):
        for c in cps:
            flags[c] |= 1 << bit
    runs = []
    for c in range(top):
        if c == 0 or flags[c] != flags[c - 1]:
            runs.append((c, flags[c]))
    units = cc.UNITS.split("|")
    lines = [
        "// GENERATED by scripts/tokenizer_agreement.py --emit-swift from spaCy "
        + spacy.__version__ + "; do not edit.",
        "// Character classes evaluated with spaCy's own regexes over every code point, as runs.",
        "",
        "extension ScalarClass {",
        "  /// Runs of equal class flags: start code point, flags; a run lasts to the next start.",
        "  static let runs: [UInt32] = [",
    ]
    flat = [v for run in runs for v in run]
    for i in range(0, len(flat), 12):
        lines.append("    " + ", ".join(f"0x{v:X}" for v in flat[i:i + 12]) + ",")
    lines += ["  ]", "}", "", "extension AffixRules {"]
    lines.append("  /// spaCy's UNITS, split after a digit (the list's own quirks kept).")
    lines.append("  static let unitList: [String] = " + swift_list(units))
    lines.append("  /// spaCy's multi-scalar currency symbols, split after a digit or as a prefix.")
    lines.append("  static let currencyList: [String] = " + swift_list(currency))
    lines.append("}")
    (Path(directory) / "Tokenizer+Tables.swift").write_text("\n".join(lines) + "\n")

    entries = []
    for orth, subs in sorted(nlp.tokenizer.rules.items()):
        if orth.isspace():
            continue  # whitespace chunks are single tokens anyway
        pieces = [s[ORTH] for s in subs]
        lengths = [len(p) for p in pieces]
        assert sum(lengths) == len(orth), orth
        entries.append(orth + "\t" + ",".join(map(str, lengths)))
    header = [
        "# spaCy " + spacy.__version__
        + "'s English tokenizer exceptions, one a line: the text, a tab, the lengths of its",
        "# pieces. GENERATED by scripts/tokenizer_agreement.py --emit-swift; do not edit.",
    ]
    (Path(directory) / "Resources" / "tokenizer-exceptions.tsv").write_text(
        "\n".join(header + entries) + "\n", encoding="utf-8")
    print(f"{len(runs)} class runs, {len(entries)} special cases")


def swift_list(items):
    return "[" + ", ".join(json.dumps(i, ensure_ascii=False) for i in items) + "]"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", help="JSONL files of {id, text}; default Corpus/*.txt")
    parser.add_argument("--anno-cmd", help="the command that tokenizes JSONL on stdin")
    parser.add_argument("--min-f1", type=float, default=0.995)
    parser.add_argument("--show", type=int, default=20, help="differences to list")
    parser.add_argument("--show-cluster-differences", action="store_true",
                        help="also list differences that are only grapheme clusters kept whole")
    parser.add_argument("--emit-swift", metavar="DIR", help="regenerate the Swift tables")
    args = parser.parse_args()

    if args.emit_swift:
        emit_swift(args.emit_swift)
        return 0

    import spacy

    if args.anno_cmd:
        command = shlex.split(args.anno_cmd)
    elif os.environ.get("ANNO_BIN"):
        command = [os.environ["ANNO_BIN"], "tokenize"]
    else:
        command = ["swift", "run", "-c", "release", "anno", "tokenize"]

    docs = load_docs(args.files)
    if not docs:
        print("no documents", file=sys.stderr)
        return 2
    nlp = spacy.blank("en")
    gold, spacy_seconds = spacy_tokens(nlp, docs)
    pred, anno_seconds = anno_tokens(command, docs)

    keys = ("nonspace", "all", "nonspace, clusters kept whole")
    totals = {key: [set(), set()] for key in keys}
    identical = identical_clusters = 0
    shown = 0
    for doc_id, text in docs:
        g, p = gold[doc_id], pred.get(doc_id, [])
        p4 = [(s, e, bool(w), bool(sp)) for s, e, w, sp in p]
        gk = keep_clusters(text, g)
        identical += [tuple(t[:4]) for t in g] == p4
        identical_clusters += [tuple(t[:4]) for t in gk] == p4
        for key, gold_tokens, keep in (
            ("nonspace", g, lambda t: not t[3]),
            ("all", g, lambda t: True),
            ("nonspace, clusters kept whole", gk, lambda t: not t[3]),
        ):
            totals[key][0] |= {(doc_id, t[0], t[1]) for t in gold_tokens if keep(t)}
            totals[key][1] |= {(doc_id, t[0], t[1]) for t in p if keep(t)}
        if shown < args.show:
            listed = g if args.show_cluster_differences else gk
            for context, gt, pt in differences(text, listed, p, args.show - shown):
                print(f"[{doc_id}] …{context}…\n   spaCy: {gt}\n   Anno:  {pt}")
                shown += 1

    chars = sum(len(t) for _, t in docs)
    print(f"\n{len(docs)} documents, {chars} characters, spaCy {spacy.__version__} blank English")
    results = {}
    for key in keys:
        p, r, f = prf(*totals[key])
        results[key] = f
        print(f"{key} tokens: precision {p:.5f}  recall {r:.5f}  F1 {f:.5f}"
              f"  (spaCy {len(totals[key][0])}, Anno {len(totals[key][1])})")
    print(f"identical documents: {identical}/{len(docs)} ({100 * identical / len(docs):.1f}%);"
          f" with clusters kept whole: {identical_clusters}/{len(docs)}"
          f" ({100 * identical_clusters / len(docs):.1f}%)")
    print(f"spaCy: {len(docs) / spacy_seconds:,.0f} docs/s ({spacy_seconds:.3f} s);"
          f" Anno command incl. process start: {len(docs) / anno_seconds:,.0f} docs/s"
          f" ({anno_seconds:.3f} s)")
    # The gate is the intended behaviour: spaCy's boundaries, grapheme clusters kept whole.
    gate = "nonspace, clusters kept whole"
    if results[gate] < args.min_f1:
        print(f"FAIL: {gate} F1 {results[gate]:.5f} < {args.min_f1}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
