#!/usr/bin/env bash
# Every benchmark of the README's table, one after the other, in one run of a quiet machine.
#
#   bench/run_all.sh [LOG]          # default: bench/last_run.log (git-ignored)
#
# Run from the root of the checkout, nothing else running (figures on a shared machine
# are the CPU time multiplied by the load). Each step prints the load average before it,
# so a reader of the log sees how quiet the run was. Needs PostgreSQL and Redis on
# loopback, nginx and wrk (Debian packages), as the scripts themselves do.
set -uo pipefail
cd "$(dirname "$0")/.."
LOG=${1:-bench/last_run.log}
PY=${PYTHON:-.venv/bin/python}
: >"$LOG"

step() {
  printf '\n## %s\n\n%s, load average %s\n\n' "$1" "$(date -u +%H:%M:%S)" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$LOG"
  shift
  "$@" 2>&1 | tee -a "$LOG"
}

step "idea lists, 100 vs 10,000 ideas, both databases" $PY bench/idea_lists.py --runs 20
step "dashboard, scale 1, SQLite" $PY bench/dashboard.py --scales 1 --runs 15
step "dashboard, scale 1, PostgreSQL" $PY bench/dashboard.py --only postgresql --scales 1 --runs 15
step "close of a 100,000 x 20 vote" $PY bench/close_vote.py --runs 3
step "offline recount, 1,000,000 x 20, and against pref_voting" $PY bench/recount.py --runs 3
step "throughput against hello-world" $PY bench/throughput.py
step "two app servers behind nginx, ballot storm" $PY bench/cluster.py
step "registration timing" $PY bench/registration_timing.py
step "tally engine" $PY bench/tally.py
printf '\n%s: done, load average %s\n' "$(date -u +%H:%M:%S)" "$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$LOG"
