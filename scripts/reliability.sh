#!/usr/bin/env bash
# Reliability checks that are too slow for `swift test`: "nothing lost, nobody locked out".
#
#   scripts/reliability.sh --quick    CI: 8 x 100 changes, 3 kills each, 10,000 fuzz inputs each
#   scripts/reliability.sh --full     8 x 1,000 changes, 20 kills each, 100,000 fuzz inputs each
#
# Sections: concurrency (writers + readers + backup), kill -9 (import, shell, export),
# faults (read-only, missing folder, full disk, file-size limit, not a database), hostile
# text, huge inputs (10 MB documents, 100 MB lines, peak RSS), fuzzing (parsers through
# the Fuzz/ driver, shell commands through the binary), and the import campaign (20,000
# mutated records in 40 batches through 'anno import --skip-invalid' and the shell's
# import). Prints the figures it measured.
#
# Environment: ANNO=path/to/anno (default: build debug), SKIP_FUZZ_BUILD=1 with
# ANNO_FUZZ=path/to/anno-fuzz, KEEP=1 keeps the scratch folder.
set -euo pipefail

mode=quick
for arg in "$@"; do
  case "$arg" in
    --quick) mode=quick ;;
    --full) mode=full ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option '$arg' (use --quick or --full)" >&2; exit 64 ;;
  esac
done
if [ "$mode" = full ]; then
  PROCS=8 CHANGES=1000 KILLS=20 FUZZ=100000 SHELL_LINES=100000 IMPORT_DOCS=10000
else
  PROCS=8 CHANGES=100 KILLS=3 FUZZ=10000 SHELL_LINES=10000 IMPORT_DOCS=5000
fi
# The import campaign, in both modes: mutated records in batches through the binary.
IMPORT_LINES=20000 IMPORT_BATCHES=40

root=$(cd "$(dirname "$0")/.." && pwd)
gen="python3 $root/scripts/reliability/gen.py"
if [ -z "${ANNO:-}" ]; then
  (cd "$root" && swift build --product anno >/dev/null)
  ANNO="$root/.build/debug/anno"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/anno-reliability.XXXXXX")
mounts=()
cleanup() {
  for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || true; done
  if [ -z "${KEEP:-}" ]; then rm -rf "$work"; else echo "kept $work"; fi
}
trap cleanup EXIT
export NO_COLOR=1 ANNO_ANNOTATOR=reliability
failures=0
figures=()
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
figure() { figures+=("$*"); echo "  $*"; }
now() { date +%s.%N; }
q() { sqlite3 "$1" "$2"; }

# Runs the binary expecting one clean error: non-zero status below 128, one stderr line, no trap.
expect_clean_error() {
  local what=$1; shift
  local status=0
  "$@" >"$work/out" 2>"$work/err" || status=$?
  local lines; lines=$(wc -l <"$work/err")
  if [ "$status" -eq 0 ] || [ "$status" -ge 128 ] || [ "$lines" -ne 1 ] || grep -qiE 'fatal error|stack|backtrace' "$work/err"; then
    fail "$what: status $status, stderr: $(head -c 400 "$work/err")"
  else
    ok "$what: exit $status, '$(cat "$work/err")'"
  fi
}

# Peak resident set size in MiB of a command (its status is ignored).
peak_rss() {
  local log=$work/time.log
  /usr/bin/time -f %M -o "$log" "$@" >/dev/null 2>"$work/rss-err" || true
  echo $(($(tail -1 "$log") / 1024))
}

echo "== concurrency: $PROCS processes x $CHANGES changes, readers and a backup meanwhile"
db=$work/team.sqlite
$gen corpus 100 300 >"$work/docs.jsonl"
$ANNO --db "$db" import "$work/docs.jsonl" >/dev/null
[ "$(q "$db" 'PRAGMA journal_mode')" = wal ] || fail "journal_mode is not wal"
expected_entities=0
for p in $(seq 1 "$PROCS"); do
  $gen changes "$p" "$CHANGES" 100 >"$work/script-$p.anno" 2>"$work/expect-$p"
  expected_entities=$((expected_entities + $(cut -d' ' -f2 "$work/expect-$p")))
