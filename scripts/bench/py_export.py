#!/usr/bin/env python3
"""The plain Python exporter of Anno JSONL, a peer of `anno export --format anno --all`.

Usage: python3 scripts/bench/py_export.py DB OUT.jsonl

Reads the database that scripts/bench/sqlite_import.sql built (the peers' schema) with the
stdlib sqlite3 module and writes one json.dumps line per document and annotator (status done),
keys sorted as Anno writes them. Memory stays flat: documents and annotations are read as two
cursors in the same (document, annotator) order and merged.
"""

import json
import sqlite3
import sys


def main():
    db_path, out = sys.argv[1], sys.argv[2]
    db = sqlite3.connect(db_path)
    annotations = db.execute(
        'SELECT documentId, annotatorId, kind, start, "end", target, value FROM annotation'
        " ORDER BY documentId, annotatorId")
    pending = next(annotations, None)
    records = db.execute(
        "SELECT s.documentId, s.annotatorId, d.externalId, d.text, d.title, a.name, s.status"
        " FROM documentStatus s JOIN document d ON d.id = s.documentId JOIN annotator a ON a.id = s.annotatorId"
        " WHERE s.status = 'done' ORDER BY s.documentId, s.annotatorId")
    with open(out, "w", encoding="utf-8") as handle:
        for document, annotator, external_id, text, title, name, status in records:
            entities, span_sentiments, stances, notes, labels = [], [], [], [], {}
            sentiment = None
            while pending is not None and (pending[0], pending[1]) < (document, annotator):
                pending = next(annotations, None)
            while pending is not None and (pending[0], pending[1]) == (document, annotator):
                _, _, kind, start, end, target, value = pending
                if kind == "entity":
                    entities.append({"end": end, "label": value, "start": start, "text": text[start:end]})
                elif kind == "span_sentiment":
                    span_sentiments.append({"end": end, "start": start, "text": text[start:end], "value": value})
                elif kind == "sentiment":
                    sentiment = value
                elif kind == "stance":
                    if start is None:
                        stances.append({"target": target, "value": value})
                    else:
                        stances.append({"end": end, "start": start, "target": target, "text": text[start:end], "value": value})
                elif kind == "label":
                    labels[target] = int(value) if target == "urgency" else value
                elif kind == "note":
                    notes.append({"text": value})
                pending = next(annotations, None)
            record = {"annotator": name, "entities": entities, "id": external_id, "labels": labels, "notes": notes,
                      "offsets": "codepoint", "sentiment": sentiment, "span_sentiments": span_sentiments,
                      "stances": stances, "status": status, "text": text, "title": title}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
