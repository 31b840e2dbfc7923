import Foundation
import Testing

/// Invalid scenario files and paths: exit 2, one `error:` line per problem on stderr naming the
/// file and the key path, only the summary on stdout, and never a crash.
struct BadInputTests {
    /// A small valid scenario; each test breaks it in one place.
    static let base = """
    {
      "format": 1,
      "name": "bad-input-base",
      "description": "A valid scenario that each bad-input test breaks in one place.",
      "seed": 7,
      "runtime": { "kind": "langgraph", "workers": ["worker-a"] },
      "connections": [
        { "id": "conn_mail", "provider": "microsoft", "broker": "nango",
          "owner": "ops@contoso.example", "subject": "oid-4f1c", "tenant": "tid-contoso",
          "scopes": ["Mail.Send", "Calendars.Read"] }
      ],
      "workflow": {
        "name": "Briefing",
        "run": "run_1",
        "steps": [
          { "id": "read-calendar", "connection": "conn_mail", "effect": "read", "duration": "100ms" },
          { "id": "send-briefing", "connection": "conn_mail", "effect": "mutation" }
        ]
      },
      "faults": [
        { "at": { "step": "send-briefing", "point": "before-call" }, "fault": "revoke-grant" }
      ],
      "events": [
        { "on": "reconnect.requested", "after": "10m", "do": "reconnect",
          "connection": "conn_mail", "subject": "oid-4f1c", "tenant": "tid-contoso" }
      ],
      "expect": { "outcome": "completed", "effects": { "send-briefing": 1 } }
    }

    """

