#!/usr/bin/env python3
"""Deterministic synthetic news corpus for Anno's benchmark suite (standard library only).

Usage:
  python3 scripts/bench/gen_corpus.py --docs 10000 --seed 20240611 --out bench-out/10k
  python3 scripts/bench/gen_corpus.py --ratings 1000000 --seed 20240611 --out bench-out/10k

With --docs it writes, streaming (constant memory), into --out:
  corpus.jsonl   Anno JSONL: one record per document and annotator (ann1..ann3), status done;
                 the first record of a document carries text and title, later ones omit them.
  texts.jsonl    {"id", "text"} per document (input of `anno tokenize` and the spaCy peer).
  rows.tsv       the same data already parsed, for the C insert floor: one row per line,
                 fields separated by TAB, newlines inside text written as 0x1F:
                   D <id> <title> <sha256> <length> <text>
                   S <id> <annotator> <status>
                   A <id> <annotator> <kind> <start|-> <end|-> <target|-> <value>
  shell.tsv      for the shell benchmark: <id> TAB <an entity's text> TAB <a word of the text>
  meta.json      docs, seed, generator version and counts; written last, so its presence
                 means the corpus is complete (bench.sh reuses a corpus whose meta matches).

With --ratings N it writes ratings.csv (unit,ann1,ann2,ann3; nominal values 1..5; 10% of the
cells empty, every unit rated at least twice) and ratings.meta.json.

Documents are 2-5 KB of paragraphs with curly quotes, em dashes, emoji (skin tones, flags,
ZWJ sequences), CJK, Hangul, Cyrillic and combining marks. Entity spans are on the names the
generator inserts, so offsets (Unicode code points, Python str indices) are exact. Each
annotator departs from a hidden gold standard: about 85% agreement on labels, some spans
relabelled, shifted or missed, a few extra spans; about 10% of (document, annotator) records
are absent. About 55 annotation rows per document over the 3 annotators.
"""

import argparse
import hashlib
import json
import os
import random
import sys

VERSION = 4
ANNOTATORS = ["ann1", "ann2", "ann3"]
TOPICS = ["diplomacy", "politics", "business", "economy", "sport", "science", "technology", "health",
          "culture", "other"]
SENTIMENTS = ["negative", "neutral", "positive"]
STANCES = ["favor", "against", "neutral"]
TARGETS = ["Russia", "European Union", "United States"]

PER = ["John Kerry", "Sergei Lavrov", "Angela Moreau", "Rafael Albuquerque", "José Núñez", "Zoë Hartmann",
       "Mária Kovács", "Søren Ødegaard", "王小明", "李娜", "김민준", "Анна Петрова", "Dmitri Volkov",
       "Aisha Bello", "Kwame Mensah", "Priya Raman", "Noé Lefèvre", "René Descamps",
       "Chloé Martin", "Hiroshi Tanaka", "Oğuz Yılmaz", "Łukasz Nowak", "Nguyễn Văn An", "Fatima Zahra"]
ORG = ["World Trade Organization", "European Commission", "Gazprom", "Reuters", "Banco Central",
       "Nordic Mining AG", "Toyota", "Médecins Sans Frontières", "Ministry of Finance", "UEFA",
       "Kremlin Press Office", "International Monetary Fund", "Samsung Electronics", "NATO",
       "Société Générale", "BBC", "中国银行", "Roscosmos"]
LOC = ["Brasília", "São Paulo", "Moscow", "Brussels", "Washington", "Sochi", "Kyiv", "Geneva", "Beijing",
       "Seoul", "Lagos", "Zürich", "Kraków", "Reykjavík", "Minas Gerais", "Donbas", "東京", "Ho Chi Minh City"]
MISC = ["Olympic Games", "Paris Agreement", "COP29", "Brazilian", "European", "Nobel Prize",
        "Champions League", "iPhone", "Euro 2028", "Ukrainian", "Russian", "Schengen Agreement"]
ENTITY_POOLS = [("PER", PER), ("ORG", ORG), ("LOC", LOC), ("MISC", MISC)]
TARGET_MENTIONS = {"Russia": ["Russia", "Moscow", "the Kremlin"],
                   "European Union": ["the European Union", "the EU", "Brussels"],
                   "United States": ["the United States", "Washington", "the U.S."]}

WORDS = ("government economy growth forecast tariffs exports farmers trade policy officials talks "
         "negotiations summit ministers analysts market prices inflation investment energy gas oil "
         "sanctions security agreement reform election voters campaign parliament court ruling "
         "report statement spokesman crisis recovery budget deficit jobs workers industry season "
         "match coach players stadium fans research scientists vaccine hospital patients study data "
         "network platform software launch festival museum exhibition audience record week month "
         "year region border capital coast village river harbour factory company shares profit").split()
