#!/usr/bin/env python3
"""Load every Anno export with the real libraries and check no span is lost or moved.

Usage:
  interop_check.py ANNO_BIN            import a fixture with the anno CLI, export every
                                       format, and check each export
  interop_check.py --write-fixture F   write the fixture corpus (Anno JSONL) to F and exit
  interop_check.py --files-from DIR    check exports already in DIR (as `exportdemo` writes
                                       them from the fixture), skipping the CLI
  interop_check.py --snapshots DIR     check the export golden files of the Swift tests
                                       (Tests/AnnoFormatsTests/Snapshots) against the same
                                       fixture written here, with the same loaders

Exports checked (names inside the work folder): anno.jsonl, spacy.jsonl, spacy-json.json,
prodigy.jsonl, doccano.jsonl, doccano-cls.jsonl, hf/, conll.conll, brat/, csv.csv,
split/ (spacy, train=0.5,dev=0.5), hf-split/. With ANNO_BIN, also a second database whose
schema declares `topic` multiple: true, exported to spacy, hf, prodigy, doccano, csv and anno.

Exits 0 when every check passes, 1 with one line per failure otherwise.
"""

import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "Guidelines" / "schema.yaml"
ENTITY_LABELS = ["PER", "ORG", "LOC", "MISC"]
SENTIMENTS = ["negative", "neutral", "positive"]
STANCES = ["favor", "against", "neutral"]
TOPICS = ["diplomacy", "politics", "business", "economy", "sport", "science", "technology",
          "health", "culture", "other"]
URGENCY = ["1", "2", "3", "4", "5"]

failures = []


def fail(message):
    failures.append(message)
    print(f"FAIL {message}", flush=True)


def ok(message):
    print(f"ok   {message}", flush=True)


# MARK: - Fixture

def span(text, needle, label, occurrence=1):
    """An entity dict for the n-th occurrence of `needle` (code point offsets)."""
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    return {"start": start, "end": start + len(needle), "label": label, "text": needle}


def fixture():
    """Documents with two annotators: emoji (skin tone, flag, ZWJ), CJK, combining marks, CRLF."""
    records = []
    t1 = "John Kerry met Sergey Lavrov in Sochi🇷🇺 on Tuesday. The U.S. and Russia 👍🏽 agreed."
    t2 = "北京 hosted the 東京 delegation; Zoe\u0308 Dubois-Mu\u0308ller (café owner) spoke."
    t3 = "Angela Merkel visited Paris.\r\nThe EU welcomed it.\r\n\r\nNew\r\nYork was next."
    t4 = "The 👨\u200d👩\u200d👧 family from Kyiv cheered for Ukraine!"
    t5 = "The Bank of England said “Kerry’s plan” failed."
    for annotator in ["alice", "bob"]:
        e1 = [span(t1, "John Kerry", "PER"), span(t1, "Sergey Lavrov", "PER"),
              span(t1, "Sochi", "LOC"), span(t1, "Russia", "LOC")]
        if annotator == "alice":
            e1.append(span(t1, "U.S.", "LOC"))
        records.append({
            "id": "kerry-sochi", "text": t1, "annotator": annotator, "entities": e1,
            "sentiment": "positive" if annotator == "alice" else "neutral",
            "span_sentiments": [dict(span(t1, "John Kerry", "PER"), value="positive") | {"label": None}],
            "stances": [{"target": "Russia", "value": "favor"},
                        {"target": "United States", "value": "favor"}],
            "labels": {"topic": "diplomacy", "urgency": 3 if annotator == "alice" else 4},
        })
        records.append({
            "id": "beijing/cjk", "text": t2, "annotator": annotator,
            "entities": [span(t2, "北京", "LOC"), span(t2, "東京", "LOC"),
                         span(t2, "Zoe\u0308 Dubois-Mu\u0308ller", "PER")],
            "sentiment": "neutral",
            "labels": {"topic": "culture", "urgency": 1},
        })
        ny = span(t3, "New\r\nYork", "LOC")
        records.append({
            "id": "../crlf doc", "text": t3, "annotator": annotator,
            "entities": [span(t3, "Angela Merkel", "PER"), span(t3, "Paris", "LOC"),
                         span(t3, "EU", "ORG"), ny],
            "sentiment": "positive",
            "stances": [{"target": "European Union", "value": "favor",
                         "start": t3.index("The EU"), "end": t3.index("it.") + 3,
                         "text": "The EU welcomed it."}],
            "notes": [{"text": "a city\nacross a line break", "start": ny["start"], "end": ny["end"]}],
            "labels": {"topic": "politics", "urgency": 2},
        })
        e4 = [span(t4, "Kyiv", "LOC")]
        if annotator == "bob":
            e4.append(span(t4, "Ukraine", "LOC"))
        records.append({
            "id": "family-emoji", "text": t4, "annotator": annotator, "entities": e4,
            "sentiment": "positive",
            "stances": [{"target": "Ukraine", "value": "favor"}] if annotator == "bob" else [],
            "labels": {"topic": "sport", "urgency": 5},
        })
        records.append({
            "id": "bank-overlap", "text": t5, "annotator": annotator,
            "entities": [span(t5, "Bank of England", "ORG"), span(t5, "England", "LOC"),
                         span(t5, "Kerry", "PER")],
            "sentiment": "negative",
            "span_sentiments": [{"start": t5.index("“"), "end": t5.index("”") + 1,
                                 "value": "negative", "text": "“Kerry’s plan”"}],
            "labels": {"topic": "economy", "urgency": 3},
        })
    for record in records:
        for s in record.get("span_sentiments", []):
            s.pop("label", None)
            s["text"] = record["text"][s["start"]:s["end"]]
    return records


