import Foundation
import Testing
import Revive
import ReviveVocabulary
import ReferenceCatalog

/// `revive-lab classify` run as a person would: every row of the provider-error reference's
/// classification table through the built binary, the text and JSON reports, and bad input.
struct ClassifyCommandTests {
    /// Every row of the reference, including the broker refresh failures whose class needs the
    /// stale-generation check (they carry their lease and current generations).
    static let everyRow: [ReferenceRow] = ReferenceRows.all + ReferenceRows.brokerRefreshFailures

    /// Runs `revive-lab classify - --provider P [--broker B] --json` with `input` on standard input
    /// and parses the one JSON object it prints.
    static func classifyJSON(_ input: String, provider: String, broker: String? = nil,
                             sourceLocation: SourceLocation = #_sourceLocation) throws -> (output: LabOutput, report: JSONValue) {
        var arguments = ["classify", "-", "--provider", provider]
        if let broker { arguments += ["--broker", broker] }
        arguments.append("--json")
        let output = try Lab.run(arguments, stdin: input)
        #expect(output.status == 0, "exit code: \(output.summary)", sourceLocation: sourceLocation)
        #expect(!output.showsCrash, "\(output.summary)", sourceLocation: sourceLocation)
        #expect(output.stderr.isEmpty, "nothing on stderr: \(output.summary)", sourceLocation: sourceLocation)
        #expect(output.stdoutLines.count == 1, "one line of JSON: \(output.summary)", sourceLocation: sourceLocation)
        let report = try JSONValue.parse(output.stdout)
        return (output, report)
    }

    /// The `key value` lines of the text report, by key.
    static func textFields(_ output: LabOutput) -> [String: String] {
        var fields: [String: String] = [:]
        for line in output.stdoutLines {
            guard let space = line.firstIndex(of: " ") else { continue }
            fields[String(line[..<space])] = String(line[space...].drop(while: { $0 == " " }))
        }
        return fields
    }

    // MARK: Every reference row

    @Test func theCatalogueHoldsTheWholeReferenceTable() {
        #expect(ReferenceRows.all.count >= 100, "the reference table has about 110 rows")
        #expect(ReferenceRows.brokerRefreshFailures.allSatisfy { $0.leaseGeneration != nil && $0.currentGeneration != nil })
    }

