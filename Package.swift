// swift-tools-version:6.2
import Foundation
import PackageDescription

// Zero package dependencies by design: everything builds on the Swift toolchain alone.
//
// The targets are the lab's rooms, and the package graph keeps their rules. Dependencies point
// inward (README, "Architecture"):
//
//   revive-lab → ReviveLab → ReviveExplore → ReviveWorld → Revive → ReviveVocabulary
//                          ↘               ↘ ReviveCheck ─────────↗
//                          ↘ ReviveStore → CSQLite (the system's sqlite3.h), Revive; libsqlite3 and libpq by dlopen
//
// The checker sees the vocabulary only, never the engine's books; the world and the checker
// build without Foundation; only the frontend (ReviveLab) and the executable do I/O.

/// The executable's link flags on Linux: the Swift runtime inside it (`-static-stdlib`); no
/// exported symbols (`Linker/exports.map`); and the C++ library that runtime uses inside it too
/// when `staticCxxArchiveIsThere`. `Linker/libstdc++.so` is a linker script naming `libstdc++.a`,
/// first on the library path, so the toolchain's `-lstdc++` finds it; without the archive the
/// shared library is linked as before, only slower to start.
let executableLinkFlags: [String] = {
    let linker = Context.packageDirectory + "/Linker"
    let exports = ["-static-stdlib", "-Xlinker", "--version-script=\(linker)/exports.map"]
    return exports + (staticCxxArchiveIsThere ? ["-L", linker] : [])
}()

/// Whether the GCC installation the toolchain's clang links with holds the C++ library's static
/// archive (Debian's and Ubuntu's libstdc++-NN-dev do; Fedora's needs libstdc++-static): clang
/// takes the newest version under /usr/lib/gcc/MACHINE-*/ with a crtbegin.o, so that one is asked.
/// `REVIVE_SHARED_CXX=1` links the shared library anyway (a cross build whose sysroot lacks it).
var staticCxxArchiveIsThere: Bool {
    #if arch(x86_64)
    let machine = "x86_64-"
    #elseif arch(arm64)
    let machine = "aarch64-"
    #else
    let machine = "-"
    #endif
    guard ProcessInfo.processInfo.environment["REVIVE_SHARED_CXX"] != "1" else { return false }
    let gcc = "/usr/lib/gcc"
    let files = FileManager.default
    let versions = ((try? files.contentsOfDirectory(atPath: gcc)) ?? []).filter { $0.hasPrefix(machine) }.flatMap { triple in
        ((try? files.contentsOfDirectory(atPath: "\(gcc)/\(triple)")) ?? []).map { "\(gcc)/\(triple)/\($0)" }
    }.filter { files.fileExists(atPath: "\($0)/crtbegin.o") }
    let number = { (path: String) in path.split(separator: "/").last!.split(separator: ".").map { Int($0) ?? 0 } }
    guard let chosen = versions.max(by: { number($0).lexicographicallyPrecedes(number($1)) }) else { return false }
    return files.fileExists(atPath: "\(chosen)/libstdc++.a")
}

/// Every Swift target's settings in a release build: each concrete generic type's metadata is
/// reached through its accessor function instead of by decoding its mangled name at first use.
/// A process touches about 90 such types once each (dictionaries, optionals and arrays of the
/// lab's records); decoding their names cost 0.6 M instructions of a cold `run scenarios`, about
/// 3% (docs/performance.md, "Sixth session"). The price is a little code size. The flag is a
/// frontend option, so SwiftPM counts it unsafe; since tools version 6.2 a package that depends
/// on these libraries by version may still use them.
let startupSettings: [SwiftSetting] = [
    .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"], .when(configuration: .release)),
]

/// Planted engine bugs exist only in debug builds, for the explorer's proof tests; a release
/// build cannot contain them.
let plantedBugs: [SwiftSetting] = [.define("REVIVE_PLANTED_BUGS", .when(configuration: .debug))]

