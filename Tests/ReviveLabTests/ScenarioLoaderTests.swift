import Testing
import Revive
import ReviveCheck
import ReviveExplore
import ReviveLab
import ReviveVocabulary
import ReviveWorld

/// Scenario text for the loader: a small valid scenario whose sections can be swapped one at a time.
enum ScenarioText {
    static let file = "ci/scenarios/case.json"
    static let runtime = #"{"kind": "langgraph", "workers": ["worker-a"]}"#
    static let connections = #"""
        [{"id": "conn_ops", "provider": "microsoft", "broker": "nango", "owner": "ops@contoso.example",
          "subject": "oid-4f1c", "tenant": "tid-contoso"}]
        """#
    static let steps = #"""
        [{"id": "read-calendar", "connection": "conn_ops"},
         {"id": "draft-briefing"},
         {"id": "send-briefing", "connection": "conn_ops", "effect": "mutation"}]
        """#

    /// A scenario with the given sections; `extra` members (`"key": value`) are appended at the top level.
    static func make(format: String = "1", name: String = #""minimal""#, runtime: String = runtime,
                     connections: String = connections, workflow: String? = nil, steps: String = steps,
                     extra: [String] = []) -> String {
        let workflow = workflow ?? #"{"run": "run_1", "steps": \#(steps)}"#
        let members = [#""format": \#(format)"#, #""name": \#(name)"#, #""runtime": \#(runtime)"#,
                       #""connections": \#(connections)"#, #""workflow": \#(workflow)"#] + extra
        return "{\n  " + members.joined(separator: ",\n  ") + "\n}\n"
    }

    /// The problems loading `text` reports (empty when it loads).
    static func problems(_ text: String, file: String = file) -> [InputProblem] {
        do {
            _ = try ScenarioLoader.load(text: text, file: file)
            return []
        } catch {
            return error.problems
        }
    }

    /// The revoked-grant example, as shipped in scenarios/.
    static let revokedGrant = #"""
        {
          "format": 1,
          "name": "revoked-grant",
          "description": "The mailbox grant is revoked before the send; the owner reconnects; the same run resumes and sends once.",
          "seed": 7,
          "runtime": { "kind": "langgraph", "workers": ["worker-a"] },
          "connections": [
            { "id": "conn_microsoft_ops", "provider": "microsoft", "broker": "nango",
              "owner": "ops@contoso.example", "subject": "oid-4f1c", "tenant": "tid-contoso",
              "scopes": ["Mail.Send", "Calendars.Read"] }
          ],
          "workflow": {
            "name": "Nightly executive briefing",
            "run": "run_7f2",
            "steps": [
              { "id": "read-calendar",  "connection": "conn_microsoft_ops", "effect": "read" },
              { "id": "draft-briefing", "effect": "none" },
              { "id": "send-briefing",  "connection": "conn_microsoft_ops", "effect": "mutation" }
            ]
          },
          "faults": [
            { "at": { "step": "send-briefing", "point": "before-call" }, "fault": "revoke-grant",
              "signal": { "status": 400, "error": "invalid_grant",
                          "description": "AADSTS700082: The refresh token has expired due to inactivity." } }
          ],
          "events": [
            { "on": "reconnect.requested", "after": "10m", "do": "reconnect",
              "connection": "conn_microsoft_ops", "subject": "oid-4f1c", "tenant": "tid-contoso" }
          ],
          "expect": {
            "outcome": "completed",
            "classification": "dead_grant",
            "effects": { "send-briefing": 1 },
            "timeline": ["failure.classified", "run.parked", "reconnect.requested",
                         "reconnect.verified", "lease.rotated", "run.resumed", "run.completed"]
          }
        }
        """#
}

@Suite("ScenarioLoader")
struct ScenarioLoaderTests {
    typealias S = ScenarioText

    // MARK: Valid files and defaults

    @Test func minimalScenarioLoads() throws {
        let scenario = try ScenarioLoader.load(text: S.make(), file: S.file)
        #expect(scenario.file == S.file)
        #expect(scenario.name == "minimal")
        #expect(scenario.workflow.run == RunID("run_1"))
        #expect(scenario.workflow.steps.map(\.id.rawValue) == ["read-calendar", "draft-briefing", "send-briefing"])
        #expect(scenario.runtime.kind == .langgraph)
        #expect(scenario.runtime.workers == [WorkerID("worker-a")])
    }

    @Test func seedDefaultsToOne() throws {
        #expect(try ScenarioLoader.load(text: S.make(), file: S.file).seed == 1)
    }

    @Test func heartbeatTimeoutDefaultsToOneMinute() throws {
        #expect(try ScenarioLoader.load(text: S.make(), file: S.file).runtime.heartbeatTimeout == .minutes(1))
    }

    @Test func stepEffectDefaultsToReadWithAConnectionAndNoneWithout() throws {
        let steps = try ScenarioLoader.load(text: S.make(), file: S.file).workflow.steps
        #expect(steps.map(\.effect) == [.read, StepEffect.none, .mutation])
    }

    @Test func stepDurationDefaultsToOneHundredMilliseconds() throws {
        let steps = try ScenarioLoader.load(text: S.make(), file: S.file).workflow.steps
        #expect(steps.map(\.duration) == Array(repeating: Span(milliseconds: 100), count: 3))
    }

    @Test func accessTokenTTLDefaultsToOneHour() throws {
        let connections = try ScenarioLoader.load(text: S.make(), file: S.file).connections
        #expect(connections.map(\.accessTokenTTL) == [.hours(1)])
        #expect(connections.first?.scopes == [])
    }

    @Test func recoveryDefaultsToOneHourCapabilitiesAndTwentyFourReminders() throws {
        let recovery = try ScenarioLoader.load(text: S.make(), file: S.file).recovery
        #expect(recovery.capabilityLifetime == .hours(1))
        #expect(recovery.maxReminders == 24)
    }

    @Test func horizonDefaultsToSevenDays() throws {
        #expect(try ScenarioLoader.load(text: S.make(), file: S.file).horizon == .days(7))
    }

    @Test func omittedSectionsMeanNoFaultsNoEventsAndEveryInvariant() throws {
        let scenario = try ScenarioLoader.load(text: S.make(), file: S.file)
        #expect(scenario.faults.isEmpty)
        #expect(scenario.events.isEmpty)
        #expect(scenario.expect.invariants == nil)
        #expect(scenario.description == "")
    }

    @Test func givenValuesOverrideTheDefaults() throws {
        let text = S.make(runtime: #"{"kind": "temporal", "workers": ["w1", "w2"], "heartbeatTimeout": "90s"}"#,
                          extra: [#""seed": 42"#, #""horizon": "2d""#, #""recovery": {"capabilityTTL": "15m", "maxReminders": 3}"#])
        let scenario = try ScenarioLoader.load(text: text, file: S.file)
        #expect(scenario.seed == 42)
        #expect(scenario.runtime.heartbeatTimeout == .seconds(90))
        #expect(scenario.horizon == .days(2))
        #expect(scenario.recovery.capabilityLifetime == .minutes(15))
        #expect(scenario.recovery.maxReminders == 3)
    }

    @Test func revokedGrantExampleLoads() throws {
        let scenario = try ScenarioLoader.load(text: S.revokedGrant, file: "scenarios/revoked-grant.json")
        #expect(scenario.seed == 7)
        #expect(scenario.connections.first?.scopes == ["Mail.Send", "Calendars.Read"])
        #expect(scenario.faults.map(\.kind) == [.revokeGrant])
        #expect(scenario.faults.first?.signal?.status == 400)
        guard case .on(let transition, let after)? = scenario.events.first?.trigger else {
            Issue.record("the event should fire on a transition")
            return
        }
        #expect(transition == .reconnectRequested)
        #expect(after == .minutes(10))
        #expect(scenario.expect.outcome == .completed)
        #expect(scenario.expect.classification == .deadGrant)
        #expect(scenario.expect.effects?.map(\.step) == [ActionKey("send-briefing")])
        #expect(scenario.expect.effects?.map(\.count) == [1])
    }

    @Test func schemaKeyIsAllowedAtTheTopLevel() {
        #expect(S.problems(S.make(extra: [#""$schema": "https://example.com/scenario.schema.json""#])) == [])
    }

    // MARK: Unknown keys

    @Test func unknownTopLevelKeyIsNamedWithAHint() throws {
        let found = S.problems(S.make(extra: [#""seeds": 7"#]))
        #expect(found.map(\.path) == ["seeds"])
        let message = try #require(found.first?.message)
        #expect(message.contains(#"unknown key "seeds""#))
        #expect(message.contains(#"did you mean "seed"?"#))
        #expect(message.contains("Allowed here: format, name, description, seed"))
    }

    @Test func unknownNestedKeyIsNamedWithAHint() throws {
        let steps = #"[{"id": "read-calendar", "connection": "conn_ops", "efect": "read"}]"#
        let found = S.problems(S.make(steps: steps))
        #expect(found.map(\.path) == ["workflow.steps[0].efect"])
        let message = try #require(found.first?.message)
        #expect(message.contains(#"did you mean "effect"?"#))
        #expect(message.contains("Allowed here: id, connection, effect, duration, retry"))
    }

    // MARK: Types and required keys

    @Test func wrongTypeNamesWhatWasExpectedAndFound() {
        let found = S.problems(S.make(extra: [#""seed": "7""#]))
        #expect(found.map(\.path) == ["seed"])
        #expect(found.first?.message == "expected a whole number, found a string")
    }

    @Test func stringWhereAListIsExpected() {
        let found = S.problems(S.make(runtime: #"{"kind": "langgraph", "workers": "worker-a"}"#))
        #expect(found.map(\.path) == ["runtime.workers"])
        #expect(found.first?.message == "expected an array, found a string")
    }

    /// Each bad item of a list of transition names is named at its own index in the file.
    @Test func aBadTransitionNameIsReportedAtItsIndexInTheList() {
        let found = S.problems(S.make(extra: [#""expect": {"timeline": ["run.started", 5, "bogus.name"]}"#]))
        #expect(found.map(\.path) == ["expect.timeline[1]", "expect.timeline[2]"], "\(found)")
    }

    @Test func topLevelMustBeAnObject() {
        let found = S.problems("[1, 2]")
        #expect(found.map(\.path) == [""])
        #expect(found.first?.message == "expected an object, found an array")
    }

    @Test func missingWorkflowRunIsReportedAtItsPath() {
        let found = S.problems(S.make(workflow: #"{"steps": [{"id": "draft-briefing"}]}"#))
        #expect(found.map(\.path) == ["workflow.run"])
        #expect(found.first?.message.hasPrefix("missing required key") == true)
    }

    @Test func formatThreeIsRefused() throws {
        let found = S.problems(S.make(format: "3"))
        #expect(found.map(\.path) == ["format"])
        let message = try #require(found.first?.message)
        #expect(message.contains("format 1 or 2"))
        #expect(message.contains("found 3"))
        #expect(message.contains(#"Set "format": 2"#))
    }

    // MARK: References between sections

    @Test func stepNamingAnUnknownConnection() throws {
        let steps = #"[{"id": "read-calendar", "connection": "conn_ops"}, {"id": "send-briefing", "connection": "conn_opz", "effect": "mutation"}]"#
        let found = S.problems(S.make(steps: steps))
        #expect(found.map(\.path) == ["workflow.steps[1].connection"])
        let message = try #require(found.first?.message)
        #expect(message.contains(#"no connection "conn_opz""#))
        #expect(message.contains("defined: conn_ops"))
    }

    @Test func faultNamingAMissingStep() throws {
        let fault = #""faults": [{"at": {"step": "send-brief", "point": "before-call"}, "fault": "revoke-grant"}]"#
        let found = S.problems(S.make(extra: [fault]))
        #expect(found.map(\.path) == ["faults[0].at.step"])
        let message = try #require(found.first?.message)
        #expect(message.contains(#"no step "send-brief""#))
        #expect(message.contains("read-calendar, draft-briefing, send-briefing"))
    }

    @Test func eventRevivingAnUnknownWorker() throws {
        let event = #""events": [{"at": "+5m", "do": "revive-worker", "worker": "worker-z"}]"#
        let found = S.problems(S.make(extra: [event]))
        #expect(found.map(\.path) == ["events[0].worker"])
        let message = try #require(found.first?.message)
        #expect(message.contains(#"no worker "worker-z""#))
        #expect(message.contains("known workers: worker-a"))
    }

    @Test func eventMayReviveAWorkerAnotherEventStarts() {
        let events = #""events": [{"at": "+5m", "do": "revive-worker", "worker": "worker-b"}, {"at": "+1m", "do": "start-worker", "worker": "worker-b"}]"#
        #expect(S.problems(S.make(extra: [events])) == [])
    }

    @Test func faultStrikingAnUnknownWorker() throws {
        let fault = #""faults": [{"at": "+5m", "fault": "crash-worker", "worker": "worker-q"}]"#
        let found = S.problems(S.make(extra: [fault]))
        #expect(found.map(\.path) == ["faults[0].worker"])
        #expect(try #require(found.first?.message).contains("known workers: worker-a"))
    }

    @Test func expectedEffectsNamingAnUnknownStep() throws {
        let found = S.problems(S.make(extra: [#""expect": {"effects": {"send-brief": 1}}"#]))
        #expect(found.map(\.path) == ["expect.effects.send-brief"])
        let message = try #require(found.first?.message)
        #expect(message.contains(#"no step "send-brief""#))
        #expect(message.contains("read-calendar, draft-briefing, send-briefing"))
    }

    // MARK: Values

    @Test func invalidEffectListsTheAllowedOnes() {
        let steps = #"[{"id": "read-calendar", "connection": "conn_ops"}, {"id": "draft-briefing"}, {"id": "send-briefing", "connection": "conn_ops", "effect": "write"}]"#
        let found = S.problems(S.make(steps: steps))
        #expect(found.map(\.path) == ["workflow.steps[2].effect"])
        #expect(found.first?.message == #""write" is not an effect; use one of none, read, mutation"#)
    }

    @Test func mutationWithoutAConnectionIsRefused() throws {
        let found = S.problems(S.make(steps: #"[{"id": "send-briefing", "effect": "mutation"}]"#))
        #expect(found.map(\.path) == ["workflow.steps[0].effect"])
        #expect(try #require(found.first?.message).contains(#"give it a "connection""#))
    }

    @Test func durationInWordsIsRefused() throws {
        let steps = #"[{"id": "draft-briefing", "duration": "5 minutes"}]"#
        let found = S.problems(S.make(steps: steps))
        #expect(found.map(\.path) == ["workflow.steps[0].duration"])
        let message = try #require(found.first?.message)
        #expect(message.contains(#""5 minutes" is not a duration"#))
        #expect(message.contains("one unit (ms, s, m, h, d)"))
        #expect(message.contains(#""250ms""#))
    }

    @Test func negativeDurationIsRefused() throws {
        let found = S.problems(S.make(runtime: #"{"kind": "langgraph", "workers": ["worker-a"], "heartbeatTimeout": "-5m"}"#))
        #expect(found.map(\.path) == ["runtime.heartbeatTimeout"])
        let message = try #require(found.first?.message)
        #expect(message.contains(#""-5m" is negative"#))
        #expect(message.contains("zero or more"))
    }

    @Test func eventOnAnUnknownTransitionSuggestsTheClosest() throws {
        let event = #""events": [{"on": "run.parkd", "do": "start-worker", "worker": "worker-b"}]"#
        let found = S.problems(S.make(extra: [event]))
        #expect(found.map(\.path) == ["events[0].on"])
        let message = try #require(found.first?.message)
        #expect(message.contains(#""run.parkd" is not a transition name"#))
        #expect(message.contains(#"did you mean "run.parked"?"#))
    }

    @Test func eventOnAnUnknownTransitionWithoutACloseNameReadsAsTwoSentences() throws {
        let event = #""events": [{"on": "owner.emailed", "do": "start-worker", "worker": "worker-b"}]"#
        let found = S.problems(S.make(extra: [event]))
        #expect(found.map(\.path) == ["events[0].on"])
        let message = try #require(found.first?.message)
        #expect(!message.contains("transition name The README"))
    }

    @Test func providerErrorWithoutSignal() throws {
        let fault = #""faults": [{"at": {"step": "send-briefing", "point": "before-call"}, "fault": "provider-error"}]"#
        let found = S.problems(S.make(extra: [fault]))
        #expect(found.map(\.path) == ["faults[0].signal"])
        let message = try #require(found.first?.message)
        #expect(message.contains(#"a provider-error needs the "signal""#))
        #expect(message.contains(#"{"status": 503"#))
    }

    @Test func stallWorkerWithoutFor() throws {
        let fault = #""faults": [{"at": {"step": "draft-briefing", "point": "after-checkpoint"}, "fault": "stall-worker"}]"#
        let found = S.problems(S.make(extra: [fault]))
        #expect(found.map(\.path) == ["faults[0].for"])
        let message = try #require(found.first?.message)
        #expect(message.contains(#"a stall-worker needs "for""#))
        #expect(message.contains(#""5m""#))
    }

    // MARK: Not a scenario at all

    @Test func emptyTextIsOneProblemForTheWholeFile() throws {
        let found = S.problems("")
        #expect(found.map(\.path) == [""])
        let message = try #require(found.first?.message)
        #expect(message.contains("the file is empty"))
        #expect(message.contains("line 1, column 1"))
    }

    @Test func textThatIsNotJSONGivesLineAndColumn() throws {
        let found = S.problems("{\n  \"format\": 1,\n  \"name\": oops\n}\n")
        #expect(found.map(\.path) == [""])
        let message = try #require(found.first?.message)
        #expect(message.hasPrefix("not valid JSON at line 3, column 11"))
    }

    // MARK: Reporting

    @Test func everyProblemInOneFileIsReported() {
        let steps = #"[{"id": "read-calendar", "connection": "conn_ops", "duration": "5 minutes"}, {"id": "send-briefing", "connection": "conn_ops", "effect": "write"}]"#
        let extra = [#""seeds": 7"#,
                     #""faults": [{"at": {"step": "send-brief", "point": "before-call"}, "fault": "provider-error"}]"#,
                     #""events": [{"on": "run.parkd", "do": "revive-worker", "worker": "worker-z"}]"#]
        let found = S.problems(S.make(format: "3", steps: steps, extra: extra))
        #expect(Set(found.map(\.path)) == ["seeds", "format", "workflow.steps[0].duration", "workflow.steps[1].effect",
                                            "events[0].on", "events[0].worker", "faults[0].at.step", "faults[0].signal"])
        #expect(found.count == 8)
    }

    @Test(arguments: ["", "{", S.make(format: "3", extra: [#""seeds": 7"#, #""horizon": "-1d""#])])
    func everyProblemNamesTheFileAsGiven(_ text: String) {
        let found = S.problems(text, file: "../team/recovery/odd name.json")
        #expect(!found.isEmpty)
        #expect(found.allSatisfy { $0.file == "../team/recovery/odd name.json" })
    }

    // MARK: Known loader bugs

    @Test func invalidConnectionFieldIsNotAlsoReportedAsAnUndefinedConnection() {
        // Only the provider is wrong; conn_ops is defined, so the steps that use it are fine.
        let connections = #"""
            [{"id": "conn_ops", "provider": "microsft", "broker": "nango", "owner": "ops@contoso.example",
              "subject": "oid-4f1c", "tenant": "tid-contoso"}]
            """#
        let found = S.problems(S.make(connections: connections))
        #expect(found.first?.path == "connections[0].provider")
        #expect(found.map(\.path) == ["connections[0].provider"])
    }

    @Test func missingRunDoesNotHideProblemsInFaultsAndExpect() {
        let workflow = #"{"steps": [{"id": "send-briefing", "connection": "conn_ops", "effect": "mutation"}]}"#
        let extra = [#""faults": [{"at": {"step": "send-brief", "point": "before-call"}, "fault": "revoke-grant"}]"#,
                     #""expect": {"effects": {"send-brief": 1}}"#]
        let found = S.problems(S.make(workflow: workflow, extra: extra))
        #expect(found.map(\.path).contains("workflow.run"))
        #expect(Set(found.map(\.path)) == ["workflow.run", "faults[0].at.step", "expect.effects.send-brief"])
    }

    @Test func fractionalFormatMessageShowsWhatWasWritten() throws {
        let found = S.problems(S.make(format: "1.0"))
        #expect(found.map(\.path) == ["format"])
        let message = try #require(found.first?.message)
        #expect(!message.contains("found 1. Set"))
    }

    @Test func aWorkerNamedLikeAPartyIsRefusedWhereverItIsNamed() {
        let runtime = #"{"kind": "langgraph", "workers": ["worker-a", "revive"]}"#
        let start = [#""events": [{"at": "+1s", "do": "start-worker", "worker": "runtime"}]"#]
        let found = S.problems(S.make(runtime: runtime, extra: start))
        #expect(found.map(\.path) == ["runtime.workers[1]", "events[0].worker"])
        #expect(found.allSatisfy { $0.message.contains("names a party of the timeline") })
    }

    // MARK: Format 2

    @Test func formatTwoKeysAreRefusedInAFormatOneFile() {
        let found = S.problems(S.make(runtime: #"{"kind": "langgraph", "workers": ["worker-a"], "durability": "sync"}"#))
        #expect(found.map(\.path) == ["runtime.durability"])
        #expect(found.first?.message.contains(#"set "format": 2"#) == true)
    }

    @Test func aFormatTwoTemporalFileNeedsAnActivityTimeout() {
        let found = S.problems(S.make(format: "2", runtime: #"{"kind": "temporal", "workers": ["worker-a"]}"#))
        #expect(found.map(\.path) == ["runtime"])
        #expect(found.first?.message.contains("start-to-close or a schedule-to-close") == true)
    }

    @Test func formatTwoReadsDurabilityAndTimeouts() throws {
        let langgraph = try ScenarioLoader.load(text: S.make(format: "2", runtime: #"{"kind": "langgraph", "workers": ["worker-a"], "durability": "exit"}"#), file: "x.json")
        #expect(langgraph.runtime.model == RuntimeModel(format: 2, durability: .exit))
        let temporal = try ScenarioLoader.load(text: S.make(format: "2", runtime: #"{"kind": "temporal", "workers": ["worker-a"], "heartbeatTimeout": "3s", "startToCloseTimeout": "1m"}"#), file: "x.json")
        #expect(temporal.runtime.model.activityHeartbeat == .seconds(3))
        #expect(temporal.runtime.model.startToClose == .minutes(1))
        #expect(S.problems(S.make(format: "2", runtime: #"{"kind": "temporal", "workers": ["w"], "startToCloseTimeout": "1m", "durability": "sync"}"#)).map(\.path) == ["runtime.durability"])
    }

    @Test func resumeThreadNeedsFormatTwoLangGraph() {
        let found = S.problems(S.make(extra: [#""events": [{"at": "+1m", "do": "resume-thread"}]"#]))
        #expect(found.map(\.path) == ["events[0].do"])
    }
}
