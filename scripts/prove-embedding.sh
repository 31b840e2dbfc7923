#!/usr/bin/env bash
# The long proof that a real integration can embed the engine (README, "Tests"): a new package
# outside this one depends on the committed HEAD by version, as a user's would, imports the
# `Revive` library alone, builds in release and runs. It catches what the lab's own build cannot:
# a library that links only inside this package (the C library's `round` lives in libm on Linux,
# and nothing else pulls it in), or build settings SwiftPM refuses in a versioned dependency.
#
#   scripts/prove-embedding.sh     # about two minutes on two cores
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then export PATH="/opt/swift/usr/bin:$PATH"; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$PWD" "$work/revive-lab"
git -C "$work/revive-lab" tag 0.0.1
mkdir -p "$work/embedder/Sources/Embedder"
cat > "$work/embedder/Package.swift" <<SWIFT
// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "embedder",
    dependencies: [.package(url: "file://$work/revive-lab", exact: "0.0.1")],
    targets: [.executableTarget(name: "Embedder", dependencies: [.product(name: "Revive", package: "revive-lab")])]
)
SWIFT
cat > "$work/embedder/Sources/Embedder/main.swift" <<'SWIFT'
import Revive

// A revoked Microsoft grant refused at refresh, classified by the engine's own table.
let signal = ProviderSignal(status: 400, error: "invalid_grant",
                            description: "AADSTS50173: The provided grant has expired due to it being revoked.")
let verdict = Classifier().classify(signal, context: ClassificationContext(provider: .microsoft, operation: .refresh))
print(verdict.failureClass.rawValue)
SWIFT
(cd "$work/embedder" && swift build -c release 2>&1 | tail -n 20) || { echo "prove-embedding: a package that depends on revive-lab by version does not build" >&2; exit 1; }
answer=$("$work/embedder/.build/release/Embedder")
[ "$answer" = "dead_grant" ] || { echo "prove-embedding: the embedded engine answered '$answer', not dead_grant" >&2; exit 1; }
echo "prove-embedding: a package depending on revive-lab 0.0.1 by version builds, links and classifies ($answer)"