def write_fixture(path):
    with open(path, "w", encoding="utf-8") as f:
        for record in fixture():
            f.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")


def expected():
    """(id, annotator) -> record, plus derived expectations."""
    return {(r["id"], r["annotator"]): r for r in fixture()}


def snapshot_fixture():
    """ExportTestKit.fixture() of Tests/AnnoFormatsTests, written again from its needles: the
    golden files are checked against this, not against the Swift code that wrote them."""
    t1 = "John Kerry met Sergey Lavrov in Sochi🇷🇺 on Tuesday. The U.S. and Russia 👍🏽 agreed."
    t2 = "北京 hosted the 東京 delegation; Zoe\u0308 Dubois-Mu\u0308ller (café owner) spoke."
    t3 = "Angela Merkel visited Paris.\r\nThe EU welcomed it.\r\n\r\nNew\r\nYork was next."
    t4 = "The 👨\u200d👩\u200d👧 family from Kyiv cheered for Ukraine!"
    t5 = "The Bank of England said “Kerry’s plan” failed."
    return [
        {"id": "kerry-sochi", "text": t1, "annotator": "alice",
         "entities": [span(t1, "John Kerry", "PER"), span(t1, "Sergey Lavrov", "PER"),
                      span(t1, "Sochi", "LOC"), span(t1, "U.S.", "LOC"), span(t1, "Russia", "LOC")],
         "sentiment": "positive",
         "stances": [{"target": "Russia", "value": "favor"}, {"target": "Ukraine", "value": "against"}],
         "labels": {"topic": "diplomacy", "urgency": 3}},
        {"id": "beijing/cjk", "text": t2, "annotator": "alice",
         "entities": [span(t2, "北京", "LOC"), span(t2, "東京", "LOC"),
                      span(t2, "Zoe\u0308 Dubois-Mu\u0308ller", "PER")],
         "sentiment": "neutral", "stances": [], "labels": {"topic": "culture"}},
        {"id": "../crlf doc", "text": t3, "annotator": "bob",
         "entities": [span(t3, "Angela Merkel", "PER"), span(t3, "Paris", "LOC"),
                      span(t3, "EU", "ORG"), span(t3, "New\r\nYork", "LOC")],
         "sentiment": "positive",
         "stances": [{"target": "European Union", "value": "favor",
                      "start": t3.index("The EU"), "end": t3.index("it.") + 3}],
         "labels": {}},
        {"id": "family-emoji", "text": t4, "annotator": "alice",
         "entities": [span(t4, "Kyiv", "LOC"), span(t4, "Ukraine", "LOC")],
         "sentiment": "positive", "stances": [], "labels": {"topic": "sport", "urgency": 5}},
        {"id": "bank-overlap", "text": t5, "annotator": "alice",
         "entities": [span(t5, "Bank of England", "ORG"), span(t5, "England", "LOC"),
                      span(t5, "Kerry", "PER")],
         "sentiment": "negative", "stances": [], "labels": {}},
    ]


# The golden files, and the name each check reads them under.
SNAPSHOTS = [
    ("export-anno.jsonl", "anno.jsonl"), ("export-spacy.jsonl", "spacy.jsonl"),
    ("export-spacy-json.json", "spacy-json.json"), ("export-prodigy.jsonl", "prodigy.jsonl"),
    ("export-doccano.jsonl", "doccano.jsonl"),
    ("export-doccano-classification.jsonl", "doccano-cls.jsonl"),
    ("export-conll.conll", "conll.conll"), ("export-csv.csv", "csv.csv"),
    ("export-hf.txt", "hf"), ("export-brat.txt", "brat"),
]


def unpack_snapshots(snapshots, out):
    """Copies the golden files into `out` under the names the checks read; a folder's golden
    file (`== path ==` before each file's contents, joined by newlines) becomes the folder."""
    out.mkdir()
    for golden, name in SNAPSHOTS:
        data = (Path(snapshots) / golden).read_bytes().decode("utf-8")
        if not golden.endswith(".txt"):
            (out / name).write_text(data, encoding="utf-8", newline="")
            continue
        headers = list(re.finditer(r"^== (.+) ==\n", data, re.M))
        for i, header in enumerate(headers):
            end = headers[i + 1].start() - 1 if i + 1 < len(headers) else len(data)
            path = out / name / header.group(1)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(data[header.end():end], encoding="utf-8", newline="")
    return out


def entity_tuples(record):
    return sorted((e["start"], e["end"], e["label"]) for e in record.get("entities", []))


