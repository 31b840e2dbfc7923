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

    @Test func everyShippedScenarioIsValid() throws {
        let names = try Lab.shippedScenarioNames()
        let result = try Lab.run(["validate", "scenarios"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdoutLines == names.map { "scenarios/\($0).json: valid" } + ["\(names.count) valid, 0 invalid"])
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
        #expect(result.stdoutLines == ["\(good): valid", "\(last): valid", "2 valid, 1 invalid"], "\(result.summary)")
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
        #expect(result.stdout == "\(failing): valid\n1 valid, 0 invalid\n")
        #expect(!result.stdout.contains("verdict"))
    }

    @Test func aMissingPathIsInvalid() throws {
        let fixtures = try Fixtures()
        let missing = fixtures.directory.appendingPathComponent("nope.json").path
        let result = try Lab.run(["validate", missing, "scenarios/revoked-grant.json"])
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stdoutLines == ["scenarios/revoked-grant.json: valid", "1 valid, 1 invalid"], "\(result.summary)")
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