VERBS = ["said", "warned", "announced", "denied", "confirmed", "argued", "insisted", "suggested",
         "told reporters", "wrote", "added"]
EXTRAS = ["👍🏽", "🇺🇦", "🇪🇺", "👩‍💻", "👨‍👩‍👧", "🙏🏿", "🎉", "⚽", "📈", "😂", "🇧🇷"]
ODD = ["café", "Café",  # the second written as e + U+0301 below
       "naïve", "façade", "Ångström", "Straße", "東京証券取引所", "서울", "Москва", "¥1,200", "€3.4bn",
       "£250m", "42 %", "3½"]
ODD[1] = "Cafe\u0301"


class Text:
    """Builds a document text while tracking code point offsets of inserted names."""

    def __init__(self):
        self.parts = []
        self.length = 0
        self.entities = []  # (start, end, label)
        self.quotes = []    # (start, end) of quoted speech
        self.mentions = {}  # target -> number of mentions

    def add(self, s):
        self.parts.append(s)
        self.length += len(s)

    def entity(self, label, name):
        start = self.length
        self.add(name)
        self.entities.append((start, self.length, label))

    def value(self):
        return "".join(self.parts)


def filler(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def sentence(rng, t):
    """Appends one sentence of one of a few shapes."""
    if rng.random() < 0.79:  # most sentences name nobody
        t.add(filler(rng, rng.randint(6, 16)).capitalize())
        if rng.random() < 0.25:
            t.add(" " + rng.choice(ODD) + " " + filler(rng, rng.randint(1, 4)))
        t.add(rng.choice([".", ".", ".", "?", " \u2014 " + filler(rng, 3) + "."]))
        return
    shape = rng.random()
    label, pool = rng.choice(ENTITY_POOLS)
    if shape < 0.35:
        t.add(filler(rng, rng.randint(2, 5)).capitalize() + " in ")
        t.entity("LOC", rng.choice(LOC))
        t.add(" " + filler(rng, rng.randint(3, 8)) + ", ")
        t.entity("PER", rng.choice(PER))
        t.add(" " + rng.choice(VERBS) + " on " + rng.choice(["Monday", "Tuesday", "Thursday", "Friday"]) + ".")
    elif shape < 0.6:
        t.add("\u201c")
        q0 = t.length
        t.add(filler(rng, rng.randint(5, 12)).capitalize())
        if rng.random() < 0.5:
            target = rng.choice(TARGETS)
            t.add(" " + rng.choice(TARGET_MENTIONS[target]) + " " + filler(rng, rng.randint(2, 5)))
            t.mentions[target] = t.mentions.get(target, 0) + 1
        t.add(",")
        t.quotes.append((q0, t.length - 1))
        t.add("\u201d " + rng.choice(VERBS) + " ")
        t.entity("PER", rng.choice(PER))
        t.add(", of ")
        t.entity("ORG", rng.choice(ORG))
        t.add(".")
    elif shape < 0.8:
        t.add("The ")
        t.entity(label, rng.choice(pool))
        t.add(" \u2014 " + filler(rng, rng.randint(3, 6)) + " \u2014 " + filler(rng, rng.randint(4, 9)) + " ")
        if rng.random() < 0.4:
            t.add(rng.choice(ODD) + " ")
        t.add(filler(rng, rng.randint(2, 5)) + ".")
    else:
        target = rng.choice(TARGETS)
        t.add("Relations between " + rng.choice(TARGET_MENTIONS[target]) + " and ")
        t.entity("LOC", rng.choice(LOC))
        t.mentions[target] = t.mentions.get(target, 0) + 1
        t.add(" " + filler(rng, rng.randint(4, 10)) + " \u2018" + filler(rng, 2) + "\u2019 ")
        t.entity("MISC", rng.choice(MISC))
        t.add(" " + filler(rng, rng.randint(2, 4)) + ".")
    if rng.random() < 0.12:
        t.add(" " + rng.choice(EXTRAS))


def make_document(rng, n):
    doc_id = "doc-%06d" % n
    title = "%s %s %s" % (rng.choice(LOC), rng.choice(VERBS).split()[0], filler(rng, rng.randint(3, 6)))
    t = Text()
    target_bytes = rng.randint(2000, 4500)
    byte_len = 0
    while True:
        mark = len(t.parts)
        for _ in range(rng.randint(2, 5)):
            sentence(rng, t)
            t.add(" ")
        t.parts[-1] = "\n\n"  # the paragraph ends (replacing the last " ")
        t.length += 1
        byte_len += sum(len(p.encode("utf-8")) for p in t.parts[mark:])
        if byte_len >= target_bytes and t.entities:
            break
    t.parts[-1] = "\n"
    t.length -= 1
    text = t.value()
    assert len(text) == t.length
    gold = {
        "entities": t.entities,
        "sentiment": rng.choice(SENTIMENTS),
        "topic": rng.choice(TOPICS),
        "urgency": rng.randint(1, 5),
        "stances": {target: rng.choice(STANCES) for target in t.mentions},
        "quotes": t.quotes,
    }
    return doc_id, title, text, gold


def other(rng, values, value):
    return rng.choice([v for v in values if v != value])


def shifted(rng, text, start, end):
    """A plausibly wrong boundary: drop the last word, or take in the word before."""
    name = text[start:end]
    if " " in name and rng.random() < 0.6:
        return start, start + name.rindex(" ")
    before = max(text.rfind(" ", 0, start - 1), text.rfind("\n", 0, start - 1)) + 1
    if 0 <= before < start - 1:
        return before, end
    return start, min(end + 1, len(text))


def annotate(rng, text, gold):
    """One annotator's labels, departing from gold."""
    spans = set()
    entities = []
    for start, end, label in gold["entities"]:
        r = rng.random()
        if r < 0.05:
            continue  # missed
        if r < 0.10:
            label = other(rng, ["PER", "ORG", "LOC", "MISC"], label)
        elif r < 0.15:
            start, end = shifted(rng, text, start, end)
        if start < end and (start, end, label) not in spans:
            spans.add((start, end, label))
            entities.append((start, end, label))
    if rng.random() < 0.3:  # a spurious span on a filler word
        at = rng.randrange(len(text) - 20)
        s = text.find(" ", at) + 1
        e = text.find(" ", s)
        if 0 < s < e and "\n" not in text[s:e] and (s, e, "MISC") not in spans:
            entities.append((s, e, "MISC"))
    record = {"entities": [{"start": s, "end": e, "label": l, "text": text[s:e]} for s, e, l in entities]}

    sentiment = gold["sentiment"] if rng.random() < 0.85 else other(rng, SENTIMENTS, gold["sentiment"])
    record["sentiment"] = sentiment

    span_sentiments = []
    seen = set()
    for s, e, l in entities[: rng.randint(1, 3)]:
        value = SENTIMENTS[s % 3] if rng.random() < 0.85 else other(rng, SENTIMENTS, SENTIMENTS[s % 3])
        if (s, e, value) not in seen:
            seen.add((s, e, value))
            span_sentiments.append({"start": s, "end": e, "value": value, "text": text[s:e]})
    record["span_sentiments"] = span_sentiments

    stances = []
    for target, value in gold["stances"].items():
        if rng.random() < 0.9:
            if rng.random() >= 0.85:
                value = other(rng, STANCES, value)
            stances.append({"target": target, "value": value})
    for q0, q1 in gold["quotes"][:2]:
        if rng.random() < 0.8:
            stances.append({"target": TARGETS[q0 % 3], "value": STANCES[(q0 + (rng.random() < 0.15)) % 3],
                            "start": q0, "end": q1, "text": text[q0:q1]})
    record["stances"] = stances

    topic = gold["topic"] if rng.random() < 0.85 else other(rng, TOPICS, gold["topic"])
    urgency = gold["urgency"]
    if rng.random() >= 0.85:
        urgency = max(1, min(5, urgency + rng.choice([-1, 1])))
    record["labels"] = {"topic": topic, "urgency": urgency}
    record["notes"] = [{"text": "check the quote"}] if rng.random() < 0.05 else []
    return record


def row_field(value):
    return "-" if value is None else str(value).replace("\n", "\x1f")


def generate_corpus(docs, seed, out):
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    counts = {"documents": 0, "records": 0, "annotation_rows": 0, "corpus_bytes": 0, "text_bytes": 0}
    paths = {name: os.path.join(out, name + ".tmp") for name in ("corpus.jsonl", "texts.jsonl", "rows.tsv", "shell.tsv")}
    with open(paths["corpus.jsonl"], "w", encoding="utf-8") as corpus, \
            open(paths["texts.jsonl"], "w", encoding="utf-8") as texts, \
            open(paths["rows.tsv"], "w", encoding="utf-8") as rows, \
            open(paths["shell.tsv"], "w", encoding="utf-8") as shell:
        for n in range(1, docs + 1):
            doc_id, title, text, gold = make_document(rng, n)
            present = [a for a in ANNOTATORS if rng.random() >= 0.10] or [rng.choice(ANNOTATORS)]
            texts.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
            rows.write("D\t%s\t%s\t%s\t%d\t%s\n" % (doc_id, row_field(title),
                       hashlib.sha256(text.encode("utf-8")).hexdigest(), len(text), row_field(text)))
            first = gold["entities"][0]
            shell.write("%s\t%s\t%s\n" % (doc_id, text[first[0]:first[1]], WORDS[n % len(WORDS)]))
            counts["documents"] += 1
            counts["text_bytes"] += len(text.encode("utf-8"))
            for i, annotator in enumerate(ANNOTATORS):
                if annotator not in present:
                    continue
                labels = annotate(rng, text, gold)
                record = {"id": doc_id}
                if annotator == present[0]:
                    record["text"] = text
                    record["title"] = title
                record.update({"annotator": annotator, "status": "done", "offsets": "codepoint"})
                record.update(labels)
                line = json.dumps(record, ensure_ascii=False) + "\n"
                corpus.write(line)
                counts["records"] += 1
                counts["corpus_bytes"] += len(line.encode("utf-8"))
                rows.write("S\t%s\t%s\tdone\n" % (doc_id, annotator))
                n_rows = 0
                for e in labels["entities"]:
                    rows.write("A\t%s\t%s\tentity\t%d\t%d\t-\t%s\n" % (doc_id, annotator, e["start"], e["end"], e["label"]))
                    n_rows += 1
                for e in labels["span_sentiments"]:
                    rows.write("A\t%s\t%s\tspan_sentiment\t%d\t%d\t-\t%s\n" % (doc_id, annotator, e["start"], e["end"], e["value"]))
                    n_rows += 1
                rows.write("A\t%s\t%s\tsentiment\t-\t-\t-\t%s\n" % (doc_id, annotator, labels["sentiment"]))
                n_rows += 1
                for s in labels["stances"]:
                    rows.write("A\t%s\t%s\tstance\t%s\t%s\t%s\t%s\n" % (
                        doc_id, annotator, row_field(s.get("start")), row_field(s.get("end")), s["target"], s["value"]))
                    n_rows += 1
                for field, value in labels["labels"].items():
                    rows.write("A\t%s\t%s\tlabel\t-\t-\t%s\t%s\n" % (doc_id, annotator, field, value))
                    n_rows += 1
                for note in labels["notes"]:
                    rows.write("A\t%s\t%s\tnote\t-\t-\t-\t%s\n" % (doc_id, annotator, note["text"]))
                    n_rows += 1
                counts["annotation_rows"] += n_rows
    for name, tmp in paths.items():
        os.replace(tmp, os.path.join(out, name))
    meta = {"generator_version": VERSION, "docs": docs, "seed": seed, **counts}
    with open(os.path.join(out, "meta.json"), "w") as handle:
        json.dump(meta, handle, indent=2)
    return meta


def generate_ratings(units, seed, out):
    """Nominal ratings 1..5 for `units` units by 3 raters; 10% of cells empty, >= 2 per unit."""
    rng = random.Random(seed ^ 0x5EED)
    os.makedirs(out, exist_ok=True)
    tmp = os.path.join(out, "ratings.csv.tmp")
    with open(tmp, "w") as handle:
        handle.write("unit,ann1,ann2,ann3\n")
        for u in range(units):
            truth = rng.randint(1, 5)
            cells = [str(truth if rng.random() < 0.85 else rng.randint(1, 5)) for _ in range(3)]
            missing = rng.random()
            if missing < 0.30:  # 30% of units lack one rating: 10% of cells
                cells[rng.randrange(3)] = ""
            handle.write("%d,%s\n" % (u, ",".join(cells)))
    os.replace(tmp, os.path.join(out, "ratings.csv"))
    meta = {"generator_version": VERSION, "units": units, "seed": seed}
    with open(os.path.join(out, "ratings.meta.json"), "w") as handle:
        json.dump(meta, handle, indent=2)
    return meta


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, help="number of documents")
    parser.add_argument("--ratings", type=int, help="number of rating units (ratings.csv)")
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.docs:
        json.dump(generate_corpus(args.docs, args.seed, args.out), sys.stdout)
        print()
    if args.ratings:
        json.dump(generate_ratings(args.ratings, args.seed, args.out), sys.stdout)
        print()


if __name__ == "__main__":
    main()
