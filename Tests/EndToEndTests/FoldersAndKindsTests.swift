import Foundation
import Testing
import Revive
import ReviveVocabulary

/// `check`, `replay` and `explore` take folders like `run`; a file of the wrong kind gets one
/// line saying what it is and what is wanted; a failing run names its failures.
struct FoldersAndKindsTests {
    /// `run scenarios/revoked-grant.json scenarios/worker-loss.json --format jsonl --output DIR`: DIR holds junit.xml too.
    static func recordedFolder(_ fixtures: Fixtures) throws -> String {
        let directory = fixtures.directory.appendingPathComponent("out").path
        let run = try Lab.run(["run", "scenarios/revoked-grant.json", "scenarios/worker-loss.json", "--format", "jsonl", "--output", directory])
        try #require(run.status == 0, "\(run.summary)")
        return directory
    }

    @Test(arguments: ["check", "replay"])
    func aFolderIsEveryTimelineInItAndJUnitXMLIsSkippedByContent(_ command: String) throws {
        let fixtures = try Fixtures()
        let directory = try FoldersAndKindsTests.recordedFolder(fixtures)
        try fixtures.write("out/notes.txt", "not a timeline\n")
        let result = try Lab.run([command, directory])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdoutLines.count == 2, "\(result.summary)")
        #expect(result.stdoutLines.first?.hasPrefix("\(directory)/revoked-grant.jsonl: ") == true, "\(result.summary)")
        #expect(result.stdoutLines.last?.hasPrefix("\(directory)/worker-loss.jsonl: ") == true, "\(result.summary)")
        #expect(result.stderrLines == ["note: \(directory)/junit.xml: skipped, a JUnit XML report (run --output writes one as junit.xml)",
                                       "note: \(directory)/notes.txt: skipped, not JSON"])
    }

    @Test(arguments: ["check", "replay"])
    func aFolderWithoutTimelinesExitsTwo(_ command: String) throws {
        let fixtures = try Fixtures()
        try fixtures.write("set/a.json", try Formats.scenarioText("revoked-grant"))
        let directory = fixtures.directory.appendingPathComponent("set").path
        let result = try Lab.run([command, directory])
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stderrLines.last?.hasPrefix("error: \(directory): the directory holds no JSONL timelines; a JSONL timeline is wanted") == true, "\(result.summary)")
    }

    /// Files of the wrong kind for check and replay, and the start of what each is called.
    static let wrongKinds: [(name: String, what: String)] = [
        ("scenario.json", "this is a scenario file, not a JSONL timeline; record its timeline with `revive-lab run "),
        ("page.html", "this is an HTML report (run --format html); a JSONL timeline is wanted: record one with"),
        ("junit.xml", "this is a JUnit XML report (run --output writes one as junit.xml); a JSONL timeline is wanted"),
        ("diagram.mmd", "this is a Mermaid diagram (run --format mermaid); a JSONL timeline is wanted"),
        ("timeline.txt", "this is a text timeline (run --format text); a JSONL timeline is wanted"),
    ]

    @Test(arguments: ["check", "replay"])
    func aFileOfTheWrongKindGetsOneLineSayingWhatItIsAndWhatIsWanted(_ command: String) throws {
        let fixtures = try Fixtures()
        let out = fixtures.directory.appendingPathComponent("out")
        let made = [("html", "page.html"), ("junit", "junit.xml"), ("mermaid", "diagram.mmd"), ("text", "timeline.txt")]
        for (format, file) in made {
            let run = try Lab.run(["run", "scenarios/revoked-grant.json", "--format", format])
            try fixtures.write("out/\(file)", run.stdout)
        }
        try fixtures.write("out/scenario.json", try Formats.scenarioText("revoked-grant"))
        for (name, what) in FoldersAndKindsTests.wrongKinds {
            let path = out.appendingPathComponent(name).path
            let result = try Lab.run([command, path])
            #expect(result.status == 2, "\(name): \(result.summary)")
            #expect(result.stdout.isEmpty, "\(name): \(result.summary)")
            #expect(result.stderrLines.count == 1, "\(name): \(result.summary)")
            #expect(result.stderr.hasPrefix("error: \(path): \(what)"), "\(name): \(result.summary)")
        }
    }

    @Test func aTimelineGivenToRunGetsOneLine() throws {
        let fixtures = try Fixtures()
        let recording = try Formats.record("revoked-grant", in: fixtures)
        let result = try Lab.run(["run", recording.path])
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stderr == "error: \(recording.path): this is a JSONL timeline, not a scenario file; "
                + "replay it with `revive-lab replay FILE` or check it with `revive-lab check FILE`\n")
    }

    @Test func exploreTakesAFolderAndExploresEachScenarioInTurn() throws {
        let fixtures = try Fixtures()
        for name in ["transient-503", "expired-access-token"] { try fixtures.write("set/\(name).json", try Formats.scenarioText(name)) }
        let directory = fixtures.directory.appendingPathComponent("set").path
        let result = try Lab.run(["explore", directory, "--attempts", "1", "--no-time"])
        #expect(result.status == 0, "\(result.summary)")
        let heads = result.stdoutLines.filter { $0.hasPrefix("explore ") }
        #expect(heads.map { $0.split(separator: " ")[1] } == ["expired-access-token", "transient-503"], "\(result.summary)")
        #expect(result.stdoutLines.filter { $0 == "no breach: every invariant held on every schedule" }.count == 2)
    }

    @Test(arguments: ["text", "jsonl", "junit", "mermaid", "html"])
    func aFailingRunNamesItsFailuresOnStandardOutput(_ format: String) throws {
        let fixtures = try Fixtures()
        let failing = try JUnitFormatTests.failingCopy(in: fixtures)
        let directory = fixtures.directory.appendingPathComponent("out").path
        let written = try Lab.run(["run", failing, "scenarios/worker-loss.json", "--format", format, "--output", directory])
        #expect(written.status == 1, "\(written.summary)")
        #expect(written.stdout == JUnitFormatTests.failLine(failing) + "1 passed, 1 failed\n")
        let printed = try Lab.run(["run", failing, "scenarios/worker-loss.json", "--format", format])
        #expect(printed.status == 1, "\(printed.summary)")
        // Each format names the failing scenario and its failure in its own way on standard output.
        let named: [String: String] = [
            "text": JUnitFormatTests.failLine(failing), "jsonl": "\"failedExpectations\":[\"expect.effects.send-briefing: expected 2, got 1\"]",
            "junit": "<failure message=\"expect.effects.send-briefing: expected 2, got 1\"",
            "mermaid": "title revoked-grant (seed 7, langgraph): FAIL", "html": "<li>expect.effects.send-briefing: expected 2, got 1</li>",
        ]
        #expect(printed.stdout.contains(named[format] ?? "?"), "\(printed.summary)")
    }
}
