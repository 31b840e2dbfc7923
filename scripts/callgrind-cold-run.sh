#!/usr/bin/env bash
# Instruction counts of a cold `revive-lab run scenarios` and of a Foundation hello-world, and
# their ratio (README, "Benchmarks"). Instruction counts stay stable on a noisy machine where wall
# times do not. Needs valgrind (Debian: apt-get install valgrind).
set -euo pipefail
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
hello=$(count .build/hello/hello)
lab=$(count .build/release/revive-lab run scenarios --no-color)
echo "hello-world                      $hello instructions"
echo "revive-lab run scenarios (cold)  $lab instructions"
awk -v a="$lab" -v b="$hello" 'BEGIN { printf "ratio                            %.1fx (goal: at most 1.5x)\n", a / b }'
