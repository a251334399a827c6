#!/usr/bin/env bash
# The Python checks CI runs after the Swift tests, in the virtual environment .venv-interop
# (created on first use, reused after):
#   1. every export format loaded by the real library (spaCy, datasets, seqeval, ...), for a
#      fixture exported by the CLI and for the export golden files of the Swift tests;
#   2. agreement statistics against krippendorff, nltk, statsmodels and scikit-learn, the
#      agreement report's golden files against the same libraries, and the recorded nltk
#      values of set-valued alpha (MASI, Jaccard) in SetAlphaTests.swift;
#   3. tokenizer boundaries against spaCy's blank English tokenizer on Corpus/.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(swift build --show-bin-path)/anno"
venv=.venv-interop

scripts/interop.sh "$bin"
scripts/interop.sh --snapshots Tests/AnnoFormatsTests/Snapshots

missing=()
for module in krippendorff:krippendorff nltk:nltk statsmodels:statsmodels sklearn:scikit-learn numpy:numpy; do
  "$venv/bin/python" -c "import ${module%%:*}" 2>/dev/null || missing+=("${module##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "python checks: installing ${missing[*]} into $venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${missing[@]}"
fi
"$venv/bin/python" scripts/crosscheck_agreement.py run --package-path .
"$venv/bin/python" scripts/check_agreement_snapshot.py
"$venv/bin/python" scripts/set_alpha_reference.py --check Tests/AnnoAgreementTests/SetAlphaTests.swift

ANNO_BIN="$bin" "$venv/bin/python" scripts/tokenizer_agreement.py --min-f1 0.995
echo "python checks: all passed"
