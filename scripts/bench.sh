#!/usr/bin/env bash
# Anno's benchmark suite: import, export, agreement, tokenizer and interactive latency, each
# against its peers (the sqlite3 shell, plain Python, a C insert floor, spaCy, krippendorff,
# statsmodels, scikit-learn), on a deterministic synthetic news corpus.
#
# Usage: scripts/bench.sh [--size 10k|100k|1m] [--runs N] [--only NAME,...] [--seed N] [--anno-only]
#   NAME: import, export, agreement, tokenizer, interactive (default: all)
#   --anno-only    import and export without their peers (the 1m scaling run)
#   ANNO_BIN=path  use that binary instead of building .build/release/anno
#
# It builds the release binary (swift build -c release --product anno), installs what is
# missing (Debian: sqlite3, time, gcc, libsqlite3-dev; the venv .venv-interop with spaCy,
# krippendorff, statsmodels, scikit-learn, numpy), generates the corpus into bench-out/<size>/
# (reused while size, seed and generator match), runs scripts/bench/run.py, prints the table
# and writes bench-out/<size>/results.json; then prints the scaling table over every size run.
# --size 10k takes a few minutes; 100k about ten times that; 1m needs ~60 GB of free disk
# and, with --anno-only, about 45 minutes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  esac
done

# Debian packages: the sqlite3 shell (a peer), GNU time (peak RSS), gcc and the SQLite headers
# (the C insert floor).
need=()
command -v sqlite3 >/dev/null || need+=(sqlite3)
[[ -x /usr/bin/time ]] || need+=(time)
command -v gcc >/dev/null || need+=(gcc)
[[ -e /usr/include/sqlite3.h ]] || need+=(libsqlite3-dev)
if ((${#need[@]})); then
  echo "bench: installing ${need[*]}" >&2
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Python peers in the venv shared with scripts/interop.sh.
venv="$root/.venv-interop"
[[ -x "$venv/bin/python" ]] || python3 -m venv "$venv"
missing=()
for pair in krippendorff:krippendorff statsmodels:statsmodels sklearn:scikit-learn spacy:spacy numpy:numpy; do
  "$venv/bin/python" -c "import ${pair%%:*}" 2>/dev/null || missing+=("${pair#*:}")
done
if ((${#missing[@]})); then
  echo "bench: installing ${missing[*]} into .venv-interop" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${missing[@]}"
fi

# The binary under test.
if [[ -n "${ANNO_BIN:-}" ]]; then
  anno="$ANNO_BIN"
else
  echo "bench: swift build -c release --product anno" >&2
  swift build -c release --product anno >&2
  anno="$root/.build/release/anno"
fi

"$venv/bin/python" "$root/scripts/bench/run.py" --anno "$anno" "$@"
"$venv/bin/python" "$root/scripts/bench/scaling.py"
