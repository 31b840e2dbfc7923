#!/usr/bin/env bash
# The long proof that `stress` catches the planted cross-process bugs on PostgreSQL (README,
# "Tests"): each planted bug, in a debug build (release builds carry none), must make `stress`
# exit 1 with its breach named within five seeds. `swift test` keeps the quick one, the split
# consumption on a SQLite file; these take longer because their window opens only under real
# contention between eight processes on a real server.
#
#   scripts/prove-planted-stress.sh     # uses REVIVE_POSTGRES_URL, or starts a throwaway server
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then export PATH="/opt/swift/usr/bin:$PATH"; fi

started=""
if [ -z "${REVIVE_POSTGRES_URL:-}" ]; then
  server=$(scripts/postgres-server.sh start) || { echo "prove-planted-stress: could not start a PostgreSQL server" >&2; exit 2; }
  eval "$server"
  started=$REVIVE_POSTGRES_DIR
fi
out=$(mktemp -d)
cleanup() {
  rm -rf "$out"
  if [ -n "$started" ]; then scripts/postgres-server.sh stop "$started" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
swift build >/dev/null
lab=.build/debug/revive-lab

# prove NAME PATTERN STRESS-ARGUMENTS...: stress with --plant NAME, seeds 1 to 5, until one run
# exits 1 and prints a line matching PATTERN.
prove() {
  local plant=$1 pattern=$2 seed status
  shift 2
  for seed in 1 2 3 4 5; do
    status=0
    "$lab" stress --contention --store "$REVIVE_POSTGRES_URL" "$@" --seed "$seed" --plant "$plant" \
      --output "$out/$plant-$seed" > "$out/$plant-$seed.txt" 2>&1 || status=$?
    if [ "$status" = 1 ] && grep -q -E "$pattern" "$out/$plant-$seed.txt"; then
      echo "prove-planted-stress: $plant caught on PostgreSQL at seed $seed"
      return 0
    fi
    if [ "$status" != 0 ] && [ "$status" != 1 ]; then
      cat "$out/$plant-$seed.txt" >&2
      echo "prove-planted-stress: stress --plant $plant --seed $seed exited $status" >&2
      return 1
    fi
  done
  tail -20 "$out/$plant-5.txt" >&2
  echo "prove-planted-stress: five stress runs with the planted $plant held every invariant" >&2
  return 1
}

# No single flight: the losers of a refresh race find the refresh token already spent, with no
# kill to explain it.
prove unlocked-refresh "were found already redeemed, more than the 0 kill\(s\) could orphan" --processes 8 --runs 200
# Capability consumption split over two transactions: one capability consumed twice, or a case
# completed by a superseded capability.
prove split-consumption "^  BREACH: (capability .* was consumed |committed decisions: capability-single-use: capability )" \
  --processes 4 --runs 40 --connections 1
