import Foundation
import Testing

/// `run --quiet` (only failing scenarios and the summary) and colour (only on a terminal, never
/// with NO_COLOR or --no-color).
struct QuietAndColorTests {
    static let escape = "\u{1B}["

    @Test(arguments: ["--quiet", "-q"])
    func quietPrintsOnlyTheSummaryWhenEverythingPasses(flag: String) throws {
        let names = try Lab.shippedScenarioNames()
        let result = try Lab.run(["run", "scenarios", flag])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdout == "\(names.count) passed, 0 failed\n")
        #expect(result.stderr.isEmpty)
    }

    @Test func quietPrintsOnlyTheFailingScenariosReportAndTheSummary() throws {
        let fixtures = try Fixtures()
        let directory = try fixtures.makeDirectory("suite")
        let failing = try JUnitFormatTests.failingCopy(in: fixtures, as: "suite/revoked-grant.json")
        for name in ["worker-loss", "timeout-after-mutation"] {
            try fixtures.write("suite/\(name).json", try Formats.scenarioText(name))
        }
        let alone = try Lab.run(["run", failing])
        #expect(alone.status == 1, "\(alone.summary)")
        let report = try #require(alone.stdout.components(separatedBy: "\n\n" + JUnitFormatTests.failLine(failing) + "0 passed, 1 failed\n").first)
        #expect(report.hasPrefix("== revoked-grant  (\(failing))\n"))

        let result = try Lab.run(["run", directory, "--quiet"])
        #expect(result.status == 1, "\(result.summary)")
        #expect(result.stdout == report + "\n\n" + JUnitFormatTests.failLine(failing) + "2 passed, 1 failed\n", "\(result.summary)")
        #expect(!result.stdout.contains("== worker-loss"))
        #expect(!result.stdout.contains("== timeout-after-mutation"))
        #expect(result.stderr.isEmpty)
    }

    @Test func noColorEnvironmentKeepsTextFormatPlain() throws {
        let golden = try Lab.golden("revoked-grant")
        let result = try Lab.run(["run", "scenarios/revoked-grant.json", "--format", "text"], environment: ["NO_COLOR": "1"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(!result.stdout.contains(QuietAndColorTests.escape))
        #expect(result.stdout == golden + "\n1 passed, 0 failed\n")
    }

    @Test(arguments: ["text", "jsonl", "junit", "mermaid", "html"])
    func noFormatColoursOutputWithoutATerminal(format: String) throws {
        let result = try Lab.run(["run", "scenarios/revoked-grant.json", "scenarios/worker-loss.json", "--format", format])
        #expect(result.status == 0, "\(result.summary)")
        #expect(!result.stdout.contains(QuietAndColorTests.escape), "\(format) on a pipe is plain")
        #expect(!result.stderr.contains(QuietAndColorTests.escape))
    }

    @Test(.enabled(if: Lab.canRunInTerminal, "needs util-linux `script` for a pseudo-terminal"))
    func textIsColouredOnATerminal() throws {
        let result = try Lab.runInTerminal(["run", "scenarios/revoked-grant.json", "--format", "text"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdout.contains(QuietAndColorTests.escape), "a terminal gets colour: \(result.summary)")
    }

    @Test(.enabled(if: Lab.canRunInTerminal, "needs util-linux `script` for a pseudo-terminal"))
    func noColorEnvironmentKeepsATerminalPlain() throws {
        let golden = try Lab.golden("revoked-grant")
        let result = try Lab.runInTerminal(["run", "scenarios/revoked-grant.json", "--format", "text"], environment: ["NO_COLOR": "1"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(!result.stdout.contains(QuietAndColorTests.escape), "\(result.summary)")
        #expect(result.stdout == golden + "\n1 passed, 0 failed\n")
    }

    @Test(.enabled(if: Lab.canRunInTerminal, "needs util-linux `script` for a pseudo-terminal"))
    func noColorFlagKeepsATerminalPlain() throws {
        let result = try Lab.runInTerminal(["run", "scenarios/revoked-grant.json", "--no-color"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(!result.stdout.contains(QuietAndColorTests.escape), "\(result.summary)")
    }

    @Test(.enabled(if: Lab.canRunInTerminal, "needs util-linux `script` for a pseudo-terminal"),
          arguments: ["jsonl", "mermaid", "junit"])
    func machineFormatsStayPlainOnATerminal(format: String) throws {
        let result = try Lab.runInTerminal(["run", "scenarios/revoked-grant.json", "--format", format])
        #expect(result.status == 0, "\(result.summary)")
        #expect(!result.stdout.contains(QuietAndColorTests.escape), "\(format) never carries colour: \(result.summary)")
    }
}
