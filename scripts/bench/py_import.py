#!/usr/bin/env python3
"""The plain Python importer of Anno JSONL, a peer of `anno import` (stdlib sqlite3 + json).

Usage: python3 scripts/bench/py_import.py DB CORPUS.jsonl

What Python annotation tools do: read line by line, json.loads, and insert with executemany in
one transaction into the peers' schema (scripts/bench/peer_schema.sql, Anno's tables). Span
texts are not checked against the document (Anno checks them).
"""

import hashlib
import json
import os
import sqlite3
import sys
import time

BATCH = 2000


def main():
    db_path, corpus = sys.argv[1], sys.argv[2]
    schema = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "peer_schema.sql")).read()
    db = sqlite3.connect(db_path, isolation_level=None)
    db.executescript(schema)
    now = time.time()
    db.execute("BEGIN")
    documents = {}
    annotators = {}
    rows = []

    def flush():
        db.executemany(
            'INSERT INTO annotation (documentId, annotatorId, kind, start, "end", target, value, origin, createdAt, updatedAt)'
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'imported', ?, ?)", rows)
        rows.clear()

    with open(corpus, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            external_id = record["id"]
            text = record.get("text")
            if text is not None and external_id not in documents:
                cursor = db.execute(
                    "INSERT INTO document (externalId, text, title, contentHash, length, importId, importedAt)"
                    " VALUES (?, ?, ?, ?, ?, 1, ?)",
                    (external_id, text, record.get("title"), hashlib.sha256(text.encode("utf-8")).hexdigest(),
                     len(text), now))
                documents[external_id] = cursor.lastrowid
            document = documents[external_id]
            name = record["annotator"]
            if name not in annotators:
                annotators[name] = db.execute(
                    "INSERT INTO annotator (name, createdAt) VALUES (?, ?)", (name, now)).lastrowid
            annotator = annotators[name]
            db.execute(
                "INSERT INTO documentStatus (documentId, annotatorId, status, annotatedKinds, importId, updatedAt)"
                " VALUES (?, ?, ?, 0, 1, ?)", (document, annotator, record.get("status", "done"), now))
            for e in record.get("entities", ()):
                rows.append((document, annotator, "entity", e["start"], e["end"], None, e["label"], now, now))
            for e in record.get("span_sentiments", ()):
                rows.append((document, annotator, "span_sentiment", e["start"], e["end"], None, e["value"], now, now))
            if "sentiment" in record:
                rows.append((document, annotator, "sentiment", None, None, None, record["sentiment"], now, now))
            for s in record.get("stances", ()):
                rows.append((document, annotator, "stance", s.get("start"), s.get("end"), s["target"], s["value"], now, now))
            for field, value in record.get("labels", {}).items():
                rows.append((document, annotator, "label", None, None, field, str(value), now, now))
            for n in record.get("notes", ()):
                rows.append((document, annotator, "note", n.get("start"), n.get("end"), None, n["text"], now, now))
            if len(rows) >= BATCH:
                flush()
    flush()
    db.execute("COMMIT")
    db.close()


if __name__ == "__main__":
    main()
