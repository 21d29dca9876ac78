#!/usr/bin/env bash
# Issue #20's benchmark sequence, for an idle machine: the screens, sign-in, the load (and, given another
# checkout, an interleaved A/B against it), the sweeps, the SLA band job, the dashboard. Each bench keeps
# its own database; the screens database is vacuumed first (autovacuum may be off).
#   bench/idle_run.sh                 # this checkout
#   bench/idle_run.sh ../before       # and an A/B of the load against another checkout (its own .venv)
set -uo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
step() { echo "== $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg) $*"; }
quiet() { grep -v -i "warn\|mw_instance"; }
psql "postgres://postgres:postgres@127.0.0.1:5432/helpdesk_screens_bench" -qc "VACUUM ANALYZE" 2>/dev/null
step screens; $py bench/run.py 2>&1 | quiet
step sign-in; $py bench/signin_bench.py 2>&1 | quiet | tail -8
step load; $py bench/load.py --seconds 30 --port 8881 2>&1 | quiet | tail -4
if [ -n "${1:-}" ]; then
  step "load A/B against $1"; $py bench/load.py --ab "$1" --seconds 12 --rounds 4 --port 8883 2>&1 | quiet | tail -12
fi
step sweeps; $py bench/sweep_bench.py --repeat 2 2>&1 | quiet | tail -20
step "SLA band job"; $py bench/sla_bench.py --tickets 100000 --open 50000 2>&1 | quiet | tail -20
step dashboard; $py bench/dashboard_bench.py 2>&1 | quiet | tail -25
step done