done
start=$(now)
pids=()
for p in $(seq 1 "$PROCS"); do
  $ANNO --db "$db" --annotator "ann$p" shell --script "$work/script-$p.anno" >"$work/shell-$p.out" 2>"$work/shell-$p.err" &
  pids+=($!)
done
readers=0 reader_failures=0
sleep 0.5
while kill -0 "${pids[0]}" 2>/dev/null; do
  readers=$((readers + 1))
  $ANNO --db "$db" export --include-unfinished --out "$work/snapshot.jsonl" 2>/dev/null || reader_failures=$((reader_failures + 1))
  python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$work/snapshot.jsonl" || reader_failures=$((reader_failures + 1))
  $ANNO --db "$db" stats --format json >/dev/null || reader_failures=$((reader_failures + 1))
  if [ "$readers" -eq 1 ]; then
    $ANNO --db "$db" backup "$work/during.sqlite" >/dev/null || reader_failures=$((reader_failures + 1))
  fi
done
for i in "${!pids[@]}"; do
  status=0
  wait "${pids[$i]}" || status=$?
  p=$((i + 1))
  [ "$status" -eq 0 ] || fail "writer ann$p exited $status"
  [ ! -s "$work/shell-$p.err" ] || fail "writer ann$p wrote to stderr: $(head -3 "$work/shell-$p.err")"
done
seconds=$(echo "$(now) - $start" | bc)
stored=$(q "$db" "SELECT count(*) FROM annotation WHERE kind = 'entity'")
events=$(q "$db" "SELECT count(*) FROM event WHERE action = 'change'")
locked=$(cat "$work"/shell-*.err | grep -c 'locked' || true)
[ "$stored" -eq "$expected_entities" ] || fail "entities: $stored stored, $expected_entities expected"
[ "$events" -eq $((PROCS * CHANGES)) ] || fail "change events: $events, expected $((PROCS * CHANGES))"
for p in $(seq 1 "$PROCS"); do
  n=$($ANNO --db "$db" --annotator "ann$p" shell -c "history $((CHANGES + 10))" | tail -n +2 | grep -c ' change ' || true)
  [ "$n" -eq "$CHANGES" ] || fail "history of ann$p shows $n changes, expected $CHANGES"
done
[ "$reader_failures" -eq 0 ] || fail "$reader_failures reader failures"
$ANNO --db "$work/during.sqlite" check >/dev/null || fail "the backup taken during the writes does not pass check"
$ANNO --db "$db" check >/dev/null || fail "check after the writes"
figure "concurrency: $PROCS processes x $CHANGES changes = $((PROCS * CHANGES)) changes held ($stored spans, $((PROCS * CHANGES - stored)) sentiment changes, $events change events) in ${seconds%.*} s; $readers export+stats rounds and 1 backup meanwhile; 'database is locked' seen $locked times"

echo "== kill -9 during a large import ($IMPORT_DOCS documents), $KILLS times"
$gen corpus "$IMPORT_DOCS" 200 annotated >"$work/big-import.jsonl"
base=$work/base.sqlite
$ANNO --db "$base" import "$work/docs.jsonl" >/dev/null
base_docs=$(q "$base" "SELECT count(*) FROM document")
cp "$base" "$work/timing.sqlite"
start=$(now)
$ANNO --db "$work/timing.sqlite" import "$work/big-import.jsonl" >/dev/null
import_seconds=$(echo "$(now) - $start" | bc)
full_docs=$(q "$work/timing.sqlite" "SELECT count(*) FROM document")
absent=0 present=0 late=0
for k in $(seq 1 "$KILLS"); do
  victim=$work/kill-import-$k.sqlite
  cp "$base" "$victim"
  $ANNO --db "$victim" import "$work/big-import.jsonl" >/dev/null 2>&1 &
  pid=$!
  # Odd kills land anywhere; even ones near the end, where the commit happens.
  if [ $((k % 2)) -eq 1 ]; then range="0.05, $import_seconds"; else range="$import_seconds * 0.9, $import_seconds * 1.02"; fi
  sleep "$(python3 -c "import random; print(round(random.uniform($range), 3))")"
  kill -9 "$pid" 2>/dev/null || true
  status=0
  wait "$pid" 2>/dev/null || status=$?
  [ "$status" -ne 0 ] || late=$((late + 1))
  [ "$(q "$victim" 'PRAGMA integrity_check')" = ok ] || fail "import kill $k: integrity_check"
  [ -z "$(q "$victim" 'PRAGMA foreign_key_check')" ] || fail "import kill $k: foreign_key_check"
  docs=$(q "$victim" "SELECT count(*) FROM document")
  if [ "$docs" -eq "$base_docs" ]; then absent=$((absent + 1));
  elif [ "$docs" -eq "$full_docs" ]; then present=$((present + 1));
  else fail "import kill $k: $docs documents, neither $base_docs nor $full_docs"; fi
  $ANNO --db "$victim" check >/dev/null || fail "import kill $k: anno check"
