import Foundation
import Testing
import Revive
import ReviveExplore
import ReviveLab
import ReviveVocabulary
import ReviveWorld

/// A step's own Temporal activity timeouts (format 2): read over the runtime's key by key, held to
/// the runtime-level keys' rules, and played (the earliest of the step's own decides).
struct StepTimeoutTests {
    typealias S = ScenarioText
    static let temporal = #"{"kind": "temporal", "workers": ["worker-a"], "startToCloseTimeout": "1m"}"#
    static let bare = #"{"kind": "temporal", "workers": ["worker-a"]}"#

    @Test func aStepsOwnTimeoutsOverrideTheRuntimesKeyByKey() throws {
        let steps = #"""
            [{"id": "read-calendar", "connection": "conn_ops"},
             {"id": "send-briefing", "connection": "conn_ops", "effect": "mutation", "heartbeatTimeout": "3s", "scheduleToCloseTimeout": "2m"}]
            """#
        let scenario = try ScenarioLoader.load(text: S.make(format: "2", runtime: StepTimeoutTests.temporal, steps: steps), file: "x.json")
        let model = scenario.runtime.model
        #expect(model.timeouts(for: scenario.workflow.steps[0]) == ActivityTimeouts(startToClose: .minutes(1)))
        #expect(model.timeouts(for: scenario.workflow.steps[1])
                == ActivityTimeouts(heartbeat: .seconds(3), startToClose: .minutes(1), scheduleToClose: .minutes(2)))
    }

    @Test func everyActivityNeedsACloseTimeoutOfItsOwnOrTheRuntimes() {
        let own = #"[{"id": "a", "startToCloseTimeout": "10s"}, {"id": "b", "scheduleToCloseTimeout": "1m"}]"#
        #expect(S.problems(S.make(format: "2", runtime: StepTimeoutTests.bare, steps: own)).isEmpty)
        let some = #"[{"id": "a", "startToCloseTimeout": "10s"}, {"id": "b", "heartbeatTimeout": "3s"}]"#
        let found = S.problems(S.make(format: "2", runtime: StepTimeoutTests.bare, steps: some))
        #expect(found.map(\.path) == ["workflow.steps[1]"])
        #expect(found.first?.message.contains(#"activity "b" needs a start-to-close or a schedule-to-close timeout"#) == true, "\(found)")
        let none = #"[{"id": "a"}, {"id": "b", "heartbeatTimeout": "3s"}]"#
        #expect(S.problems(S.make(format: "2", runtime: StepTimeoutTests.bare, steps: none)).map(\.path) == ["runtime"])
    }

    /// The problem a key gets on the runtime and on a step, for the same file otherwise.
    static func messages(_ key: String, value: String = #""5s""#, format: String, kind: String) -> (runtime: [String], step: [String]) {
        let close = kind == "temporal" && key != "startToCloseTimeout" ? #", "startToCloseTimeout": "1m""# : ""
        let runtime = #"{"kind": "\#(kind)", "workers": ["worker-a"]\#(close), "\#(key)": \#(value)}"#
        let plain = kind == "temporal" ? StepTimeoutTests.temporal : #"{"kind": "langgraph", "workers": ["worker-a"]}"#
        let onRuntime = S.problems(S.make(format: format, runtime: runtime, steps: #"[{"id": "a"}]"#))
        let onStep = S.problems(S.make(format: format, runtime: plain, steps: #"[{"id": "a", "\#(key)": \#(value)}]"#))
        return (onRuntime.filter { $0.path.hasSuffix(key) }.map(\.message), onStep.filter { $0.path == "workflow.steps[0].\(key)" }.map(\.message))
    }

    @Test(arguments: ["startToCloseTimeout", "scheduleToCloseTimeout"])
    func aStepTimeoutGetsTheRuntimeKeysErrors(_ key: String) {
        // A format-1 file, LangGraph, a zero and a word: the same message on a step as on the runtime.
        for (value, format, kind) in [(#""5s""#, "1", "temporal"), (#""5s""#, "2", "langgraph"), (#""0s""#, "2", "temporal"), (#""soon""#, "2", "temporal")] {
            let found = StepTimeoutTests.messages(key, value: value, format: format, kind: kind)
            #expect(!found.runtime.isEmpty && found.runtime == found.step, "\(key) \(value) format \(format) \(kind): \(found)")
        }
    }

    @Test func aStepHeartbeatTimeoutIsTemporalsAndFormatTwos() {
        let formatOne = S.problems(S.make(runtime: StepTimeoutTests.temporal.replacingOccurrences(of: #", "startToCloseTimeout": "1m""#, with: ""),
                                          steps: #"[{"id": "a", "heartbeatTimeout": "3s"}]"#))
        #expect(formatOne.map(\.path) == ["workflow.steps[0].heartbeatTimeout"])
        #expect(formatOne.first?.message.contains(#"set "format": 2"#) == true)
        let langgraph = S.problems(S.make(format: "2", steps: #"[{"id": "a", "heartbeatTimeout": "3s"}]"#))
        #expect(langgraph.map(\.path) == ["workflow.steps[0].heartbeatTimeout"])
        #expect(langgraph.first?.message.contains("on LangGraph, runtime.heartbeatTimeout is Revive's lease expiry for every node") == true)
        let zero = S.problems(S.make(format: "2", runtime: StepTimeoutTests.temporal, steps: #"[{"id": "a", "heartbeatTimeout": "0s"}]"#))
        #expect(zero.map(\.message) == ["must be longer than zero"])
    }

    /// The shipped worker-loss story with the send's own start-to-close (4 s) and no heartbeat timeout.
    static func workerLossWithStepTimeout() throws -> Scenario {
        let url = GoldenTests.scenarioDirectory.appendingPathComponent("temporal-worker-loss-timeouts.json")
        var text = try String(contentsOf: url, encoding: .utf8)
        text = text.replacingOccurrences(of: #""heartbeatTimeout": "3s","#, with: "")
        text = text.replacingOccurrences(of: #""effect": "mutation""#, with: #""effect": "mutation", "startToCloseTimeout": "4s""#)
        return try ScenarioLoader.load(text: text, file: "step-timeout.json")
    }

    @Test func aLostWorkersActivityTimesOutAtItsStepsOwnStartToClose() throws {
        let result = ScenarioPlayer.play(try StepTimeoutTests.workerLossWithStepTimeout())
        #expect(result.passed, "\(result.breaches) \(result.failedExpectations)")
        let ts = result.transitions
        let started = try #require(ts.first { $0.name == .stepStarted && $0.step == "send-briefing" })
        let lost = try #require(ts.first { $0.name == .workerLost })
        // Measured: StartToClose (4 s) + the 1 s backoff, when no heartbeat timeout was set.
        #expect(lost.reason == "start-to-close-timeout")
        #expect(lost.time == started.time.advanced(by: .seconds(4)))
        let retried = try #require(ts.last { $0.name == .stepStarted && $0.step == "send-briefing" })
        #expect(retried.time == lost.time.advanced(by: .seconds(1)))
        #expect(retried.worker == "worker-b")
    }
}