def layer(nlp, record):
    """The non-overlapping layer spaCy's filter_spans keeps, as (start, end, label)."""
    import spacy
    doc = nlp.make_doc(record["text"])
    spans = []
    for start, end, label in entity_tuples(record):
        s = doc.char_span(start, end, label, alignment_mode="strict")
        if s is None:
            fail(f"fixture {record['id']}: {start}..{end} not on spaCy token boundaries")
            continue
        spans.append(s)
    return sorted((s.start_char, s.end_char, s.label_) for s in spacy.util.filter_spans(spans))


# MARK: - Exports

EXPORTS = [
    ("anno", "anno.jsonl", []),
    ("spacy", "spacy.jsonl", []),
    ("spacy-json", "spacy-json.json", []),
    ("prodigy", "prodigy.jsonl", []),
    ("doccano", "doccano.jsonl", []),
    ("doccano", "doccano-cls.jsonl", ["--kinds", "sentiment,stance,labels"]),
    ("hf", "hf", []),
    ("conll", "conll.conll", []),
    ("brat", "brat", []),
    ("csv", "csv.csv", []),
    ("spacy", "split/", ["--split", "train=0.5,dev=0.5", "--seed", "7"]),
    ("hf", "hf-split", ["--split", "train=0.5,dev=0.5", "--seed", "7"]),
]


def run_cli(anno, work):
    db = str(work / "db.sqlite")
    fixture_path = work / "fixture.jsonl"
    write_fixture(fixture_path)
    out = work / "exports"
    out.mkdir()
    run([anno, "--db", db, "import", str(fixture_path)])
    for fmt, name, extra in EXPORTS:
        # NB: pathlib drops a trailing slash, which asks for a folder of split files.
        target = str(out / name) + ("/" if name.endswith("/") else "")
        run([anno, "--db", db, "export", "--format", fmt, "--all", "--out", target] + extra)
    return out


