#!/bin/bash
# Whole-process recounts, before and after alternating, on a loaded machine.
#
#   bench/recount_alternate.sh BEFORE_DIR FILES_DIR [ROUNDS_LARGE] [ROUNDS_SMALL]
#
# BEFORE_DIR: a checkout of the version to compare (git archive REV | tar -x -C DIR);
# FILES_DIR: grand.toi (1,000,000 × 20) and moyen.toi (100,000 × 20), as written by
# `python bench/recount.py --files FILES_DIR` (same generator and seeds). Each line
# prints wall, user and system seconds (/usr/bin/time) of one
# `python -m ideation.recount FILE --method M --json` per version, then whether the two
# JSON outputs are byte for byte the same. Used instead of hyperfine when the load
# average makes one full bench/recount.py run take longer than the time at hand.
set -u
BEFORE=$1
FILES=$2
ROUNDS_LARGE=${3:-2}
ROUNDS_SMALL=${4:-3}
AFTER=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-$AFTER/.venv/bin/python}
OUT=$(mktemp -d)
run() { # tree file method
  (cd "$1" && PYTHONPATH="$1" /usr/bin/time -f "%e %U %S" "$PY" -m ideation.recount "$2" \
    --method "$3" --json 2>&1 >"$OUT/$4.json" | tail -1)
}
for f in "$FILES/grand.toi" "$FILES/moyen.toi"; do
  rounds=$ROUNDS_LARGE
  [ "$(basename "$f")" = moyen.toi ] && rounds=$ROUNDS_SMALL
  for m in schulze irv borda; do
    for r in $(seq "$rounds"); do
      load=$(cut -d' ' -f1 /proc/loadavg)
      echo "$(basename "$f") $m round $r load $load" \
        "before $(run "$BEFORE" "$f" "$m" before) after $(run "$AFTER" "$f" "$m" after)"
      cmp -s "$OUT/before.json" "$OUT/after.json" && echo "  same JSON" || echo "  JSON DIFFERS"
    done
  done
done
rm -r "$OUT"