done
figure "kill -9 during import: $KILLS kills survived (import ${import_seconds%.*} s; afterwards wholly absent $absent, wholly present $present, of which $late had finished before the kill; integrity and foreign keys ok)"

echo "== kill -9 during annotation, $KILLS times"
$gen tags 3000 100 >"$work/tags.anno"
acked_total=0
for k in $(seq 1 "$KILLS"); do
  $ANNO --db "$db" --annotator "kill$k" shell --script "$work/tags.anno" >"$work/kill-$k.out" 2>&1 &
  pid=$!
  sleep "$(python3 -c 'import random; print(round(random.uniform(0.5, 3), 3))')"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if result=$(python3 "$root/scripts/reliability/verify_acks.py" "$work/kill-$k.out" "$db" "kill$k"); then
    acked_total=$((acked_total + ${result%% *}))
  else
    fail "shell kill $k: an acknowledged tag is missing"
  fi
  [ "$(q "$db" 'PRAGMA integrity_check')" = ok ] || fail "shell kill $k: integrity_check"
done
$ANNO --db "$db" check >/dev/null || fail "check after the shell kills"
figure "kill -9 during annotation: $KILLS kills survived, $acked_total acknowledged tags, none lost"

echo "== kill -9 during an export, $KILLS times"
exports=$work/exports
mkdir -p "$exports"
start=$(now)
$ANNO --db "$work/timing.sqlite" export --include-unfinished --out "$exports/timing.jsonl" 2>/dev/null
export_seconds=$(echo "$(now) - $start" | bc)
expected_lines=$(wc -l <"$exports/timing.jsonl")
partial=0
for k in $(seq 1 "$KILLS"); do
  target=$exports/out-$k.jsonl
  $ANNO --db "$work/timing.sqlite" export --include-unfinished --out "$target" 2>/dev/null &
  pid=$!
  sleep "$(python3 -c "import random; print(round(random.uniform(0.05, $export_seconds * 0.9), 3))")"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ -e "$target" ] && [ "$(wc -l <"$target")" -ne "$expected_lines" ]; then
    partial=$((partial + 1))
    fail "export kill $k: a partial file at the target"
  fi
done
stale=$(find "$exports" -name '.*.anno-tmp-*' | wc -l)
$ANNO --db "$work/timing.sqlite" check --clean-temp "$exports" >/dev/null || fail "check after the export kills"
left=$(find "$exports" -name '.*.anno-tmp-*' | wc -l)
[ "$left" -eq 0 ] || fail "check left $left stale temporaries"
figure "kill -9 during export: $KILLS kills survived, $partial partial files at the target, $stale stale temporaries removed by 'anno check --clean-temp'"

