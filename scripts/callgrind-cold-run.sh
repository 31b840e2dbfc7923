#!/usr/bin/env bash
# Instruction counts of a cold `revive-lab run scenarios` and of a Foundation hello-world, and
# their ratio (README, "Benchmarks"); then the median wall time of each over 21 fresh processes,
# and that ratio, and the lab's with `--jobs 1` (one core). Instruction counts stay stable on a
# noisy machine where wall times do not; wall times show what a user waits for, with `run`
# playing on every core. Needs valgrind (Debian: apt-get install valgrind) and bash 5
# (EPOCHREALTIME).
set -euo pipefail
# Bash writes EPOCHREALTIME with the locale's decimal mark; awk reads a dot.
export LC_ALL=C
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
command -v valgrind >/dev/null 2>&1 || { echo "callgrind-cold-run: valgrind is not installed" >&2; exit 2; }

swift build -c release >/dev/null
mkdir -p .build/hello
cat > .build/hello/main.swift <<'SWIFT'
import Foundation
print("hello, world")
SWIFT
swiftc -O .build/hello/main.swift -o .build/hello/hello

count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | sed -n 's/.*refs: *//p' | tr -d ','
}
.build/release/revive-lab run scenarios --no-color --quiet >/dev/null || {
  echo "callgrind-cold-run: revive-lab run scenarios fails; fix that before measuring it" >&2
  exit 1
}
hello=$(count .build/hello/hello)
lab=$(count .build/release/revive-lab run scenarios --no-color)
echo "hello-world                      $hello instructions"
echo "revive-lab run scenarios (cold)  $lab instructions"
awk -v a="$lab" -v b="$hello" 'BEGIN { printf "ratio                            %.2fx (instructions of every thread; goal: at most 1.5x)\n", a / b }'

# median_ms COMMAND...: the median wall time of 21 runs, in milliseconds. The clock is bash's own
# (EPOCHREALTIME) and the arithmetic waits until all 21 have run: a process started between two
# runs (awk, say) would leave the machine in another state for the next one.
median_ms() {
  local starts=() ends=() i
  for i in $(seq 21); do
    starts+=("$EPOCHREALTIME")
    "$@" >/dev/null 2>&1 || true
    ends+=("$EPOCHREALTIME")
  done
  for i in "${!starts[@]}"; do echo "${starts[$i]} ${ends[$i]}"; done \
    | awk '{ printf "%.3f\n", ($2 - $1) * 1000 }' | sort -n | sed -n 11p
}
hello_ms=$(median_ms .build/hello/hello)
lab_ms=$(median_ms .build/release/revive-lab run scenarios --no-color)
one_ms=$(median_ms .build/release/revive-lab run scenarios --no-color --jobs 1)
echo "hello-world                      $hello_ms ms (median wall time of 21)"
echo "revive-lab run scenarios (cold)  $lab_ms ms (median wall time of 21, $(nproc) cores)"
awk -v a="$lab_ms" -v b="$hello_ms" 'BEGIN { printf "ratio                            %.2fx (goal: at most 1.5x)\n", a / b }'
echo "the same with --jobs 1           $one_ms ms (one core)"
awk -v a="$one_ms" -v b="$hello_ms" 'BEGIN { printf "ratio                            %.2fx\n", a / b }'
