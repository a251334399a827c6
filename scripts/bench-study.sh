#!/usr/bin/env bash
# Study benchmark: `anno assign`, `anno report study` and the shell's `next` on a corpus of
# N documents (default 100000), with the release build.
#
# Usage: scripts/bench-study.sh [DOCUMENTS]   (ANNO_BIN=path uses that binary)
#
# It generates N short documents (seeded), imports them, times `assign` over 5 annotators
# (20% overlap coded by 2, seed 1), imports a finished sentiment label for every assigned
# document and annotator (read from the database with the sqlite3 shell), times
# `report study --bootstrap 1000`, and measures `next` with ANNO_TIMINGS (200 in a row in
# one shell, then the median and the slowest, in milliseconds). Output in bench-out/study-N/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-100000}"
out="$root/bench-out/study-$n"
mkdir -p "$out"
if [[ -n "${ANNO_BIN:-}" ]]; then
  anno="$ANNO_BIN"
else
  (cd "$root" && swift build -c release --product anno >&2)
  anno="$root/.build/release/anno"
fi
db="$out/study.sqlite"
rm -f "$db" "$db-wal" "$db-shm" "$out/timings.txt"
python3 - "$n" > "$out/docs.jsonl" <<'PY'
import json, random, sys
rng = random.Random(7)
words = "the minister said on tuesday that talks in brussels would continue after a vote".split()
for i in range(int(sys.argv[1])):
    text = " ".join(rng.choice(words) for _ in range(60)).capitalize() + "."
    print(json.dumps({"id": "doc%06d" % i, "text": text}))
PY
"$anno" --db "$db" import "$out/docs.jsonl" > /dev/null
seconds() { python3 -c 'import sys,time,subprocess; t=time.monotonic(); subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); print("%.2f" % (time.monotonic()-t))' "$@"; }
assign_s=$(seconds "$anno" --db "$db" assign --annotators a1,a2,a3,a4,a5 --overlap 0.2 --seed 1)
sqlite3 "$db" "SELECT d.externalId, n.name FROM assignment a JOIN document d ON d.id = a.documentId JOIN annotator n ON n.id = a.annotatorId" \
  | python3 -c '
import json, sys, zlib
values = ["negative", "neutral", "positive"]
for line in sys.stdin:
    doc, name = line.rstrip("\n").split("|")
    h = zlib.crc32(doc.encode()) % 10
    v = "neutral" if h < 7 else values[(h + len(name) + zlib.crc32(name.encode())) % 3]
    print(json.dumps({"id": doc, "annotator": name, "status": "done", "sentiment": v}))
' > "$out/labels.jsonl"
"$anno" --db "$db" import "$out/labels.jsonl" > /dev/null
# `next` walks the queue from the start: leave the first 1000 of a1's queue unfinished.
report_s=$(seconds "$anno" --db "$db" report study --bootstrap 1000 --seed 1)
sqlite3 "$db" "UPDATE documentStatus SET status = 'todo' WHERE annotatorId = (SELECT id FROM annotator WHERE name = 'a1') AND documentId IN (SELECT documentId FROM assignment a JOIN annotator n ON n.id = a.annotatorId WHERE n.name = 'a1' ORDER BY position DESC LIMIT 1000)"
cmds=$(python3 -c 'print("; ".join(["next"] * 200))')
ANNO_TIMINGS="$out/timings.txt" "$anno" --db "$db" --annotator a1 shell -c "$cmds" > /dev/null
python3 - "$out/timings.txt" "$n" "$assign_s" "$report_s" <<'PY'
import statistics, sys
times = [float(l.split()[1]) / 1000 for l in open(sys.argv[1]) if l.startswith("next")]
print("documents %s: assign %s s; report study (1000 replicates) %s s; next median %.2f ms, slowest %.2f ms (%d)" % (
    sys.argv[2], sys.argv[3], sys.argv[4], statistics.median(times), max(times), len(times)))
PY
