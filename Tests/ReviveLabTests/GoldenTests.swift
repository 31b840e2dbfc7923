import Foundation
import Testing
import Revive
import ReviveCheck
import ReviveExplore
import ReviveLab
import ReviveVocabulary
import ReviveWorld

/// The shipped scenarios, played and compared byte for byte with their golden timelines.
///
/// Regenerate after an intended change with `REVIVE_UPDATE_GOLDEN=1 swift test --filter GoldenTests`,
/// then read the diff before committing it.
struct GoldenTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let scenarioDirectory = packageRoot.appendingPathComponent("scenarios")

    static var scenarioNames: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: scenarioDirectory.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    static func play(_ name: String, seed: UInt64? = nil) throws -> ScenarioResult {
        let text = try String(contentsOf: scenarioDirectory.appendingPathComponent(name + ".json"), encoding: .utf8)
        var scenario = try ScenarioLoader.load(text: text, file: "scenarios/\(name).json")
        if let seed { scenario.seed = seed }
        return ScenarioPlayer.play(scenario)
    }

    @Test func atLeastTwelveScenariosShip() {
        #expect(GoldenTests.scenarioNames.count >= 12)
    }

    @Test(arguments: GoldenTests.scenarioNames)
    func shippedScenarioPassesWithEveryInvariantChecked(_ name: String) throws {
        let result = try GoldenTests.play(name)
        #expect(result.scenario.name == name, "the file name and the scenario's name agree")
        #expect(!result.scenario.description.isEmpty, "every shipped scenario tells its story")
        #expect(result.checkedInvariants.count == Invariant.allCases.count)
        #expect(result.breaches.isEmpty, "\(result.breaches)")
        #expect(result.failedExpectations.isEmpty, "\(result.failedExpectations)")
    }

    @Test(arguments: GoldenTests.scenarioNames)
    func timelineMatchesItsGolden(_ name: String) throws {
        let actual = Golden.text(for: try GoldenTests.play(name))
        let goldenURL = GoldenTests.scenarioDirectory.appendingPathComponent(Golden.relativePath(forScenarioNamed: name))
        if ProcessInfo.processInfo.environment["REVIVE_UPDATE_GOLDEN"] == "1" {
            try actual.write(to: goldenURL, atomically: true, encoding: .utf8)
            return
        }
        let expected = try #require(try? String(contentsOf: goldenURL, encoding: .utf8),
                                    "no golden for \(name); run REVIVE_UPDATE_GOLDEN=1 swift test --filter GoldenTests")
        if actual != expected {
            let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let firstDifference = zip(actualLines, expectedLines).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset
                ?? min(actualLines.count, expectedLines.count)
            Issue.record("""
                \(name) differs from its golden at line \(firstDifference + 1)
                expected: \(firstDifference < expectedLines.count ? String(expectedLines[firstDifference]) : "<end>")
                actual:   \(firstDifference < actualLines.count ? String(actualLines[firstDifference]) : "<end>")
                """)
        }
    }

    @Test(arguments: GoldenTests.scenarioNames)
    func sameFileAndSeedGiveByteIdenticalTimelines(_ name: String) throws {
        let first = Golden.text(for: try GoldenTests.play(name))
        let second = Golden.text(for: try GoldenTests.play(name))
        #expect(first == second)
    }

    @Test func anotherSeedChangesIdsButNotTheStory() throws {
        let usual = try GoldenTests.play("revoked-grant")
        let other = try GoldenTests.play("revoked-grant", seed: 99)
        #expect(usual.transitions.map(\.name) == other.transitions.map(\.name))
        #expect(usual.transitions.compactMap(\.caseID) != other.transitions.compactMap(\.caseID))
        #expect(other.passed)
    }
}
