#!/usr/bin/env python3
"""After `kill -9` of a shell: every tag the shell acknowledged must be in the database.

usage: verify_acks.py STDOUT DB ANNOTATOR -> prints 'ACKED STORED'; exits 1 on a lost tag."""
import re
import sqlite3
import sys

out, db, annotator = sys.argv[1:]
acked, document = set(), None
for line in open(out, encoding="utf-8", errors="replace"):
    if line.startswith("opened "):
        document = line.split()[1]
    m = re.match(r"tagged .*PER(?:#\d+)? (\d+):(\d+)$", line.strip())
    if m:
        acked.add((document, int(m.group(1)), int(m.group(2))))
con = sqlite3.connect(db)
stored = set(con.execute(
    """SELECT d.externalId, n.start, n."end" FROM annotation n JOIN document d ON d.id = n.documentId
       JOIN annotator a ON a.id = n.annotatorId WHERE a.name = ? AND n.kind = 'entity'""", (annotator,)))
lost = acked - stored
print(len(acked), len(stored))
if lost:
    print("lost acknowledged tags:", sorted(lost)[:10], file=sys.stderr)
    sys.exit(1)
if len(stored) > len(acked) + 1:
    print("more tags stored than acknowledged + 1: %d > %d" % (len(stored), len(acked)), file=sys.stderr)
    sys.exit(1)
