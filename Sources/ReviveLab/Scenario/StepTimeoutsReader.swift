import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Checks a step's own activity timeouts against the runtime and the format, with the same
/// errors as the runtime-level keys, and Temporal's rule that every activity has a start-to-close
/// or a schedule-to-close timeout (its own or the runtime's).
extension ScenarioBuilder {
    static func checkStepTimeouts(runtime: JSONValue?, workflow: JSONValue?, format: Int, reader: inout JSONReader) {
        guard let kind = runtime?["kind"]?.stringValue.flatMap(RuntimeKind.init(rawValue:)),
              case .array(let items)? = workflow?["steps"] else { return }
        // Steps are named by index only when reported: most files have nothing to report. Only
        // the index is kept: an array of (index, step) pairs was a generic type of its own, which
        // the runtime built from its mangled name on every cold run.
        var unbounded: [Int] = []
        for (i, item) in items.enumerated() {
            guard case .object = item else { continue }
            for key in ScenarioKeys.stepFormatTwo where item[key] != nil {
                if let problem = stepTimeoutProblem(key, kind: kind, format: format) {
                    reader.fail(JSONReader.index("workflow.steps", i) + "." + key, problem)
                }
            }
            if item["startToCloseTimeout"] == nil && item["scheduleToCloseTimeout"] == nil { unbounded.append(i) }
        }
        guard format >= 2, kind == .temporal, runtime?["startToCloseTimeout"] == nil, runtime?["scheduleToCloseTimeout"] == nil,
              !unbounded.isEmpty else { return }
        if unbounded.count == items.count {
            reader.fail("runtime", "a Temporal activity needs a start-to-close or a schedule-to-close timeout; set \"startToCloseTimeout\" (like \"10s\") or \"scheduleToCloseTimeout\" on runtime, or on every step")
            return
        }
        for i in unbounded {
            let id = items[i]["id"]?.stringValue ?? String(i)
            reader.fail(JSONReader.index("workflow.steps", i), "activity \"\(id)\" needs a start-to-close or a schedule-to-close timeout; set \"startToCloseTimeout\" (like \"10s\") or \"scheduleToCloseTimeout\" on the step, or on runtime for every activity")
        }
    }

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