    /// Checks the shape every input error shares, and that stderr has a line
    /// `error: FILE: PATH: ...` containing every fragment.
    static func expectInputError(_ result: LabOutput, file: String, path: String?, _ fragments: [String],
                                 sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 2, "exit code: \(result.summary)", sourceLocation: sourceLocation)
        #expect(!result.showsCrash, "no crash or stack trace: \(result.summary)", sourceLocation: sourceLocation)
        #expect(result.stdout == "0 passed, 1 failed\n", "only the summary on stdout: \(result.summary)", sourceLocation: sourceLocation)
        let prefix = path.map { "error: \(file): \($0): " } ?? "error: \(file): "
        let matching = result.stderrLines.filter { line in
            line.hasPrefix(prefix) && fragments.allSatisfy { line.contains($0) }
        }
        #expect(matching.count == 1, "stderr has a line starting \(prefix.debugDescription) containing \(fragments): \(result.summary)",
                sourceLocation: sourceLocation)
        #expect(result.stderrLines.allSatisfy { $0.hasPrefix("error: \(file): ") }, "every stderr line names the file: \(result.summary)",
                sourceLocation: sourceLocation)
    }

    /// Writes the base scenario with one replacement and runs it.
    static func play(_ old: String, _ new: String, fixtures: Fixtures,
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> (path: String, result: LabOutput) {
        let path = try fixtures.write("scenario.json", try base.replacingOnce(old, with: new, sourceLocation: sourceLocation))
        return (path, try Lab.run(["run", path]))
    }

    @Test func theBaseScenarioIsValidAndPasses() throws {
        let fixtures = try Fixtures()
        let path = try fixtures.write("scenario.json", BadInputTests.base)
        let result = try Lab.run(["run", path])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdoutLines.first == "== bad-input-base  (\(path))")
        #expect(result.stdoutLines.last == "1 passed, 0 failed")
    }

    @Test func unknownKeyInAStep() throws {
        let fixtures = try Fixtures()
        let (path, result) = try BadInputTests.play("\"effect\": \"read\", \"duration\": \"100ms\" }",
                                                    "\"effect\": \"read\", \"duration\": \"100ms\", \"retries\": 3 }", fixtures: fixtures)
        BadInputTests.expectInputError(result, file: path, path: "workflow.steps[0].retries",
                                       ["unknown key \"retries\"", "llowed here: id, connection, effect, duration, retry"])
    }

    @Test func unknownTopLevelKey() throws {
        let fixtures = try Fixtures()
        let (path, result) = try BadInputTests.play("\"seed\": 7,", "\"seed\": 7,\n  \"sed\": 8,", fixtures: fixtures)
        BadInputTests.expectInputError(result, file: path, path: "sed", ["unknown key \"sed\"", "did you mean \"seed\"?", "llowed here: format, name"])
    }

    @Test(arguments: ["Bad-Input", "bad_input", "bad--input", "-bad", "bad-", "bad input"])
    func aNameThatIsNotLowerCaseWordsAndDashes(name: String) throws {
        let fixtures = try Fixtures()
        let (path, result) = try BadInputTests.play("\"name\": \"bad-input-base\"", "\"name\": \"\(name)\"", fixtures: fixtures)
        BadInputTests.expectInputError(result, file: path, path: "name", ["is not a scenario name", "lower-case words and dashes"])
    }

    @Test func wrongType() throws {
        let fixtures = try Fixtures()
        let (path, result) = try BadInputTests.play("\"seed\": 7,", "\"seed\": \"seven\",", fixtures: fixtures)
        BadInputTests.expectInputError(result, file: path, path: "seed", ["expected a whole number, found a string"])
    }

    @Test func wrongTypeForAList() throws {
        let fixtures = try Fixtures()
        let (path, result) = try BadInputTests.play("\"workers\": [\"worker-a\"]", "\"workers\": \"worker-a\"", fixtures: fixtures)
        BadInputTests.expectInputError(result, file: path, path: "runtime.workers", ["expected an array, found a string"])
    }

    @Test func missingRequiredKey() throws {
        let fixtures = try Fixtures()
        let (path, result) = try BadInputTests.play("\"run\": \"run_1\",\n", "", fixtures: fixtures)
        BadInputTests.expectInputError(result, file: path, path: "workflow.run", ["missing required key"])
    }

    @Test func stepReferencingAMissingConnection() throws {
        let fixtures = try Fixtures()
        let (path, result) = try BadInputTests.play("{ \"id\": \"read-calendar\", \"connection\": \"conn_mail\"",
                                                    "{ \"id\": \"read-calendar\", \"connection\": \"conn_calendar\"", fixtures: fixtures)
        BadInputTests.expectInputError(result, file: path, path: "workflow.steps[0].connection",
                                       ["no connection \"conn_calendar\"", "defined: conn_mail"])
    }

    @Test func faultAtAMissingStep() throws {
        let fixtures = try Fixtures()
        let (path, result) = try BadInputTests.play("\"step\": \"send-briefing\"", "\"step\": \"send-email\"", fixtures: fixtures)
        BadInputTests.expectInputError(result, file: path, path: "faults[0].at.step",
                                       ["no step \"send-email\"", "read-calendar, send-briefing"])
    }

    @Test func reviveWorkerEventNamingAMissingWorker() throws {
        let fixtures = try Fixtures()
        let (path, result) = try BadInputTests.play("\"events\": [\n",
                                                    "\"events\": [\n    { \"at\": \"+1m\", \"do\": \"revive-worker\", \"worker\": \"worker-z\" },\n",
                                                    fixtures: fixtures)
        BadInputTests.expectInputError(result, file: path, path: "events[0].worker",
                                       ["no worker \"worker-z\"", "known workers: worker-a"])
    }

    @Test func badDuration() throws {
        let fixtures = try Fixtures()
        let (path, result) = try BadInputTests.play("\"after\": \"10m\"", "\"after\": \"10 minutes\"", fixtures: fixtures)
        BadInputTests.expectInputError(result, file: path, path: "events[0].after",
                                       ["\"10 minutes\" is not a duration", "ms, s, m, h, d", "\"250ms\""])
    }

    @Test func negativeDuration() throws {
        let fixtures = try Fixtures()
        let (path, result) = try BadInputTests.play("\"after\": \"10m\"", "\"after\": \"-10m\"", fixtures: fixtures)
        BadInputTests.expectInputError(result, file: path, path: "events[0].after",
                                       ["\"-10m\" is negative", "zero or more"])
    }

    @Test func negativeStepDuration() throws {
        let fixtures = try Fixtures()
        let (path, result) = try BadInputTests.play("\"duration\": \"100ms\"", "\"duration\": \"-100ms\"", fixtures: fixtures)
        BadInputTests.expectInputError(result, file: path, path: "workflow.steps[0].duration", ["\"-100ms\" is negative"])
    }

    @Test func formatThree() throws {
        let fixtures = try Fixtures()
        let (path, result) = try BadInputTests.play("\"format\": 1,", "\"format\": 3,", fixtures: fixtures)
        BadInputTests.expectInputError(result, file: path, path: "format", ["format 1 or 2", "found 3", "\"format\": 2"])
    }

    @Test func everyProblemInAFileIsReportedAtOnce() throws {
        let fixtures = try Fixtures()
        let text = try BadInputTests.base
            .replacingOnce("\"format\": 1,", with: "\"format\": 3,")
            .replacingOnce("\"after\": \"10m\"", with: "\"after\": \"-10m\"")
        let path = try fixtures.write("scenario.json", text)
        let result = try Lab.run(["run", path])
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stdout == "0 passed, 1 failed\n")
        #expect(result.stderrLines.contains { $0.hasPrefix("error: \(path): format: ") })
        #expect(result.stderrLines.contains { $0.hasPrefix("error: \(path): events[0].after: ") })
    }

    @Test func emptyFile() throws {
        let fixtures = try Fixtures()
        let path = try fixtures.write("empty.json", "")
        let result = try Lab.run(["run", path])
        BadInputTests.expectInputError(result, file: path, path: nil, ["not valid JSON", "line 1, column 1", "empty"])
    }

    @Test func notJSONSaysTheLineAndColumn() throws {
        let fixtures = try Fixtures()
        // Line 5 is `  "seed": seven,`: the bad character is at column 11.
        let text = try BadInputTests.base.replacingOnce("\"seed\": 7,", with: "\"seed\": seven,")
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false)[4] == "  \"seed\": seven,")
        let path = try fixtures.write("broken.json", text)
        let result = try Lab.run(["run", path])
        BadInputTests.expectInputError(result, file: path, path: nil, ["not valid JSON", "line 5, column 11"])
    }

    @Test func notJSONAtAll() throws {
        let fixtures = try Fixtures()
        let path = try fixtures.write("notes.json", "<scenario>revoked-grant</scenario>\n")
        let result = try Lab.run(["run", path])
        BadInputTests.expectInputError(result, file: path, path: nil, ["not valid JSON", "line 1, column 1"])
    }

    @Test func directoryWithNoScenarioFiles() throws {
        let fixtures = try Fixtures()
        try fixtures.write("scenarios/README.txt", "no scenarios here\n")
        try fixtures.write("scenarios/golden/x.txt", "a golden\n")
        let directory = fixtures.directory.appendingPathComponent("scenarios").path
        let result = try Lab.run(["run", directory])
        BadInputTests.expectInputError(result, file: directory, path: nil, ["no scenario files (*.json)"])
    }

    @Test func nonexistentPath() throws {
        let fixtures = try Fixtures()
        let path = fixtures.directory.appendingPathComponent("missing.json").path
        let result = try Lab.run(["run", path])
        BadInputTests.expectInputError(result, file: path, path: nil, ["no such file or directory"])
    }

    @Test func goodFilesAreStillPlayedWhenOneIsBad() throws {
        let fixtures = try Fixtures()
        let bad = try fixtures.write("bad.json", try BadInputTests.base.replacingOnce("\"format\": 1,", with: "\"format\": 3,"))
        let result = try Lab.run(["run", "scenarios/revoked-grant.json", bad, "scenarios/transient-503.json", "--no-color"])
        #expect(result.status == 2, "\(result.summary)")
        #expect(!result.showsCrash)
        let headers = result.stdoutLines.filter { $0.hasPrefix("== ") }
        #expect(headers == ["== revoked-grant  (scenarios/revoked-grant.json)", "== transient-503  (scenarios/transient-503.json)"])
        // The good ones print exactly what they print alone; the bad one counts as failed.
        let expected = try Lab.golden("revoked-grant") + "\n" + Lab.golden("transient-503") + "\n2 passed, 1 failed\n"
        #expect(result.stdout == expected)
        #expect(result.stderrLines == ["error: \(bad): format: this lab reads format 1 or 2 (a whole number); found 3. Set \"format\": 2 for the runtimes as measured, 1 for the original model"])
    }

    @Test func aBadFileInADirectoryDoesNotStopTheOthers() throws {
        let fixtures = try Fixtures()
        try fixtures.write("set/a-good.json", BadInputTests.base)
        let bad = try fixtures.write("set/b-bad.json", "")
        let directory = fixtures.directory.appendingPathComponent("set").path
        let result = try Lab.run(["run", directory])
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stdoutLines.first == "== bad-input-base  (\(directory)/a-good.json)")
        #expect(result.stdoutLines.last == "1 passed, 1 failed")
        #expect(result.stderrLines.count == 1)
        #expect(result.stderrLines.first?.hasPrefix("error: \(bad): not valid JSON") == true)
    }

    @Test func aMissingPathNextToAGoodOneStillPlaysTheGoodOne() throws {
        let result = try Lab.run(["run", "scenarios/does-not-exist.json", "scenarios/revoked-grant.json", "--no-color"])
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stdout == (try Lab.golden("revoked-grant")) + "\n1 passed, 1 failed\n")
        #expect(result.stderrLines == ["error: scenarios/does-not-exist.json: no such file or directory"])
    }
}
