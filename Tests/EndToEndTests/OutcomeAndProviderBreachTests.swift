import Foundation
import Testing

/// The built binary on the `operator-confirm` event and on provider breaches: a bad event or
/// breach name is an input error naming its key path (exit 2); a late apply fails a run (exit 1)
/// unless the scenario names it (exit 0).
struct OutcomeAndProviderBreachTests {
    /// The bad-input base scenario's reconnect event.
    static let reconnectEvent = """
        { "on": "reconnect.requested", "after": "10m", "do": "reconnect",
              "connection": "conn_mail", "subject": "oid-4f1c", "tenant": "tid-contoso" }
        """

    static func shipped(_ name: String) throws -> String {
        try String(contentsOf: Lab.scenarioDirectory.appendingPathComponent("\(name).json"), encoding: .utf8)
    }

    // MARK: operator-confirm

    @Test func operatorConfirmWithoutHappenedIsAnInputError() throws {
        let fixtures = try Fixtures()
        let (path, result) = try BadInputTests.play(Self.reconnectEvent,
                                                    #"{ "on": "operator.alerted", "do": "operator-confirm", "connection": "conn_mail" }"#,
                                                    fixtures: fixtures)
        BadInputTests.expectInputError(result, file: path, path: "events[0].happened", [#"missing required key for "operator-confirm""#])
    }

    @Test func operatorConfirmWithAStringHappenedIsAnInputError() throws {
        let fixtures = try Fixtures()
        let event = #"{ "on": "operator.alerted", "do": "operator-confirm", "connection": "conn_mail", "happened": "yes" }"#
        let (path, result) = try BadInputTests.play(Self.reconnectEvent, event, fixtures: fixtures)
        BadInputTests.expectInputError(result, file: path, path: "events[0].happened", ["expected true or false, found a string"])
    }

    @Test func happenedOnAReconnectIsAnInputError() throws {
        let fixtures = try Fixtures()
        let event = #"{ "on": "reconnect.requested", "after": "10m", "do": "reconnect", "connection": "conn_mail", "subject": "oid-4f1c", "tenant": "tid-contoso", "happened": true }"#
        let (path, result) = try BadInputTests.play(Self.reconnectEvent, event, fixtures: fixtures)
        BadInputTests.expectInputError(result, file: path, path: "events[0].happened", [#""reconnect" takes no "happened""#])
    }

    @Test func validateReportsTheSameProblem() throws {
        let fixtures = try Fixtures()
        let text = try BadInputTests.base.replacingOnce(Self.reconnectEvent, with: #"{ "at": "+1h", "do": "operator-confirm", "connection": "conn_mail", "happened": 1 }"#)
        let path = try fixtures.write("scenario.json", text)
        let result = try Lab.run(["validate", path])
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stderrLines.contains { $0.hasPrefix("error: \(path): events[0].happened: expected true or false") }, "\(result.summary)")
    }

    // MARK: expect.providerBreaches

    @Test func anUnknownProviderBreachIsAnInputError() throws {
        let fixtures = try Fixtures()
        let (path, result) = try BadInputTests.play(#""expect": { "outcome": "completed","#,
                                                    #""expect": { "providerBreaches": ["late-aply"], "outcome": "completed","#,
                                                    fixtures: fixtures)
        BadInputTests.expectInputError(result, file: path, path: "expect.providerBreaches[0]",
                                       [#""late-aply" is not a provider breach"#, "late-apply"])
    }

    @Test func providerBreachesAsAStringIsAnInputError() throws {
        let fixtures = try Fixtures()
        let (path, result) = try BadInputTests.play(#""expect": { "outcome": "completed","#,
                                                    #""expect": { "providerBreaches": "late-apply", "outcome": "completed","#,
                                                    fixtures: fixtures)
        BadInputTests.expectInputError(result, file: path, path: "expect.providerBreaches", ["expected a list of provider breach names"])
    }

    // MARK: A late apply, run end to end

    @Test func theShippedLateApplyScenarioPasses() throws {
        let result = try Lab.run(["run", "scenarios/late-apply-breaks-provider-bound.json"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdout.contains("   provider    late-apply (expected): the provider applied send-briefing's request 1m after its declared bound"),
                "\(result.summary)")
        #expect(result.stdoutLines.last == "1 passed, 0 failed")
    }

    @Test func aLateApplyTheScenarioDoesNotNameFailsTheRun() throws {
        let fixtures = try Fixtures()
        let text = try Self.shipped("late-apply-breaks-provider-bound")
            .replacingOnce("\"providerBreaches\": [\n      \"late-apply\"\n    ],\n    ", with: "")
        let path = try fixtures.write("late.json", text)
        let result = try Lab.run(["run", path])
        #expect(result.status == 1, "\(result.summary)")
        #expect(!result.showsCrash)
        #expect(result.stdout.contains("   verdict     FAIL\n"), "\(result.summary)")
        #expect(result.stdout.contains("   broken      provider breach late-apply: the provider applied send-briefing's request 1m after its declared bound"),
                "\(result.summary)")
        #expect(!result.stdout.contains("breach      effect-once"), "the double send is not charged to the engine: \(result.summary)")
        #expect(result.stdoutLines.last == "0 passed, 1 failed")
    }

    @Test func aNamedProviderBreachThatDoesNotHappenFailsTheRun() throws {
        let fixtures = try Fixtures()
        // Revoked grant, reconnect, one send: the provider keeps its promise.
        let text = try BadInputTests.base.replacingOnce(#""expect": { "outcome": "completed","#,
                                                        with: #""expect": { "providerBreaches": ["late-apply"], "outcome": "completed","#)
        let path = try fixtures.write("kept.json", text)
        let result = try Lab.run(["run", path])
        #expect(result.status == 1, "\(result.summary)")
        #expect(result.stdout.contains("   broken      expect.providerBreaches: expected the provider to break late-apply, but it kept its promise\n"),
                "\(result.summary)")
    }

    // MARK: `check` on a record with a late apply

    @Test func checkReportsALateApplyApartAndFailsUnlessTheRecordsScenarioNamesIt() throws {
        let fixtures = try Fixtures()
        let named = try Lab.run(["run", "scenarios/late-apply-breaks-provider-bound.json", "--format", "jsonl"])
        let namedPath = try fixtures.write("named.jsonl", named.stdout)
        let passing = try Lab.run(["check", namedPath])
        #expect(passing.status == 0, "\(passing.summary)")
        #expect(passing.stdout.contains("12 of 12 invariants held"), "\(passing.summary)")
        #expect(passing.stdout.contains("   provider    late-apply (expected): the provider applied send-briefing's request 1m"),
                "\(passing.summary)")
        let text = try Self.shipped("late-apply-breaks-provider-bound")
            .replacingOnce("\"providerBreaches\": [\n      \"late-apply\"\n    ],\n    ", with: "")
        let scenario = try fixtures.write("late.json", text)
        let unnamed = try Lab.run(["run", scenario, "--format", "jsonl"])
        let unnamedPath = try fixtures.write("unnamed.jsonl", unnamed.stdout)
        let failing = try Lab.run(["check", unnamedPath])
        #expect(failing.status == 1, "\(failing.summary)")
        #expect(failing.stdout.contains("12 of 12 invariants held"), "the engine broke nothing: \(failing.summary)")
        #expect(failing.stdout.contains("   provider    late-apply: the provider applied send-briefing's request 1m after its declared bound"),
                "\(failing.summary)")
        #expect(failing.stdout.contains("the provider, not the engine, broke its promise"))
    }
}
