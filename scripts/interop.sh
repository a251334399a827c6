#!/usr/bin/env bash
# Checks Anno's exports with the real libraries (spaCy, datasets, seqeval).
#
# Usage: scripts/interop.sh ANNO_BIN             (import a fixture and export with the CLI)
#        scripts/interop.sh --files-from DIR     (check exports already written to DIR)
#
# Creates or reuses the venv .venv-interop at the repository root and installs what is
# missing, quietly. Needs network access to PyPI only the first time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv-interop"
if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
fi
missing=()
for package in spacy datasets seqeval; do
  "$venv/bin/python" -c "import $package" 2>/dev/null || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "interop: installing ${missing[*]} into .venv-interop" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${missing[@]}"
fi
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
exec "$venv/bin/python" "$root/scripts/interop_check.py" "$@"