    @Test("Every reference row classifies right through `revive-lab classify --json`", arguments: ClassifyCommandTests.everyRow)
    func everyRowClassifiesThroughTheCommand(_ row: ReferenceRow) throws {
        let input = try row.classifyInputText()
        let (output, report) = try ClassifyCommandTests.classifyJSON(input, provider: row.providerName)
        #expect(report["class"]?.stringValue == row.expected.rawValue,
                "input \(input) with --provider \(row.providerName): got \(report["class"]?.compactText ?? "no class") by rule \(report["rule"]?.compactText ?? "?")\n\(output.summary)")
        if let confidence = row.confidence {
            #expect(report["confidence"]?.stringValue == confidence.rawValue, "input \(input): \(output.summary)")
        }
        #expect(report["provider"]?.stringValue == row.providerName)
        #expect(report["broker"] == .null)
        #expect(report["parks"] == .bool(row.expected.parksRun))
        #expect(report["action"]?.stringValue == row.expected.recoveryAction)
        #expect(report["responder"]?.stringValue == row.expected.responder.rawValue)
    }

    @Test("A dead-grant refresh failure on an older lease generation is a stale_generation race, on the current one a dead_grant",
          arguments: ReferenceRows.generationChecked)
    func generationCheckedRowsThroughTheCommand(_ row: ReferenceRow) throws {
        let older = try row.classifyInputText(leaseGeneration: 1, currentGeneration: 2)
        let stale = try ClassifyCommandTests.classifyJSON(older, provider: row.providerName)
        #expect(stale.report["class"]?.stringValue == FailureClass.staleGeneration.rawValue, "input \(older): \(stale.output.summary)")
        #expect(stale.report["rule"]?.stringValue == "stale-generation-check", "input \(older): \(stale.output.summary)")
        #expect(stale.report["parks"] == .bool(false))

        let same = try row.classifyInputText(leaseGeneration: 2, currentGeneration: 2)
        let dead = try ClassifyCommandTests.classifyJSON(same, provider: row.providerName)
        #expect(dead.report["class"]?.stringValue == FailureClass.deadGrant.rawValue, "input \(same): \(dead.output.summary)")
    }

    @Test func aRowWithAnErrorButNoBodyIsSentAsAnOAuthErrorBody() throws {
        // classify's input has no "error" key: the catalogue puts the code and text in a body.
        let signal = ProviderSignal(status: 400, error: "invalid_grant", description: "Token has been expired or revoked.")
        let body = try JSONValue.parse(#"{"error":"invalid_grant","error_description":"Token has been expired or revoked."}"#)
        #expect(SignalFacts(signal) == SignalFacts(ProviderSignal(status: 400, body: body)))
    }

    // MARK: The text report

    /// The first row of each expected class: the text report is checked once per class.
    static let onePerClass: [ReferenceRow] = {
        var seen = Set<String>()
        return everyRow.filter { seen.insert($0.expected.rawValue).inserted }
    }()

    @Test("The text report shows class, rule, confidence and action lines that agree with --json",
          arguments: ClassifyCommandTests.onePerClass)
    func textReportShowsClassRuleConfidenceAndAction(_ row: ReferenceRow) throws {
        let input = try row.classifyInputText()
        let text = try Lab.run(["classify", "-", "--provider", row.providerName], stdin: input)
        #expect(text.status == 0, "\(text.summary)")
        #expect(text.stderr.isEmpty, "\(text.summary)")
        let lines = text.stdoutLines
        #expect(Array(lines.prefix(5).map { String($0.prefix(13)) })
                == ["class        ", "rule         ", "confidence   ", "action       ", "responder    "], "\(text.summary)")
        let fields = ClassifyCommandTests.textFields(text)
        let (_, report) = try ClassifyCommandTests.classifyJSON(input, provider: row.providerName)
        #expect(fields["class"] == row.expected.rawValue, "input \(input): \(text.summary)")
        for key in ["class", "rule", "confidence", "action", "responder"] {
            #expect(fields[key] == report[key]?.stringValue, "\(key): text and --json agree")
        }
        #expect(fields["provider"] == row.providerName)
    }

    @Test func readmeNangoExampleInText() throws {
        let input = try JSONValue.parse(#"""
            {"status": 400,
             "body": {"type": "refresh_token_external_error", "status": 400,
                      "message": "The external API returned an error when trying to refresh the access token. Please try again later.",
                      "payload": {"dataMessage": {"error": "invalid_grant",
                                                  "error_description": "AADSTS700082: The refresh token has expired due to inactivity.",
                                                  "error_codes": [700082]}}}}
            """#).compactText
        let result = try Lab.run(["classify", "--provider", "microsoft", "--broker", "nango"], stdin: input)
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdoutLines == [
            "class        dead_grant",
            "rule         microsoft-dead-grant",
            "confidence   high",
            "action       " + FailureClass.deadGrant.recoveryAction,
            "responder    owner",
            "provider     microsoft via nango",
            "unwrapped    nango",
        ], "\(result.summary)")
    }

    // MARK: --broker, files and standard input

    @Test func brokerNangoIsAcceptedAndReported() throws {
        let row = try #require(ReferenceRows.brokers.first { $0.label.hasPrefix("Nango wrapper") })
        let input = try row.classifyInputText()
        let (_, report) = try ClassifyCommandTests.classifyJSON(input, provider: row.providerName, broker: "nango")
        #expect(report["class"]?.stringValue == row.expected.rawValue)
        #expect(report["broker"]?.stringValue == "nango")
        #expect(report["unwrappedFrom"]?.stringValue == "nango")

        let text = try Lab.run(["classify", "-", "--provider", row.providerName, "--broker", "nango"], stdin: input)
        #expect(text.status == 0, "\(text.summary)")
        #expect(ClassifyCommandTests.textFields(text)["provider"] == "\(row.providerName) via nango")
    }

    @Test(arguments: ["auth0", "scalekit"])
    func otherBrokersAreAccepted(_ broker: String) throws {
        let input = try #require(ReferenceRows.generic.first).classifyInputText()
        let (_, report) = try ClassifyCommandTests.classifyJSON(input, provider: "generic", broker: broker)
        #expect(report["broker"]?.stringValue == broker)
    }

    @Test func readsTheInputFromAFilePath() throws {
        let fixtures = try Fixtures()
        let row = try #require(ReferenceRows.slackRows.first { $0.label.contains("missing_scope") })
        let path = try fixtures.write("slack-missing-scope.json", try row.classifyInputText())
        let result = try Lab.run(["classify", path, "--provider", "slack", "--json"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stderr.isEmpty)
        let report = try JSONValue.parse(result.stdout)
        #expect(report["class"]?.stringValue == "insufficient_scope")
        #expect(report["neededScopes"] == .array([.string("chat:write")]))
    }

    @Test func readsStandardInputWhenNoFileIsGiven() throws {
        let row = try #require(ReferenceRows.github.first { $0.label.hasPrefix("GitHub 429") })
        let result = try Lab.run(["classify", "--provider", "github", "--json"], stdin: try row.classifyInputText())
        #expect(result.status == 0, "\(result.summary)")
        let report = try JSONValue.parse(result.stdout)
        #expect(report["class"]?.stringValue == "rate_limited")
        #expect(report["retryAfterSeconds"] == .integer(60))
    }

    // MARK: Help and bad input

    @Test(arguments: ["--help", "-h"])
    func helpExitsZero(_ flag: String) throws {
        let result = try Lab.run(["classify", flag])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.hasPrefix("Usage: revive-lab classify [FILE | -] --provider NAME [--broker NAME] [--json]\n"))
        #expect(result.stdout.contains("Exit codes: 0 classified, 2 usage or input error."))
    }

    /// One way to call `classify` wrong, and the stderr line it must print.
    struct BadInput: Sendable, CustomStringConvertible {
        var description: String
        var input: String
        var arguments: [String] = ["classify", "-", "--provider", "generic", "--json"]
        /// The start of the stderr line that must name the problem (and its key path).
        var message: String
    }

    static let badInputs: [BadInput] = [
        BadInput(description: "not JSON", input: "status: 400",
                 message: "error: <stdin>: not valid JSON at line 1, column "),
        BadInput(description: "unknown key", input: #"{"status":400,"stauts":401}"#,
                 message: #"error: <stdin>: stauts: unknown key "stauts"; did you mean "status"?"#),
        BadInput(description: "missing status", input: #"{"body":{"error":"invalid_grant"}}"#,
                 message: #"error: <stdin>: status: missing required key; add "status""#),
        BadInput(description: "status \"x\"", input: #"{"status":"x"}"#,
                 message: "error: <stdin>: status: expected a whole number, found a string"),
        BadInput(description: "status out of range", input: #"{"status":42}"#,
                 message: "error: <stdin>: status: "),
        BadInput(description: "a header that is not a string", input: #"{"status":429,"headers":{"Retry-After":30}}"#,
                 message: "error: <stdin>: headers.Retry-After: expected a string, found a number"),
        BadInput(description: "an unknown operation", input: #"{"status":400,"operation":"sideways"}"#,
                 message: #"error: <stdin>: operation: "sideways" is not an operation; use call or refresh"#),
        BadInput(description: "a generation of 0", input: #"{"status":400,"leaseGeneration":0}"#,
                 message: "error: <stdin>: leaseGeneration: "),
        BadInput(description: "not an object", input: "[400]",
                 message: "error: <stdin>: expected an object, found an array"),
        BadInput(description: "no --provider", input: #"{"status":400}"#, arguments: ["classify", "-", "--json"],
                 message: "revive-lab classify: say which provider sent it with --provider NAME"),
        BadInput(description: "unknown provider", input: #"{"status":400}"#,
                 arguments: ["classify", "-", "--provider", "yahoo", "--json"],
                 message: "revive-lab classify: --provider needs one of microsoft, google, slack, github, salesforce, generic"),
        BadInput(description: "unknown broker", input: #"{"status":400}"#,
                 arguments: ["classify", "-", "--provider", "google", "--broker", "zapier"],
                 message: "revive-lab classify: --broker needs one of "),
        BadInput(description: "unknown option", input: #"{"status":400}"#,
                 arguments: ["classify", "-", "--provider", "google", "--yaml"],
                 message: #"revive-lab classify: unknown option "--yaml""#),
    ]

    @Test("Bad input exits 2 with the key path on stderr and nothing on stdout", arguments: ClassifyCommandTests.badInputs)
    func badInputExitsTwo(_ bad: BadInput) throws {
        let result = try Lab.run(bad.arguments, stdin: bad.input)
        #expect(result.status == 2, "exit code: \(result.summary)")
        #expect(!result.showsCrash, "\(result.summary)")
        #expect(result.stdout.isEmpty, "nothing on stdout: \(result.summary)")
        #expect(result.stderrLines.contains { $0.hasPrefix(bad.message) }, "stderr has a line starting \(bad.message.debugDescription): \(result.summary)")
    }

    @Test func aBadFileIsNamedWithTheKeyPath() throws {
        let fixtures = try Fixtures()
        let path = try fixtures.write("bad.json", #"{"status":400,"body":{},"header":{}}"#)
        let result = try Lab.run(["classify", path, "--provider", "google"])
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stdout.isEmpty, "\(result.summary)")
        #expect(result.stderrLines.contains { $0.hasPrefix("error: \(path): header: unknown key \"header\"") }, "\(result.summary)")
    }

    @Test func aMissingFileExitsTwo() throws {
        let fixtures = try Fixtures()
        let path = fixtures.directory.appendingPathComponent("absent.json").path
        let result = try Lab.run(["classify", path, "--provider", "google"])
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stdout.isEmpty, "\(result.summary)")
        #expect(result.stderr == "error: \(path): cannot read the input; check the path (classify reads one failure: a JSON file, or - for standard input)\n", "\(result.summary)")
    }
}
