#!/usr/bin/env python3
"""Inputs for scripts/reliability.sh: corpora, shell scripts, hostile and huge records.

Every document is "w0000 w0001 ..." so token k spans code points 6k..6k+5 and any
`tag PER START:END` on a token boundary is valid.
"""
import json
import sys


def words(n):
    return " ".join("w%04d" % (k % 10000) for k in range(n))


def corpus(docs, nwords, annotated=False):
    text = words(nwords)
    for d in range(docs):
        record = {"id": ("imp-%05d" if annotated else "doc-%05d") % d, "text": text}
        if annotated:
            record.update(annotator="importer", status="done",
                          entities=[{"start": 6 * k, "end": 6 * k + 5, "label": "PER"} for k in range(0, 40, 4)],
                          sentiment="neutral")
        print(json.dumps(record))


def changes(annotator_index, changes, docs):
    """One annotator's shell script: `changes` changes, every 10th a sentiment.

    Prints the script; the expected counts go to stderr as 'changes ENTITIES SENTIMENTS'."""
    values = ["positive", "negative", "neutral"]
    entities = sentiments = 0
    for c in range(changes):
        d, visit = c % docs, c // docs
        print("open doc-%05d" % d)
        if c % 10 == 9:
            print("sentiment %s" % values[visit % 3])
            sentiments += 1
        else:
            k = visit * 3 + annotator_index % 3
            print("tag PER %d:%d" % (6 * k, 6 * k + 5))
            entities += 1
    print("%d %d %d" % (changes, entities, sentiments), file=sys.stderr)


def tags(n, docs):
    """A long tagging script for the kill test: n distinct tags."""
    for c in range(n):
        d, k = c % docs, c // docs
        print("open doc-%05d" % d)
        print("tag PER %d:%d" % (6 * k, 6 * k + 5))


def big_document(megabytes):
    text = words(megabytes * (1 << 20) // 6)
    print(json.dumps({"id": "big", "text": text, "annotator": "big", "status": "done",
                      "entities": [{"start": 0, "end": 5, "label": "PER"}, {"start": len(text) - 5, "end": len(text), "label": "LOC"}]}))


def long_line(megabytes):
    sys.stdout.write('{"id": "huge", "text": "')
    chunk = "x" * (1 << 20)
    for _ in range(megabytes):
        sys.stdout.write(chunk)
    sys.stdout.write('"}\n')


def hostile():
    esc = "\u001b"
    texts = {
        "esc-doc": "Plain start " + esc + "[2J" + esc + "]0;pwned\u0007 then " + esc + "[31mred" + esc + "[0m and \u009b31m C1, DEL \u007f end.",
        "quote'\"; DROP TABLE document; --": "Robert'); DROP TABLE annotation;-- wrote \"this\".",
        "../../escape": "Path id with ../ elements.",
        "/abs/olute": "An absolute-looking id.",
        "line\nbreak": "An id with a newline.",
        "tab\tand\u0007bell": "Control characters in the id.",
        "long-" + "x" * 200: "A long id.",
    }
    for doc_id, text in texts.items():
        print(json.dumps({"id": doc_id, "text": text, "annotator": "hostile", "status": "done",
                          "entities": [{"start": 0, "end": 5, "label": "PER"}],
                          "notes": [{"text": "note with " + esc + "[1m escape, 'quotes', \"dq\", \n newline"}]}))


def nul():
    """U+0000 in a text, an id and a note: stored faithfully, or refused clearly."""
    print(json.dumps({"id": "nul\u0000id", "text": "before \u0000 after", "annotator": "nul", "status": "done",
                      "entities": [{"start": 9, "end": 14, "label": "PER"}], "notes": [{"text": "a \u0000 b"}]}))


def long_id():
    print(json.dumps({"id": "long-" + "x" * 2000, "text": "A very long id.", "annotator": "x", "status": "done",
                      "entities": []}))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"corpus": lambda: corpus(int(args[0]), int(args[1]), len(args) > 2),
     "changes": lambda: changes(int(args[0]), int(args[1]), int(args[2])),
     "tags": lambda: tags(int(args[0]), int(args[1])),
     "big": lambda: big_document(int(args[0])),
     "longline": lambda: long_line(int(args[0])),
     "hostile": hostile, "nul": nul, "longid": long_id}[command]()