echo "== faults: each one clear error line, a non-zero status, no crash"
echo "this is plain text and not a database at all" >"$work/notes.sqlite"
expect_clean_error "not an Anno database" "$ANNO" --db "$work/notes.sqlite" stats
expect_clean_error "missing folder" "$ANNO" --db "$work/no/such/folder/a.sqlite" stats
expect_clean_error "missing database for check" "$ANNO" --db "$work/absent.sqlite" check
if [ "$(id -u)" -eq 0 ] && mkdir -p "$work/ro" "$work/full" && mount -t tmpfs -o size=4m tmpfs "$work/ro" 2>/dev/null; then
  mounts+=("$work/ro")
  cp "$base" "$work/ro/a.sqlite"
  mount -o remount,ro "$work/ro"
  expect_clean_error "read-only file system" "$ANNO" --db "$work/ro/a.sqlite" shell -c 'open doc-00001; tag PER 0:5'
  expect_clean_error "new database on a read-only file system" "$ANNO" --db "$work/ro/new.sqlite" stats
  # Room for the database and 128 KiB more: the 1 MB import below cannot fit.
  full_size=$(($(stat -c %s "$base") / 1024 + 128))k
  mount -t tmpfs -o size="$full_size" tmpfs "$work/full"
  mounts+=("$work/full")
  cp "$base" "$work/full/a.sqlite"
  $gen big 1 >"$work/one-mb.jsonl"
  expect_clean_error "full disk during import" "$ANNO" --db "$work/full/a.sqlite" import "$work/one-mb.jsonl"
  mount -o remount,size=8m "$work/full"
  [ "$(q "$work/full/a.sqlite" 'PRAGMA integrity_check')" = ok ] || fail "full disk: integrity_check once space is freed"
  [ "$(q "$work/full/a.sqlite" 'SELECT count(*) FROM document')" -eq "$base_docs" ] || fail "full disk: a partial import"
  mount -o remount,size="$full_size" "$work/full"
  dd if=/dev/zero of="$work/full/filler" bs=1k count=2000 2>/dev/null || true
  expect_clean_error "full disk during export" "$ANNO" --db "$work/timing.sqlite" export --include-unfinished --out "$work/full/out.jsonl"
  [ ! -e "$work/full/out.jsonl" ] || fail "full disk: a partial export at the target"
else
  echo "  (not root or no tmpfs: read-only and full-disk mounts skipped)"
fi
if command -v setpriv >/dev/null && [ "$(id -u)" -eq 0 ]; then
  cp "$base" "$work/owned.sqlite"
  chmod 755 "$work"
  chmod 644 "$work/owned.sqlite"
  expect_clean_error "read-only file (another user's)" setpriv --reuid=65534 --regid=65534 --clear-groups "$ANNO" --db "$work/owned.sqlite" shell -c 'open doc-00001; tag PER 0:5'
fi
cp "$base" "$work/limit.sqlite"
$gen big 2 >"$work/two-mb.jsonl"
expect_clean_error "file-size limit (ulimit -f, SIGXFSZ)" bash -c "ulimit -f 1000; exec '$ANNO' --db '$work/limit.sqlite' import '$work/two-mb.jsonl'"
[ "$(q "$work/limit.sqlite" 'PRAGMA integrity_check')" = ok ] || fail "file-size limit: integrity_check"

echo "== hostile text: stored faithfully, shown safely, exported inside the folder"
hostile=$work/hostile.sqlite
$gen hostile >"$work/hostile.jsonl"
$ANNO --db "$hostile" import "$work/hostile.jsonl" >/dev/null || fail "hostile import"
for command in "show" "show raw" "show spans" "show --all" "list all" "history" "find Plain"; do
  $ANNO --db "$hostile" --annotator hostile shell -c "open esc-doc; $command" >"$work/show.out" 2>&1 || true
  if grep -q $'\x1b' "$work/show.out" || grep -qP '\x9b' "$work/show.out"; then fail "'$command' wrote an escape byte"; fi
done
[ "$(q "$hostile" "SELECT count(*) FROM document WHERE externalId = 'quote''\"; DROP TABLE document; --'")" -eq 1 ] || fail "the SQL-looking id was not stored as given"
$ANNO --db "$hostile" export --out "$work/hostile-out.jsonl" 2>/dev/null || fail "export of hostile records"
python3 - "$work/hostile.jsonl" "$work/hostile-out.jsonl" <<'PY' || fail "hostile ids, texts or notes did not round-trip"
import json, sys
given = {r["id"]: r for r in map(json.loads, open(sys.argv[1]))}
back = {r["id"]: r for r in map(json.loads, open(sys.argv[2]))}
assert given.keys() == back.keys(), (sorted(given), sorted(back))
for key, record in given.items():
    assert back[key]["text"] == record["text"], key
    assert [n["text"] for n in back[key]["notes"]] == [n["text"] for n in record["notes"]], key
