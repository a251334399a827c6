#!/usr/bin/env bash
# Hub sync benchmark, with the release build, against a throwaway PostgreSQL (scripts/hub-dev.sh):
#   1. `anno sync` of 1,000 local changes (1,000 tags, one per document, by one annotator);
#   2. the initial pull of 10,000 documents into a new database;
#   3. 20 members syncing at once (each with 50 new tags) against a 100,000-document hub;
#   4. `anno agree --hub` by a manager on that hub (the hub pulled into a temporary copy).
#
# Usage: scripts/bench-hub.sh [BIG_DOCUMENTS]   (default 100000; ANNO_BIN=path uses that binary)
#
# Times are wall-clock seconds (bash's `time`), printed as one line per measurement; the
# databases are in bench-out/hub/ and the hub is stopped and removed at the end.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
big=${1:-100000}
if [[ -n "${ANNO_BIN:-}" ]]; then
  anno="$ANNO_BIN"
else
  (cd "$root" && swift build -c release --product anno >&2)
  anno="$root/.build/release/anno"
fi
out="$root/bench-out/hub"
rm -rf "$out"
mkdir -p "$out"

started=$("$root/scripts/hub-dev.sh" --detach)
port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\) (TLS.*/\1/p' <<<"$started")
owner_password=$(sed -n "s/.*export PGPASSWORD='\([^']*\)'.*/\1/p" <<<"$started")
stop_command=$(sed -n 's/^stop it with: //p' <<<"$started")
trap 'eval "$stop_command" >/dev/null 2>&1 || true' EXIT
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

# A hub database per measurement: `hubdb NAME` creates it and prints the owner's URL.
hubdb() {
  PGPASSWORD=$owner_password "$bin/psql" -qX -h 127.0.0.1 -p "$port" -U anno_admin -d postgres \
    -c "CREATE DATABASE $1" >/dev/null
  echo "postgres://anno_admin@127.0.0.1:$port/$1"
}

# `documents N FILE`: N short seeded documents doc-0 ... doc-(N-1), JSONL.
documents() {
  python3 - "$1" "$2" <<'PY'
import json, random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(1)
words = ["Berlin", "Geneva", "talks", "minister", "met", "the", "council", "said", "on", "Monday"]
with open(path, "w") as f:
    for i in range(n):
        text = "Paris " + " ".join(rng.choice(words) for _ in range(40)) + "."
        f.write(json.dumps({"id": f"doc-{i}", "text": text}) + "\n")
PY
}

# `hub_with N NAME`: a hub initialised from a manager's database of N documents; prints its URL.
hub_with() {
  local url
  url=$(hubdb "$2")
  documents "$1" "$out/$2.jsonl"
  "$anno" --db "$out/$2-manager.sqlite" --annotator manager import "$out/$2.jsonl" >/dev/null
  PGPASSWORD=$owner_password "$anno" --db "$out/$2-manager.sqlite" --annotator manager \
    hub init "$url" --login-prefix "$2_" >/dev/null
  echo "$url"
}

# `member URL DB NAME [ROLE]`: adds NAME as an annotator, or ROLE (password "pw-NAME").
member() {
  echo "pw-$3" | PGPASSWORD=$owner_password "$anno" --annotator manager --db "$out/$2-manager.sqlite" \
    hub add-member "$3" --role "${4:-annotator}" --login "$2_$3" --password-stdin --hub "$1" >/dev/null
}

seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.2f}')"
}

# 1. Sync of 1,000 local changes.
url=$(hub_with 1000 bench_changes)
member "$url" bench_changes ann1
member_url="postgres://bench_changes_ann1@127.0.0.1:$port/bench_changes"
PGPASSWORD=pw-ann1 "$anno" --db "$out/ann1.sqlite" --annotator ann1 sync --hub "$member_url" >/dev/null
python3 -c 'print("\n".join(f"open doc-{i}\ntag LOC \"Paris\"" for i in range(1000)))' >"$out/tags.anno"
"$anno" --db "$out/ann1.sqlite" --annotator ann1 shell --script "$out/tags.anno" >/dev/null
echo "sync of 1,000 local changes: $(PGPASSWORD=pw-ann1 seconds "$anno" --db "$out/ann1.sqlite" --annotator ann1 sync) s"

# 2. Initial pull of 10,000 documents.
url=$(hub_with 10000 bench_pull)
member "$url" bench_pull ann1
member_url="postgres://bench_pull_ann1@127.0.0.1:$port/bench_pull"
echo "initial pull of 10,000 documents: $(PGPASSWORD=pw-ann1 seconds "$anno" --db "$out/pull.sqlite" --annotator ann1 sync --hub "$member_url") s"

# 3. 20 members syncing at once against a hub of $big documents. Every document is assigned
# to two members (m1 and m2 share some, m2 and m3 others, ...); each member holds their share,
# tags the 100 of the first 1,000 documents they hold, then all 20 sync at once.
url=$(hub_with "$big" bench_team)
for i in $(seq 1 20); do member "$url" bench_team "m$i"; done
PGPASSWORD=$owner_password "$bin/psql" -qX -h 127.0.0.1 -p "$port" -U anno_admin -d bench_team -c "
  INSERT INTO anno.assignment (document_id, annotator, position, kind)
  SELECT id, 'm' || (1 + (id - 1) % 20), 2 * ((id - 1) / 20), 'overlap' FROM anno.document
  UNION ALL SELECT id, 'm' || (1 + id % 20), 2 * ((id - 1) / 20) + 1, 'overlap' FROM anno.document" >/dev/null
for i in $(seq 1 20); do
  PGPASSWORD=pw-m$i "$anno" --db "$out/m$i.sqlite" --annotator "m$i" sync \
    --hub "postgres://bench_team_m$i@127.0.0.1:$port/bench_team" >/dev/null
  python3 -c "import sys; i = int(sys.argv[1]); print('\n'.join(f'open doc-{d}\ntag LOC \"Paris\"' for d in range(1000) if d % 20 in ((i - 1) % 20, (i - 2) % 20)))" "$i" \
    >"$out/m$i.anno"
  "$anno" --db "$out/m$i.sqlite" --annotator "m$i" shell --script "$out/m$i.anno" >/dev/null
done
together() {
  for i in $(seq 1 20); do
    (PGPASSWORD=pw-m$i /usr/bin/time -f "%e" -o "$out/m$i.time" \
      "$anno" --db "$out/m$i.sqlite" --annotator "m$i" sync >/dev/null) &
  done
  wait
}
echo "20 members syncing at once, $big-document hub: $(seconds together) s (each member's sync: $(sort -n "$out"/m*.time | sed -n '1p;10p;$p' | paste -sd/) s min/median/max)"

# 4. A manager's agreement report read from the hub of $big documents (max RSS from GNU time).
member "$url" bench_team boss manager
manager_url="postgres://bench_team_boss@127.0.0.1:$port/bench_team"
start=$(date +%s.%N)
PGPASSWORD=pw-boss /usr/bin/time -f "%M" -o "$out/agree.rss" "$anno" agree --hub "$manager_url" \
  --include-unfinished >/dev/null
end=$(date +%s.%N)
echo "agree --hub, $big-document hub: $(python3 -c "print(f'{$end - $start:.2f}')") s, max RSS $(( $(cat "$out/agree.rss") / 1024 )) MiB"
