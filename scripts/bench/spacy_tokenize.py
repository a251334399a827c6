#!/usr/bin/env python3
"""spaCy's blank English tokenizer over JSONL {"id", "text"}: the peer of `anno tokenize`.

Usage: .venv-interop/bin/python scripts/bench/spacy_tokenize.py TEXTS.jsonl [--out FILE]

Does the same job as `anno tokenize`: reads the JSONL, tokenizes each text with
spacy.blank("en").tokenizer, and writes one line per document,
{"id", "tokens": [[start, end, space_after, is_space], ...]} (code point offsets), to --out
(default /dev/null). Prints a JSON object to standard output: {"docs", "seconds",
"tokenize_seconds", "tokenize_cpu_seconds"}: seconds is the time of the whole loop (read, tokenize, write), after
importing spaCy and building the tokenizer (spaCy's start-up of about a second is not counted);
tokenize_seconds is the time inside nlp.tokenizer(text) alone, the number the benchmark
compares with (the stricter peer for Anno), and tokenize_cpu_seconds its CPU time.
"""

import argparse
import json
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("texts")
    parser.add_argument("--out", default="/dev/null")
    args = parser.parse_args()
    import spacy
    nlp = spacy.blank("en")
    started = time.perf_counter()
    count = 0
    tokenizing = tokenizing_cpu = 0.0
    with open(args.texts, encoding="utf-8") as handle, open(args.out, "w", encoding="utf-8") as out:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            t0, c0 = time.perf_counter(), time.process_time()
            doc = nlp.tokenizer(record["text"])
            tokenizing += time.perf_counter() - t0
            tokenizing_cpu += time.process_time() - c0
            tokens = [[t.idx, t.idx + len(t.text), bool(t.whitespace_), t.is_space] for t in doc]
            out.write(json.dumps({"id": record.get("id"), "tokens": tokens}, separators=(",", ":")) + "\n")
            count += 1
    print(json.dumps({"docs": count, "seconds": time.perf_counter() - started, "tokenize_seconds": tokenizing,
                      "tokenize_cpu_seconds": tokenizing_cpu}))


if __name__ == "__main__":
    main()