PY
mkdir -p "$work/brat-out"
touch "$work/brat-marker"
$ANNO --db "$hostile" export --format brat --out "$work/brat-out/corpus" 2>"$work/err" || fail "brat export of hostile ids: $(cat "$work/err")"
outside=$(find "$work" -mindepth 1 -newer "$work/brat-marker" ! -path "$work/brat-out*" ! -name '*.sqlite*' ! -name err | wc -l)
[ "$outside" -eq 0 ] || fail "the brat export wrote $outside files outside its folder"
[ "$(find "$work/brat-out/corpus" -type f | wc -l)" -gt 6 ] || fail "the brat export is missing files"
$gen longid >"$work/long-id.jsonl"
$ANNO --db "$work/long.sqlite" import "$work/long-id.jsonl" >/dev/null || fail "a 2,000-character id was refused"
expect_clean_error "brat export of a 2,000-character id" "$ANNO" --db "$work/long.sqlite" export --format brat --out "$work/brat-long"
$ANNO --db "$hostile" check >/dev/null || fail "check of the hostile database"
ok "hostile ids, notes and text: stored, shown without escape bytes, round-tripped, exported inside the folder"
$gen nul >"$work/nul.jsonl"
status=0
$ANNO --db "$work/nul.sqlite" import "$work/nul.jsonl" >/dev/null 2>"$work/err" || status=$?
if [ "$status" -eq 0 ]; then
  $ANNO --db "$work/nul.sqlite" export --out "$work/nul-out.jsonl" 2>/dev/null || true
  [ -s "$work/nul-out.jsonl" ] && python3 -c 'import json,sys; a=json.loads(open(sys.argv[1]).read()); b=json.loads(open(sys.argv[2]).read()); sys.exit(a["text"]!=b["text"] or a["id"]!=b["id"] or a["notes"]!=b["notes"])' \
    "$work/nul.jsonl" "$work/nul-out.jsonl" || fail "U+0000 (NUL) in a text, id or note is silently cut off when stored (refuse it at import, or store it whole)"
else
  ok "U+0000 refused at import: $(head -1 "$work/err")"
fi

echo "== huge inputs"
$gen big 10 >"$work/ten-mb.jsonl"
rss_import=$(peak_rss "$ANNO" --db "$work/big.sqlite" import "$work/ten-mb.jsonl")
[ "$(q "$work/big.sqlite" "SELECT length FROM document WHERE externalId = 'big'")" -gt 10000000 ] || fail "the 10 MB document was not imported"
rss_export=$(peak_rss "$ANNO" --db "$work/big.sqlite" export --out "$work/big-out.jsonl")
cmp -s <(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["text"][-20:])' "$work/big-out.jsonl") \
  <(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["text"][-20:])' "$work/ten-mb.jsonl") ||
  fail "the 10 MB document did not export whole"
$gen longline 100 >"$work/long-line.jsonl"
status=0
/usr/bin/time -f %M -o "$work/time.log" "$ANNO" --db "$work/big.sqlite" import "$work/long-line.jsonl" >/dev/null 2>"$work/err" || status=$?
rss_line=$(($(tail -1 "$work/time.log") / 1024))
grep -q 'line longer than 64 MiB' "$work/err" && [ "$status" -eq 1 ] || fail "a 100 MB line was not refused clearly: $(head -c 300 "$work/err")"
figure "10 MB document: import peak RSS $rss_import MiB, export peak RSS $rss_export MiB; 100 MB line refused ('$(head -1 "$work/err")'), peak RSS $rss_line MiB"

echo "== fuzzing: $FUZZ inputs per parser, $SHELL_LINES shell lines through the binary"
if [ -z "${ANNO_FUZZ:-}" ]; then
  if [ -n "${SKIP_FUZZ_BUILD:-}" ]; then echo "SKIP_FUZZ_BUILD needs ANNO_FUZZ" >&2; exit 64; fi
  (cd "$root/Fuzz" && swift build -c release --scratch-path "$root/.build/fuzz" >/dev/null)
  ANNO_FUZZ=$root/.build/fuzz/release/anno-fuzz
