import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Checks a step's own activity timeouts against the runtime and the format, with the same
/// errors as the runtime-level keys, and Temporal's rule that every activity has a start-to-close
/// or a schedule-to-close timeout (its own or the runtime's).
extension ScenarioBuilder {
    /// `stepKeys`: each step's keys as `readWorkflow` placed them (`Fields.places`; -1 for an
    /// item that is not an object), nil when the workflow has no list of steps. Placing each
    /// step's keys again here cost some 45,000 instructions of a cold `run` of the shipped scenarios.
    static func checkStepTimeouts(runtime: JSONValue?, workflow: JSONValue?, stepKeys: [Int]?, format: Int, reader: inout JSONReader) {
        guard let kind = runtime?["kind"]?.stringValue.flatMap({ Spellings.runtimeKinds.value(of: $0, as: RuntimeKind.self) }),
              let stepKeys else { return }
        // Steps are named by index only when reported: most files have nothing to report. Only
        // the index is kept: an array of (index, step) pairs was a generic type of its own, which
        // the runtime built from its mangled name on every cold run. They are collected only where
        // they are read: in a format 2 Temporal file.
        let boundsNeeded = format >= 2 && kind == .temporal
        var unbounded: [Int] = []
        let formatTwo = stepFormatTwoKeys
        for (i, given) in stepKeys.enumerated() where given >= 0 {
            // Most steps set none of the format 2 keys: their keys are not walked.
            if given & formatTwo != 0 {
                for (key, place) in zip(ScenarioKeys.stepFormatTwo, stepFormatTwoPlaces) where given & 1 << place != 0 {
                    if let problem = stepTimeoutProblem(key, kind: kind, format: format) {
                        reader.fail(JSONReader.index("workflow.steps", i) + "." + key, problem)
                    }
                }
            }
            let bounds = 1 << StepKey.startToCloseTimeout.rawValue | 1 << StepKey.scheduleToCloseTimeout.rawValue
            if boundsNeeded && given & bounds == 0 { unbounded.append(i) }
        }
        guard boundsNeeded, runtime?["startToCloseTimeout"] == nil, runtime?["scheduleToCloseTimeout"] == nil,
              !unbounded.isEmpty else { return }
        if unbounded.count == stepKeys.count {
            reader.fail("runtime", "a Temporal activity needs a start-to-close or a schedule-to-close timeout; set \"startToCloseTimeout\" (like \"10s\") or \"scheduleToCloseTimeout\" on runtime, or on every step")
            return
        }
        let items: [JSONValue]
        if case .array(let steps)? = workflow?["steps"] { items = steps } else { items = [] }
        for i in unbounded {
            let id = (i < items.count ? items[i]["id"]?.stringValue : nil) ?? String(i)
            reader.fail(JSONReader.index("workflow.steps", i), "activity \"\(id)\" needs a start-to-close or a schedule-to-close timeout; set \"startToCloseTimeout\" (like \"10s\") or \"scheduleToCloseTimeout\" on the step, or on runtime for every activity")
        }
    }

    /// The places of `ScenarioKeys.stepFormatTwo` among a step's keys.
    static let stepFormatTwoPlaces = ScenarioKeys.stepFormatTwo.map { StepKey.list.place(of: $0)! }
    /// Bit `place` set for each of `stepFormatTwoPlaces`.
    static let stepFormatTwoKeys = stepFormatTwoPlaces.reduce(0) { $0 | 1 << $1 }

    /// Why a step may not set `key` here, if it may not: a format-1 file, or LangGraph.
    static func stepTimeoutProblem(_ key: String, kind: RuntimeKind, format: Int) -> String? {
        guard format >= 2 else {
            return "\"\(key)\" is a format 2 key; set \"format\": 2 to use it (format 2 plays the runtimes as measured, see docs/scenario-format.md)"
        }
        guard kind == .langgraph else { return nil }
        if key == "heartbeatTimeout" {
            return "\"heartbeatTimeout\" on a step is a Temporal activity timeout; on LangGraph, runtime.heartbeatTimeout is Revive's lease expiry for every node"
        }
        return "\"\(key)\" is a Temporal activity timeout; LangGraph has none (its lost workers are noticed by Revive's lease expiry, runtime.heartbeatTimeout)"
    }
}
