import Foundation
import Testing
import Revive
import ReviveVocabulary

/// `revive-lab validate` (every problem in every file, nothing played) and `revive-lab schema`.
struct ValidateCommandTests {
    /// A scenario with three problems: an unknown runtime key, a step naming a missing
    /// connection, and a step duration that is not a duration.
    static let threeProblems = """
    {
      "format": 1,
      "name": "three-problems",
      "description": "Three mistakes in one file.",
      "seed": 7,
      "runtime": { "kind": "langgraph", "workers": ["worker-a"], "bogus": 1 },
      "connections": [
        { "id": "conn_mail", "provider": "microsoft", "broker": "nango",
          "owner": "ops@contoso.example", "subject": "oid-4f1c", "tenant": "tid-contoso",
          "scopes": ["Mail.Send"] }
      ],
      "workflow": {
        "name": "Briefing",
        "run": "run_1",
        "steps": [
          { "id": "send-briefing", "connection": "conn_missing", "effect": "mutation", "duration": "soon" }
        ]
      }
    }

    """

    /// The indented line under `FILE: valid` that names the defaults of the file's format.
    static func isDefaultsLine(_ line: String, format: Int) -> Bool { line.hasPrefix("  format \(format) defaults (") }

    @Test func everyShippedScenarioIsValidAndSaysWhichDefaultsItsFormatGives() throws {
        let names = try Lab.shippedScenarioNames()
        let result = try Lab.run(["validate", "scenarios"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stderr.isEmpty)
        let lines = result.stdoutLines
        try #require(lines.count == names.count * 2 + 1, "one valid line and one defaults line per file: \(result.summary)")
        for (i, name) in names.enumerated() {
            #expect(lines[i * 2] == "scenarios/\(name).json: valid")
            let format = try JSONValue.parse(try Formats.scenarioText(name))["format"]?.integerValue ?? 1
            #expect(ValidateCommandTests.isDefaultsLine(lines[i * 2 + 1], format: Int(format)), "\(name): \(lines[i * 2 + 1])")
        }
        #expect(lines.last == "\(names.count) valid, 0 invalid")
    }

    @Test func theDefaultsLineSaysWhatEachFormatGivesOnEachRuntime() throws {
        let result = try Lab.run(["validate", "scenarios/revoked-grant.json", "scenarios/transient-503.json",
                                  "scenarios/langgraph-resume-replays-prefix.json", "scenarios/temporal-worker-loss-timeouts.json"])
        #expect(result.status == 0, "\(result.summary)")
        let defaults = result.stdoutLines.filter { $0.hasPrefix("  ") }
        #expect(defaults.count == 4, "\(result.summary)")
        guard defaults.count == 4 else { return }
        // Format 1: the lab's original model on both runtimes.
        #expect(defaults[0].contains("every node retries with Temporal's default policy") && defaults[0].contains("giving up fails the run"))
        #expect(defaults[0].contains("heartbeatTimeout 1m (default)"))
        #expect(defaults[1].contains("no activity timeouts, no sticky-queue delay"))
        // Format 2, LangGraph: retries only with a policy (and which nodes have one), durability, liveness.
        #expect(defaults[2].contains("a node retries only with a retry policy (with one: send-briefing; never retried: read-calendar, draft-briefing)"))
        #expect(defaults[2].contains("RetryPolicy(): 3 attempts, 500ms, x2, cap 128s"))
        #expect(defaults[2].contains("giving up leaves the thread resumable; durability async (default)"))
        #expect(defaults[2].contains("Revive's lease expiry notices a lost worker after heartbeatTimeout 1m (default)"))
        // Format 2, Temporal: the file's activity timeouts, and none invented.
        #expect(defaults[3].contains("activity timeouts: heartbeat 3s, start-to-close 1m;"), "\(defaults[3])")
        #expect(defaults[3].contains("then 10s on its sticky queue"))
    }

    @Test func theDefaultsLineNamesAStepsOwnActivityTimeouts() throws {
        let fixtures = try Fixtures()
        var text = try Formats.scenarioText("temporal-retry-after-is-revives-choice")
        text = text.replacingOccurrences(of: #""effect": "mutation""#, with: #""effect": "mutation", "heartbeatTimeout": "3s""#)
        let file = try fixtures.write("step-timeouts.json", text)
        let result = try Lab.run(["validate", file])
        #expect(result.status == 0, "\(result.summary)")
        let line = try #require(result.stdoutLines.dropFirst().first)
        #expect(line.contains("activity timeouts: start-to-close 10s, no heartbeat timeout (Temporal has no default); send-briefing: heartbeat 3s, start-to-close 10s;"), "\(line)")
    }

    @Test func aFileWithThreeProblemsListsAllThreeWithKeyPathsAndTheOthersAreStillValidated() throws {
        let fixtures = try Fixtures()
        let directory = try fixtures.makeDirectory("suite")
        let good = try fixtures.write("suite/a-revoked-grant.json", try Formats.scenarioText("revoked-grant"))
        let bad = try fixtures.write("suite/m-three-problems.json", ValidateCommandTests.threeProblems)
        let last = try fixtures.write("suite/z-worker-loss.json", try Formats.scenarioText("worker-loss"))
        let result = try Lab.run(["validate", directory])
        #expect(result.status == 2, "\(result.summary)")
        #expect(!result.showsCrash)
        let lines = result.stdoutLines
        #expect(lines.count == 5, "\(result.summary)")
        #expect(lines.enumerated().filter { $0.offset % 2 == 0 }.map(\.element) == ["\(good): valid", "\(last): valid", "2 valid, 1 invalid"],
                "\(result.summary)")
        #expect(lines.count == 5 && ValidateCommandTests.isDefaultsLine(lines[1], format: 1) && ValidateCommandTests.isDefaultsLine(lines[3], format: 1),
                "\(result.summary)")
        let errors = result.stderrLines
        #expect(errors.count == 3, "\(result.summary)")
        #expect(errors.contains { $0.hasPrefix("error: \(bad): runtime.bogus: unknown key \"bogus\"") }, "\(result.summary)")
        #expect(errors.contains { $0.hasPrefix("error: \(bad): workflow.steps[0].connection: no connection \"conn_missing\"") },
                "\(result.summary)")
        #expect(errors.contains { $0.hasPrefix("error: \(bad): workflow.steps[0].duration: \"soon\" is not a duration") },
                "\(result.summary)")
    }

    @Test func validateDoesNotPlayTheScenario() throws {
        let fixtures = try Fixtures()
        let failing = try JUnitFormatTests.failingCopy(in: fixtures)
        let result = try Lab.run(["validate", failing])
        #expect(result.status == 0, "an expectation that cannot hold is still a valid file: \(result.summary)")
        #expect(result.stdoutLines.count == 3 && result.stdoutLines.first == "\(failing): valid", "\(result.summary)")
        #expect(result.stdoutLines.last == "1 valid, 0 invalid")
        #expect(!result.stdout.contains("verdict"))
    }

    @Test func aMissingPathIsInvalid() throws {
        let fixtures = try Fixtures()
        let missing = fixtures.directory.appendingPathComponent("nope.json").path
        let result = try Lab.run(["validate", missing, "scenarios/revoked-grant.json"])
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stdoutLines.count == 3, "\(result.summary)")
        #expect(result.stdoutLines.first == "scenarios/revoked-grant.json: valid" && result.stdoutLines.last == "1 valid, 1 invalid",
                "\(result.summary)")
        #expect(result.stderr.contains(missing), "\(result.summary)")
    }

    @Test func schemaPrintsTheCommittedSchemaFile() throws {
        let committed = try String(contentsOf: Lab.packageRoot.appendingPathComponent("scenario.schema.json"), encoding: .utf8)
        let result = try Lab.run(["schema"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout == committed)
        let schema = try JSONValue.parse(result.stdout)
        #expect(schema == (try JSONValue.parse(committed)))
        #expect(schema["$schema"] == .string("https://json-schema.org/draft/2020-12/schema"))
    }

    @Test func schemaTakesNoArguments() throws {
        let result = try Lab.run(["schema", "scenarios"])
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "revive-lab schema: takes no arguments\n")
    }
}