def run(cmd, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        print(result.stdout[-4000:], result.stderr[-4000:], sep="\n", file=sys.stderr)
        raise SystemExit(f"command failed ({result.returncode}): {' '.join(map(str, cmd))}")
    return result


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def check_anno(out, exp):
    seen = set()
    for row in read_jsonl(out / "anno.jsonl"):
        key = (row["id"], row["annotator"])
        seen.add(key)
        record = exp[key]
        if row.get("offsets") != "codepoint" or row["text"] != record["text"]:
            fail(f"anno {key}: text or offsets unit differ")
        got = sorted((e["start"], e["end"], e["label"]) for e in row.get("entities", []))
        if got != entity_tuples(record):
            fail(f"anno {key}: entities {got} != {entity_tuples(record)}")
        for e in row.get("entities", []):
            if row["text"][e["start"]:e["end"]] != e["text"]:
                fail(f"anno {key}: entity text {e} does not match the text")
    if seen != set(exp):
        fail(f"anno: documents {sorted(seen)} != {sorted(exp)}")
    ok("anno: records, offsets and span texts")


def check_spacy(nlp, out, exp, path="spacy.jsonl"):
    rows = read_jsonl(out / path) if isinstance(path, str) else path
    seen = set()
    for row in rows:
        key = (row["meta"]["id"], row["meta"]["annotator"])
        seen.add(key)
        record = exp[key]
        doc = nlp.make_doc(row["text"])
        ents = []
        for start, end, label in row["entities"]:
            s = doc.char_span(start, end, label, alignment_mode="strict")
            if s is None or s.text != record["text"][start:end]:
                fail(f"spacy {key}: entity {start}..{end} {label} not a strict char_span")
            else:
                ents.append(s)
        try:
            doc.ents = ents
        except ValueError as error:
            fail(f"spacy {key}: entities overlap: {error}")
        got = sorted(tuple(e) for e in row["entities"])
        if got != layer(nlp, record):
            fail(f"spacy {key}: entities {got} != expected {layer(nlp, record)}")
        sc = sorted(tuple(e) for e in row["spans"]["sc"])
        if sc != entity_tuples(record):
            fail(f"spacy {key}: spans.sc {sc} != {entity_tuples(record)}")
        for group, items in row["spans"].items():
            for start, end, label in items:
                if doc.char_span(start, end, label, alignment_mode="strict") is None:
                    fail(f"spacy {key}: spans.{group} {start}..{end} not a strict char_span")
        cats = row["cats"]
        if cats.get(f"sentiment:{record['sentiment']}") != 1.0 or sum(
                v for k, v in cats.items() if k.startswith("sentiment:")) != 1.0:
            fail(f"spacy {key}: cats {cats} do not one-hot sentiment {record['sentiment']}")
        topic = record["labels"].get("topic")
        if topic is not None and cats.get(f"topic:{topic}") != 1.0:
            fail(f"spacy {key}: cats miss topic {topic}")
    if seen != set(exp):
        fail(f"spacy: documents {sorted(seen)} != {sorted(exp)}")
    return seen


def spacy_cli(args, cwd):
    return run([sys.executable, "-m", "spacy"] + args, cwd=cwd)


def load_docbin(nlp, folder):
    from spacy.tokens import DocBin
    docs = []
    for path in sorted(Path(folder).glob("*.spacy")):
        docs += list(DocBin().from_disk(path).get_docs(nlp.vocab))
    return docs


def check_spacy_json(nlp, out, exp, work):
    converted = work / "converted-json"
    converted.mkdir()
    spacy_cli(["convert", str(out / "spacy-json.json"), str(converted), "--converter", "json"], work)
    docs = load_docbin(nlp, converted)
    items = json.load(open(out / "spacy-json.json", encoding="utf-8"))
    if len(docs) != len(exp) or len(items) != len(exp):
        fail(f"spacy-json: {len(docs)} converted docs, {len(items)} items, expected {len(exp)}")
    for item, doc in zip(items, docs):
        key = (item["meta"]["id"], item["meta"]["annotator"])
        record = exp[key]
        if doc.text != record["text"]:
            fail(f"spacy-json {key}: rebuilt text {doc.text!r} != {record['text']!r}")
        got = sorted((e.start_char, e.end_char, e.label_) for e in doc.ents)
        if got != layer(nlp, record):
            fail(f"spacy-json {key}: entities {got} != {layer(nlp, record)}")
    ok(f"spacy-json: spacy convert -> {len(docs)} docs, texts and entities exact")
    return converted


def conll_documents(path):
    """[(tokens, tags)] per document, sentences concatenated, plus sentence tag lists."""
    docs, sentences = [], []
    tokens, tags, sent = [], [], []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("-DOCSTART-"):
            if tokens:
                docs.append((tokens, tags))
            tokens, tags = [], []
            continue
        if not line.strip():
            if sent:
                sentences.append(sent)
            sent = []
            continue
        cols = line.split()
        if len(cols) != 4:
            fail(f"conll: line {line!r} does not have 4 columns")
            continue
        tokens.append(cols[0])
        tags.append(cols[-1])
        sent.append(cols[-1])
    if sent:
        sentences.append(sent)
    if tokens:
        docs.append((tokens, tags))
    return docs, sentences


def expected_token_entities(nlp, record):
    """(label, 'tok tok') for the layer, tokens without whitespace tokens."""
    doc = nlp.make_doc(record["text"])
    result = []
    for start, end, label in layer(nlp, record):
        s = doc.char_span(start, end, label, alignment_mode="strict")
        result.append((label, " ".join(t.text for t in s if not t.is_space)))
    return sorted(result)


def check_conll(nlp, out, exp, keys, work):
    from seqeval.metrics import f1_score
    from seqeval.metrics.sequence_labeling import get_entities
    docs, sentences = conll_documents(out / "conll.conll")
    if len(docs) != len(keys):
        fail(f"conll: {len(docs)} documents, expected {len(keys)}")
    for key, (tokens, tags) in zip(keys, docs):
        record = exp[key]
        got = sorted((label, " ".join(tokens[s:e + 1])) for label, s, e in get_entities(tags))
        want = expected_token_entities(nlp, record)
        if got != want:
            fail(f"conll {key}: seqeval entities {got} != {want}")
    for sent in sentences:
        if sent and sent[0].startswith("I-"):
            fail(f"conll: a sentence starts inside an entity: {sent[:5]}")
    if f1_score(sentences, sentences) != 1.0:
        fail("conll: seqeval f1 of the file against itself is not 1")
    converted = work / "converted-conll"
    converted.mkdir()
    spacy_cli(["convert", str(out / "conll.conll"), str(converted), "--converter", "ner"], work)
    docs_bin = load_docbin(nlp, converted)
    if len(docs_bin) != len(keys):
        fail(f"conll: spacy convert gave {len(docs_bin)} docs, expected {len(keys)}")
    for key, doc in zip(keys, docs_bin):
        got = sorted((e.label_, e.text) for e in doc.ents)
        if got != expected_token_entities(nlp, exp[key]):
            fail(f"conll {key}: spacy convert entities {got}")
    ok(f"conll: seqeval and spacy convert --converter ner agree on {len(keys)} documents")
    return converted


def check_training(work, train_dir, name):
    config = work / "config.cfg"
    if not config.exists():
        spacy_cli(["init", "config", str(config), "--lang", "en", "--pipeline", "ner", "--force"], work)
    train = next(Path(train_dir).glob("*.spacy"))
    spacy_cli(["train", str(config), "--output", str(work / f"model-{name}"),
               "--paths.train", str(train), "--paths.dev", str(train),
               "--training.max_steps", "5", "--training.eval_frequency", "5"], work)
    ok(f"spacy train: 5 steps on the {name} conversion")


def check_prodigy(nlp, out, exp):
    ner = {}
    token_notes = set()
    for task in read_jsonl(out / "prodigy.jsonl"):
        key = (task["meta"]["id"], task["meta"]["annotator"])
        record = exp[key]
        for field in ["_input_hash", "_task_hash"]:
            if not isinstance(task[field], int) or not -2**31 <= task[field] < 2**31:
                fail(f"prodigy {key}: {field} is not a 32-bit int")
        if "tokens" in task:
            spacy_tokens = [(t.idx, t.idx + len(t.text)) for t in nlp.make_doc(task["text"])]
            ours = [(t["start"], t["end"]) for t in task["tokens"]]
            if ours != spacy_tokens and key not in token_notes:
                token_notes.add(key)
                first = next(i for i, (a, b) in enumerate(zip(ours + [None], spacy_tokens + [None])) if a != b)
                print(f"note prodigy {key}: tokens differ from spacy.blank('en') from token {first}: "
                      f"{ours[first:first + 2]} vs {spacy_tokens[first:first + 2]} (Tokenizer, not export)")
            rebuilt = "".join(t["text"] + (" " if t["ws"] else "") for t in task["tokens"])
            if rebuilt != task["text"]:
                fail(f"prodigy {key}: tokens rebuild {rebuilt!r}, not the text")
            for t in task["tokens"]:
                if task["text"][t["start"]:t["end"]] != t["text"]:
                    fail(f"prodigy {key}: token {t} does not match the text")
            for s in task["spans"]:
                tokens = task["tokens"]
                if (tokens[s["token_start"]]["start"] != s["start"]
                        or tokens[s["token_end"]]["end"] != s["end"]
                        or task["text"][s["start"]:s["end"]] != s["text"]):
                    fail(f"prodigy {key}: span {s} inconsistent with its tokens")
        if task["_view_id"] in ("ner_manual", "spans_manual") and "kind" not in task["meta"]:
            ner[key] = sorted((s["start"], s["end"], s["label"]) for s in task["spans"])
    for key, record in exp.items():
        if ner.get(key) != entity_tuples(record):
            fail(f"prodigy {key}: spans {ner.get(key)} != {entity_tuples(record)}")
    stance_hashes = [(t["_annotator_id"], t["_task_hash"]) for t in read_jsonl(out / "prodigy.jsonl")
                     if t.get("label") == "stance"]
    if len(set(stance_hashes)) != len(stance_hashes):
        fail("prodigy: two stance tasks of one annotator share a task hash")
    ok("prodigy: tokens rebuild texts, spans match tokens and the fixture")


def check_doccano(out, exp):
    for row in read_jsonl(out / "doccano.jsonl"):
        key = (row["id"], row["annotator"])
        got = sorted(tuple(x) for x in row["label"])
        if got != entity_tuples(exp[key]):
            fail(f"doccano {key}: {got} != {entity_tuples(exp[key])}")
    for row in read_jsonl(out / "doccano-cls.jsonl"):
        key = (row["id"], row["annotator"])
        record = exp[key]
        want = {record["sentiment"]}
        want |= {f"{field}:{value}" for field, value in record["labels"].items()}
        want |= {f"stance:{s['target']}:{s['value']}" for s in record.get("stances", [])
                 if "start" not in s}
        if set(row["label"]) != want:
            fail(f"doccano-cls {key}: {row['label']} != {sorted(want)}")
    ok("doccano: sequence labels and class labels match")


def check_brat(out, exp):
    folder = out / "brat"
    if not (folder / "annotation.conf").exists():
        fail("brat: annotation.conf missing")
    count = 0
    for ann in sorted(folder.rglob("*.ann")):
        annotator = urllib.parse.unquote(ann.parent.name)
        doc_id = urllib.parse.unquote(ann.stem) if ann.stem != "%" else ""
        key = (doc_id, annotator)
        if key not in exp:
            fail(f"brat: file {ann} does not decode to a fixture document")
            continue
        count += 1
        text = ann.with_suffix(".txt").read_bytes().decode("utf-8")
        if "\r" in text:
            fail(f"brat {key}: .txt keeps CR")
        if text != re.sub(r"\r\n|\r", "\n", exp[key]["text"]):
            fail(f"brat {key}: .txt is not the text with LF line ends")
        got = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            if not line.startswith("T"):
                continue
            tid, middle, span_text = line.split("\t")
            kind, offsets = middle.split(" ", 1)
            pieces = []
            for fragment in offsets.split(";"):
                start, end = map(int, fragment.split())
                pieces.append(text[start:end])
            if " ".join(pieces) != span_text:
                fail(f"brat {key}: {tid} offsets give {' '.join(pieces)!r}, line says {span_text!r}")
            if kind != "Span":
                got.append((kind, span_text))
        want = sorted((e["label"], " ".join(p for p in re.split(r"\r\n|\r|\n", e["text"]) if p))
                      for e in exp[key]["entities"])
        if sorted(got) != want:
            fail(f"brat {key}: entities {sorted(got)} != {want}")
    if count != len(exp):
        fail(f"brat: {count} .ann files, expected {len(exp)}")
    ok(f"brat: {count} documents, offsets match the LF texts, file names decode to ids")


def check_csv(out, exp):
    raw = (out / "csv.csv").read_bytes()
    if raw.startswith(b"\xef\xbb\xbf") or b"\r\n" not in raw:
        fail("csv: BOM present or lines not CRLF")
    rows = list(csv.DictReader(open(out / "csv.csv", encoding="utf-8", newline="")))
    for row in rows:
        record = exp[(row["id"], row["annotator"])]
        if (row["sentiment"] != record["sentiment"]
                or row["topic"] != record["labels"].get("topic", "")
                or row["urgency"] != str(record["labels"].get("urgency", ""))):
            fail(f"csv {row['id']}: {row}")
    if len(rows) != len(exp):
        fail(f"csv: {len(rows)} rows, expected {len(exp)}")
    ok("csv: rows read back by the csv module")


def check_hf(nlp, folder, exp, splits, topics=TOPICS):
    import datasets
    datasets.disable_progress_bars()
    ner = datasets.load_dataset(str(folder), "ner")
    if sorted(ner.keys()) != sorted(splits):
        fail(f"hf {folder.name}: ner splits {sorted(ner.keys())} != {sorted(splits)}")
    names = ner[splits[0]].features["ner_tags"].feature.names
    want_names = ["O"] + [f"{p}-{label}" for label in ENTITY_LABELS for p in "BI"]
    if names != want_names:
        fail(f"hf: ner_tags names {names} != {want_names}")
    seen = Counter()
    ids_by_split = {}
    for split, rows in ner.items():
        for row in rows:
            key = (row["id"], row["annotator"])
            seen[key] += 1
            ids_by_split.setdefault(row["id"], set()).add(split)
            tags = [names[i] for i in row["ner_tags"]]
            from seqeval.metrics.sequence_labeling import get_entities
            got = sorted((label, " ".join(row["tokens"][s:e + 1])) for label, s, e in get_entities(tags))
            if got != expected_token_entities(nlp, exp[key]):
                fail(f"hf ner {key}: {got}")
    if set(seen) != set(exp):
        fail(f"hf ner: rows for {sorted(seen)}")
    if any(len(s) > 1 for s in ids_by_split.values()):
        fail("hf: one document id in two splits")
    for config, want, field in [("sentiment", SENTIMENTS, "sentiment"), ("stance", STANCES, None),
                                ("topic", topics, "topic"), ("urgency", URGENCY, "urgency")]:
        ds = datasets.load_dataset(str(folder), config)
        features = ds[next(iter(ds))].features
        if features["label"].names != want:
            fail(f"hf {config}: label names {features['label'].names} != {want}")
        for rows in ds.values():
            for row in rows:
                record = exp[(row["id"], row["annotator"])]
                label = features["label"].int2str(row["label"])
                if field == "sentiment" and label != record["sentiment"]:
                    fail(f"hf sentiment {row['id']}: {label}")
                if field in ("topic", "urgency") and label != str(record["labels"].get(field)):
                    fail(f"hf {field} {row['id']}: {label}")
                if config == "stance" and {"target": row["target"], "value": label} not in record["stances"]:
                    fail(f"hf stance {row['id']}: {row['target']} {label}")
    ok(f"hf {folder.name}: load_dataset ner/sentiment/stance/topic/urgency with the schema's names")


def check_split(nlp, out, exp):
    parts = {}
    for name in ["train", "dev"]:
        path = out / "split" / f"{name}.jsonl"
        rows = read_jsonl(path)
        parts[name] = {(r["meta"]["id"], r["meta"]["annotator"]) for r in rows}
    if parts["train"] | parts["dev"] != set(exp) or parts["train"] & parts["dev"]:
        fail(f"split: parts {parts} do not partition the documents")
    ids = [{k[0] for k in p} for p in parts.values()]
    if ids[0] & ids[1]:
        fail("split: one document id in both parts")
    check_spacy(nlp, out, {k: exp[k] for k in parts["train"]}, path=str(Path("split") / "train.jsonl"))
    ok(f"split: train {len(parts['train'])}, dev {len(parts['dev'])}, no id in both")


# MARK: - Set-valued fields

MULTI_FIXTURE = [
    {"id": "m1", "annotator": "alice", "text": "Markets fell after the cup final.",
     "labels": {"topic": ["economy", "sport"], "urgency": 2}},
    {"id": "m2", "annotator": "alice", "text": "The minister met bankers in Geneva.",
     "labels": {"topic": ["diplomacy"]}},
    {"id": "m3", "annotator": "bob", "text": "A vaccine trial and a budget vote.",
     "labels": {"topic": ["politics", "science", "health"], "urgency": 4}},
]


def check_multilabel(anno, work):
    """A schema whose `topic` is `multiple: true`: every export carries each set, each its way."""
    folder = work / "multi"
    folder.mkdir()
    schema = SCHEMA.read_text(encoding="utf-8").replace(
        "    level: nominal\n    values: [diplomacy", "    level: nominal\n    multiple: true\n    values: [diplomacy")
    if "multiple: true" not in schema:
        fail("multi: could not declare topic multiple in Guidelines/schema.yaml")
        return
    (folder / "schema.yaml").write_text(schema, encoding="utf-8")
    fixture_path = folder / "fixture.jsonl"
    fixture_path.write_text("".join(json.dumps(r) + "\n" for r in MULTI_FIXTURE), encoding="utf-8")
    db = str(folder / "db.sqlite")
    run([anno, "--db", db, "--schema", str(folder / "schema.yaml"), "import", str(fixture_path)])
    exports = [("spacy", "spacy.jsonl", []), ("hf", "hf", []), ("prodigy", "prodigy.jsonl", []),
               ("doccano", "doccano.jsonl", ["--kinds", "labels"]), ("csv", "csv.csv", []),
               ("anno", "anno.jsonl", [])]
    for fmt, name, extra in exports:
        run([anno, "--db", db, "export", "--format", fmt, "--all", "--out", str(folder / name)] + extra)
    want = {(r["id"], r["annotator"]): set(r["labels"]["topic"]) for r in MULTI_FIXTURE}

    import spacy
    from spacy.training import Example
    nlp = spacy.blank("en")
    for row in read_jsonl(folder / "spacy.jsonl"):
        key = (row["meta"]["id"], row["meta"]["annotator"])
        topics = {k: v for k, v in row["cats"].items() if k.startswith("topic:")}
        example = Example.from_dict(nlp.make_doc(row["text"]), {"cats": row["cats"]})
        if sorted(topics) != sorted(f"topic:{t}" for t in TOPICS):
            fail(f"multi spacy {key}: topic cats {sorted(topics)} are not every declared value")
        chosen = {k.split(":", 1)[1] for k, v in example.reference.cats.items()
                  if k.startswith("topic:") and v == 1.0}
        if chosen != want[key]:
            fail(f"multi spacy {key}: cats choose {sorted(chosen)}, not {sorted(want[key])}")

    import datasets
    ds = datasets.load_dataset(str(folder / "hf"), "topic")
    feature = ds["train"].features["labels"]
    names = feature.feature.names
    if names != TOPICS:
        fail(f"multi hf: labels names {names} != {TOPICS}")
    seen = set()
    for row in ds["train"]:
        key = (row["id"], row["annotator"])
        seen.add(key)
        chosen = {feature.feature.int2str(i) for i in row["labels"]}
        if chosen != want[key]:
            fail(f"multi hf {key}: {sorted(chosen)} != {sorted(want[key])}")
    if seen != set(want):
        fail(f"multi hf: rows for {sorted(seen)}")

    topic_tasks = set()
    for row in read_jsonl(folder / "prodigy.jsonl"):
        if row.get("label") == "topic":
            key = (row["meta"]["id"], row["_annotator_id"])
            topic_tasks.add(key)
            if set(row["accept"]) != want.get(key, set()) or row["_view_id"] != "choice":
                fail(f"multi prodigy {key}: accept {row['accept']}")
    if topic_tasks != set(want):
        fail(f"multi prodigy: topic choice tasks for {sorted(topic_tasks)}")
    for row in read_jsonl(folder / "doccano.jsonl"):
        key = (row["id"], row["annotator"])
        chosen = {label.split(":", 1)[1] for label in row["label"] if label.startswith("topic:")}
        if chosen != want[key]:
            fail(f"multi doccano {key}: {row['label']}")
    with open(folder / "csv.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if set(row["topic"].split(";")) != want[(row["id"], row["annotator"])]:
                fail(f"multi csv {row['id']}: topic cell {row['topic']!r}")
    for row in read_jsonl(folder / "anno.jsonl"):
        if set(row["labels"]["topic"]) != want[(row["id"], row["annotator"])]:
            fail(f"multi anno {row['id']}: {row['labels']}")
    ok("multi: a set-valued topic as spaCy cats (Example.from_dict), HF Sequence(ClassLabel), "
       "Prodigy accept, doccano labels, csv a;b")


def check_layers(anno, work):
    """Layers through spaCy itself: a partial entity layer (two accepted ner.teach tasks) and a
    set annotated only for a class. spaCy must see the accepted spans and every other token as
    missing (never O), and no entity layer at all for the class-only document."""
    folder = work / "layers"
    folder.mkdir()
    text = "Toyota sells the Corolla and Honda the Civic."
    tasks = [
        {"text": text, "_input_hash": 5, "_task_hash": 1, "answer": "accept", "_view_id": "ner",
         "spans": [{"start": 17, "end": 24, "label": "MISC"}]},
        {"text": text, "_input_hash": 5, "_task_hash": 2, "answer": "accept", "_view_id": "ner",
         "spans": [{"start": 39, "end": 44, "label": "MISC"}]},
        {"text": "The cup final went to penalties.", "label": "sport", "answer": "accept",
         "_input_hash": 6, "_view_id": "classification"},
    ]
    (folder / "in.jsonl").write_text("".join(json.dumps(t) + "\n" for t in tasks), encoding="utf-8")
    db = str(folder / "db.sqlite")
    run([anno, "--db", db, "import", str(folder / "in.jsonl")])
    for fmt, name in [("spacy-json", "layers.json"), ("spacy", "layers.jsonl")]:
        run([anno, "--db", db, "export", "--format", fmt, "--all", "--out", str(folder / name)])
    import spacy
    from spacy.training.converters import json_to_docs
    want = {"Corolla": "MISC", "Civic": "MISC"}
    docs = list(json_to_docs(json.load(open(folder / "layers.json", encoding="utf-8"))))
    for doc in docs:
        known = {t.text: t.ent_type_ for t in doc if t.ent_iob_}
        if doc.text == text and known != want:
            fail(f"layers spacy-json: known tokens {known} != {want} (the rest must be missing)")
        if doc.text != text and known:
            fail(f"layers spacy-json: a class-only document has entity tags {known}")
    nlp = spacy.blank("en")
    for row in read_jsonl(folder / "layers.jsonl"):
        if "entities" in row or "sc" in row["spans"]:
            fail(f"layers spacy: {row['meta']['id']} claims a complete entity layer")
        doc = nlp(row["text"])
        spans = [doc.char_span(s, e, label=l, alignment_mode="strict")
                 for s, e, l in row.get("entities_partial", [])]
        doc.set_ents(spans, default="missing")
        known = {t.text: t.ent_type_ for t in doc if t.ent_iob_}
        if known != (want if row["text"] == text else {}):
            fail(f"layers spacy: entities_partial gives {known}")
    ok("layers: ner.teach spans as spaCy's partial annotation (other tokens missing), "
       "a class-only document with no entity layer")


def main(argv):
    if len(argv) == 3 and argv[1] == "--write-fixture":
        write_fixture(argv[2])
        return 0
    if len(argv) != 2 and not (len(argv) == 3 and argv[1] in ("--files-from", "--snapshots")):
        print(__doc__, file=sys.stderr)
        return 64
    import datasets
    import seqeval  # noqa: F401
    import spacy
    print(f"spacy {spacy.__version__}, datasets {datasets.__version__}, python {sys.version.split()[0]}")
    nlp = spacy.blank("en")
    if argv[1] == "--snapshots":
        return check_snapshots(nlp, argv[2])
    exp = expected()
    with tempfile.TemporaryDirectory(prefix="anno-interop-") as tmp:
        work = Path(tmp)
        os.environ["HF_DATASETS_CACHE"] = str(work / "hf-cache")
        out = Path(argv[2]) if argv[1] == "--files-from" else run_cli(argv[1], work)
        # Exports stream in the store's document order; the Anno JSONL export gives that order.
        keys = [(row["id"], row["annotator"]) for row in read_jsonl(out / "anno.jsonl")]
        checks = [
            lambda: check_anno(out, exp),
            lambda: check_spacy(nlp, out, exp) and ok("spacy: strict char_span, doc.ents, spans, cats"),
            lambda: check_training(work, check_spacy_json(nlp, out, exp, work), "spacy-json"),
            lambda: check_training(work, check_conll(nlp, out, exp, keys, work), "conll"),
            lambda: check_prodigy(nlp, out, exp),
            lambda: check_doccano(out, exp),
            lambda: check_brat(out, exp),
            lambda: check_csv(out, exp),
            lambda: check_hf(nlp, out / "hf", exp, ["train"]),
            lambda: check_hf(nlp, out / "hf-split", exp, ["train", "dev"]),
            lambda: check_split(nlp, out, exp),
        ]
        if argv[1] != "--files-from":
            checks.append(lambda: check_multilabel(argv[1], work))
            checks.append(lambda: check_layers(argv[1], work))
        for check in checks:
            try:
                check()
            except SystemExit:
                raise
            except Exception as error:  # a loader crash is a failure, with its message
                fail(f"{type(error).__name__}: {error}")
    if failures:
        print(f"interop: {len(failures)} failure(s)", file=sys.stderr)
        return 1
    print("interop: all checks passed")
    return 0


def check_snapshots(nlp, snapshots):
    """The golden files of ExportSnapshotTests, each through the loader its format is for."""
    topics = ["diplomacy", "politics", "economy", "sport", "culture"]  # ExportTestKit's schema
    exp = {(r["id"], r["annotator"]): r for r in snapshot_fixture()}
    with tempfile.TemporaryDirectory(prefix="anno-snapshots-") as tmp:
        work = Path(tmp)
        os.environ["HF_DATASETS_CACHE"] = str(work / "hf-cache")
        out = unpack_snapshots(snapshots, work / "exports")
        keys = [(row["id"], row["annotator"]) for row in read_jsonl(out / "anno.jsonl")]
        checks = [
            lambda: check_anno(out, exp),
            lambda: check_spacy(nlp, out, exp) and ok("spacy: strict char_span, doc.ents, spans, cats"),
            lambda: check_spacy_json(nlp, out, exp, work),
            lambda: check_conll(nlp, out, exp, keys, work),
            lambda: check_prodigy(nlp, out, exp),
            lambda: check_doccano(out, exp),
            lambda: check_brat(out, exp),
            lambda: check_csv(out, exp),
            lambda: check_hf(nlp, out / "hf", exp, ["train"], topics=topics),
        ]
        for check in checks:
            try:
                check()
            except SystemExit:
                raise
            except Exception as error:  # a loader crash is a failure, with its message
                fail(f"{type(error).__name__}: {error}")
    if failures:
        print(f"snapshots: {len(failures)} failure(s)", file=sys.stderr)
        return 1
    print(f"snapshots: the {len(SNAPSHOTS)} export golden files pass every loader's check")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
