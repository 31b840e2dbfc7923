// swift-tools-version:6.0
import PackageDescription

// Zero package dependencies by design: the engine, the lab and the command build on the
// Swift toolchain alone. Dependencies point inward: revive-lab → ReviveLab → Revive.
let package = Package(
    name: "revive-lab",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Revive", targets: ["Revive"]),
        .library(name: "ReviveLab", targets: ["ReviveLab"]),
        .executable(name: "revive-lab", targets: ["revive-lab"]),
    ],
    targets: [
        // Planted engine bugs (Sources/Revive/PlantedBug.swift) exist only in debug builds, for the
        // explorer's proof tests; a release build cannot contain them.
        .target(name: "Revive", swiftSettings: [.define("REVIVE_PLANTED_BUGS", .when(configuration: .debug))]),
        .target(name: "ReviveLab", dependencies: ["Revive"],
                swiftSettings: [.define("REVIVE_PLANTED_BUGS", .when(configuration: .debug))]),
        .executableTarget(name: "revive-lab", dependencies: ["ReviveLab"]),
        // The provider-error reference rows, one copy shared by the test targets (in no product).
        .target(name: "ReferenceCatalog", dependencies: ["Revive"], path: "Tests/ReferenceCatalog"),
        .testTarget(name: "ReviveTests", dependencies: ["Revive", "ReferenceCatalog"]),
        .testTarget(name: "ReviveLabTests", dependencies: ["ReviveLab", "Revive", "ReferenceCatalog"]),
        .testTarget(name: "EndToEndTests", dependencies: ["ReviveLab", "ReferenceCatalog"]),
    ],
    swiftLanguageModes: [.v6]
)