let package = Package(
    name: "revive-lab",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "ReviveVocabulary", targets: ["ReviveVocabulary"]),
        .library(name: "Revive", targets: ["Revive"]),
        .library(name: "ReviveStore", targets: ["ReviveStore"]),
        .library(name: "ReviveLab", targets: ["ReviveLab"]),
        .executable(name: "revive-lab", targets: ["revive-lab"]),
    ],
    targets: [
        // The timeline's types: transition names, actors, facts, failure classes, ids, invariants' names.
        .target(name: "ReviveVocabulary", swiftSettings: startupSettings),
        // The recovery engine: pure rules, no I/O, no clock, no randomness of its own.
        // Rounding calls the C library's `round`, which lives in libm on Linux: linked by name, since
        // an embedder that imports only Revive has no Glibc import to pull it in.
        .target(name: "Revive", dependencies: ["ReviveVocabulary"], swiftSettings: plantedBugs + startupSettings,
                linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]),
        // The simulated world: virtual clock, provider, runtime, workers, faults, the player.
        .target(name: "ReviveWorld", dependencies: ["Revive", "ReviveVocabulary"], swiftSettings: plantedBugs + startupSettings),
        // The invariant checker: timelines in, verdicts out.
        .target(name: "ReviveCheck", dependencies: ["ReviveVocabulary"], swiftSettings: startupSettings),
        // Playing and judging scenarios, fault-schedule search and shrinking (pure; threads live in the frontend).
        .target(name: "ReviveExplore", dependencies: ["ReviveWorld", "ReviveCheck", "Revive", "ReviveVocabulary"],
                swiftSettings: plantedBugs + startupSettings),
        // The system's SQLite's header (libsqlite3-dev on Debian and Ubuntu; part of macOS). Not linked:
        // the store loads the library at run time (`SQLiteLibrary`), so a command that opens no store
        // file does not load it at start (no pkg-config either, whose flags would link it).
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),
        // The durable recovery store on SQLite: the engine's state, its decision log and the plays' history.
        // SQLite and libpq are loaded at run time (dlopen), only when a store is opened: no link-time dependency.
        .target(name: "ReviveStore", dependencies: ["CSQLite", "Revive", "ReviveVocabulary"], swiftSettings: plantedBugs + startupSettings),
        // The frontend: commands, the option parser, renderers, scenario and JSONL file I/O.
        .target(name: "ReviveLab",
                dependencies: ["ReviveExplore", "ReviveWorld", "ReviveCheck", "ReviveStore", "Revive", "ReviveVocabulary"],
                swiftSettings: plantedBugs + startupSettings),
        // Linked with the Swift runtime inside (Linux): a process then starts without the dynamic
        // linker loading and binding the runtime's libraries (a hello-world without Foundation:
        // 4.6 M to 2.2 M instructions, 2.2 to 1.4 ms), and with the C++ library inside too where
        // the system has its archive (1.7 M instructions and about 0.5 ms more; docs/performance.md).
        // The flags are the root package's alone; a package that depends on the libraries above
        // never sees them.
        .executableTarget(name: "revive-lab", dependencies: ["ReviveLab"], swiftSettings: startupSettings,
                          linkerSettings: [.unsafeFlags(executableLinkFlags, .when(platforms: [.linux]))]),
        // The provider-error reference rows, one copy shared by the test targets (in no product).
        .target(name: "ReferenceCatalog", dependencies: ["Revive", "ReviveVocabulary"], path: "Tests/ReferenceCatalog"),
        .testTarget(name: "ReviveVocabularyTests", dependencies: ["ReviveVocabulary"]),
        .testTarget(name: "ReviveTests", dependencies: ["Revive", "ReviveVocabulary", "ReferenceCatalog"],
                    swiftSettings: plantedBugs),
        .testTarget(name: "ReviveWorldTests", dependencies: ["ReviveWorld", "Revive", "ReviveVocabulary"],
                    swiftSettings: plantedBugs),
        .testTarget(name: "ReviveCheckTests", dependencies: ["ReviveCheck", "ReviveVocabulary"]),
        .testTarget(name: "ReviveStoreTests", dependencies: ["ReviveStore", "Revive", "ReviveVocabulary"], swiftSettings: plantedBugs),
        // The explorer's proofs start from the shipped scenarios, read through the frontend's loader.
        .testTarget(name: "ReviveExploreTests",
                    dependencies: ["ReviveExplore", "ReviveLab", "ReviveWorld", "ReviveCheck", "Revive", "ReviveVocabulary"],
                    swiftSettings: plantedBugs),
        .testTarget(name: "ReviveLabTests",
                    dependencies: ["ReviveLab", "ReviveExplore", "ReviveWorld", "ReviveCheck", "Revive",
                                   "ReviveVocabulary", "ReferenceCatalog"],
                    swiftSettings: plantedBugs),
        .testTarget(name: "EndToEndTests", dependencies: ["ReviveLab", "ReviveStore", "Revive", "ReviveVocabulary", "ReferenceCatalog"]),
    ],
    swiftLanguageModes: [.v6]
)