fi
seed=${FUZZ_SEED:-$(date +%s)}
corpus=$root/Tests/AnnoFormatsTests/FuzzCorpus
for target in json txt yaml words; do
  status=0
  timeout 3600 "$ANNO_FUZZ" "$target" --count "$FUZZ" --seed "$seed" --corpus "$corpus/$target" >"$work/fuzz.out" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    fail "fuzz $target (seed $seed) exited $status: $(tail -3 "$work/fuzz.out")"
  else
    figure "$(tail -1 "$work/fuzz.out")"
  fi
done
"$ANNO_FUZZ" shell-lines --count "$SHELL_LINES" --seed "$seed" >"$work/lines.anno"
fuzzdb=$work/fuzz.sqlite
cp "$hostile" "$fuzzdb"
$ANNO --db "$fuzzdb" import "$work/docs.jsonl" >/dev/null
status=0
start=$(now)
timeout 3600 "$ANNO" --db "$fuzzdb" --annotator fuzz shell --script "$work/lines.anno" >"$work/lines.out" 2>"$work/lines.err" || status=$?
seconds=$(echo "$(now) - $start" | bc)
if [ "$status" -gt 1 ] || grep -qiE 'fatal error|stack dump|backtrace' "$work/lines.err"; then
  fail "shell fuzz (seed $seed) exited $status: $(grep -iE 'fatal|error' "$work/lines.err" | head -3)"
else
  errors=$(wc -l <"$work/lines.err")
  figure "fuzz shell: $SHELL_LINES lines (seed $seed) through 'anno shell' in ${seconds%.*} s, $errors rejected with a message, 0 crashes, 0 hangs"
fi
$ANNO --db "$fuzzdb" check >/dev/null || fail "check after the shell fuzz"

echo "== import campaign: $IMPORT_LINES mutated records in $IMPORT_BATCHES batches, --skip-invalid, by 'anno import' and the shell's import"
"$ANNO_FUZZ" import-lines --count "$IMPORT_LINES" --seed "$seed" >"$work/import-lines.jsonl"
split -l $((IMPORT_LINES / IMPORT_BATCHES)) -d -a 3 "$work/import-lines.jsonl" "$work/import-batch-"
batches=0 crashed=0 stored=0 reported=0
start=$(now)
for batch in "$work"/import-batch-*; do
  batches=$((batches + 1))
  for how in command shell; do
    batchdb=$work/import-batch.sqlite
    rm -f "$batchdb" "$batchdb-wal" "$batchdb-shm"
    cp "$base" "$batchdb"
    status=0
    if [ "$how" = command ]; then
      "$ANNO" --db "$batchdb" import --skip-invalid "$batch" >"$work/batch.out" 2>"$work/batch.err" || status=$?
    else
      # The session must outlive a batch: the line after the import still runs.
      "$ANNO" --db "$batchdb" --annotator fuzz shell -c "import --skip-invalid $batch; stats" >"$work/batch.out" 2>"$work/batch.err" || status=$?
      grep -q '^documents ' "$work/batch.out" || { crashed=$((crashed + 1)); fail "the shell did not outlive the import of $batch"; }
    fi
    if [ "$status" -gt 1 ] || grep -qiE 'fatal error|backtrac|program crashed' "$work/batch.err"; then
      crashed=$((crashed + 1))
      fail "import of $batch by the $how exited $status: $(grep -iE 'fatal|crash' "$work/batch.err" | head -2)"
    fi
    if [ "$how" = command ]; then
      stored=$((stored + $(q "$batchdb" "SELECT count(*) FROM document") - base_docs))
      reported=$((reported + $(grep -cE '^[^ ]+:[0-9]+: ' "$work/batch.err" || true)))
    fi
    $ANNO --db "$batchdb" check >/dev/null || fail "check after the $how imported $batch"
  done
done
seconds=$(echo "$(now) - $start" | bc)
figure "import campaign: $IMPORT_LINES mutated records (seed $seed) in $batches batches of $((IMPORT_LINES / IMPORT_BATCHES)), each imported with --skip-invalid by 'anno import' and by the shell's import, in ${seconds%.*} s: $crashed crashes, $stored new documents stored, $reported problems reported as FILE:LINE, 'anno check' clean after every batch"

echo
echo "== figures ($mode)"
for f in "${figures[@]}"; do echo "  $f"; done
if [ "$failures" -gt 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "nothing lost, nobody locked out"
