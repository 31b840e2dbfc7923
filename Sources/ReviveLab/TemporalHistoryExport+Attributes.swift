import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// The attribute objects of the Temporal export: task queues, an activity's options, failures.
extension TemporalHistoryExport.Builder {
    func id(_ value: Int) -> JSONValue { .string(String(value)) }

    func note(_ t: Transition, _ name: String) -> String? { HistoryExport.note(t, name) }

    /// A worker's identity, as the SDK names it.
    func identity(_ worker: String) -> String { worker.isEmpty ? "" : worker + "@revive-lab" }

    func taskQueue(sticky: String?) -> JSONValue {
        guard let sticky else { return .object([("name", .string(queue)), ("kind", .string("TASK_QUEUE_KIND_NORMAL"))]) }
        return .object([("name", .string(sticky + "-sticky")), ("kind", .string("TASK_QUEUE_KIND_STICKY")), ("normalName", .string(queue))])
    }

    func taskScheduled(sticky: String?) -> [(String, JSONValue)] {
        [("taskQueue", taskQueue(sticky: sticky)), ("startToCloseTimeout", .string("10s")), ("attempt", .integer(1))]
    }

    /// `ActivityTaskScheduled`: the activity's id, type, timeouts and retry policy.
    func scheduledAttributes(_ step: String) -> [(String, JSONValue)] {
        let model = scenario.runtime.model
        // The step's own timeouts over the runtime's (format 2); format 1 names no activity
        // timeouts, and its heartbeat timeout is the lab's worker-loss rule.
        let timeouts = scenario.workflow.steps.first(where: { $0.id.rawValue == step }).map(model.timeouts(for:)) ?? model.activityTimeouts
        let heartbeat = model.measured ? timeouts.heartbeat : scenario.runtime.heartbeatTimeout
        return [
            ("activityId", .string(String(activitiesScheduled))), ("activityType", .object([("name", .string(step))])),
            ("taskQueue", taskQueue(sticky: nil)), ("header", .object([])),
            ("scheduleToCloseTimeout", .string(HistoryExport.duration(timeouts.scheduleToClose))),
            ("scheduleToStartTimeout", .string("0s")),
            ("startToCloseTimeout", .string(HistoryExport.duration(timeouts.startToClose))),
            ("heartbeatTimeout", .string(HistoryExport.duration(heartbeat))),
            ("workflowTaskCompletedEventId", id(lastTaskCompleted)),
            ("retryPolicy", retryPolicy(step)),
        ]
    }

    /// The step's layered retry policy in Temporal's words (its defaults filled in).
    func retryPolicy(_ step: String) -> JSONValue {
        let spec = scenario.workflow.steps.first(where: { $0.id.rawValue == step })
        let connection = spec?.connection.flatMap { id in scenario.connections.first(where: { $0.id == id }) }
        let layers = [spec?.retry, connection?.retry, scenario.workflow.retry, scenario.runtime.retry].compactMap { $0 }
        let policy = layers.reduce(RetryPolicy()) { merged, broader in merged.merged(over: broader) }
        let initial = policy.initialBackoff ?? .seconds(1)
        var members: [(key: String, value: JSONValue)] = [
            ("initialInterval", .string(HistoryExport.duration(initial))),
            ("backoffCoefficient", .integer(Int64(policy.backoffCoefficient ?? 2))),
            ("maximumInterval", .string(HistoryExport.duration(policy.maxBackoff ?? Span(milliseconds: initial.milliseconds * 100)))),
        ]
        if let attempts = policy.maxAttempts, attempts > 0 { members.append(("maximumAttempts", .integer(Int64(attempts)))) }
        return .object(members)
    }

    /// An application failure as Temporal records it.
    func failure(_ message: String, type: String, nonRetryable: Bool = false) -> JSONValue {
        var info: [(key: String, value: JSONValue)] = [("type", .string(type))]
        if nonRetryable { info.append(("nonRetryable", .bool(true))) }
        return .object([("message", .string(message)), ("applicationFailureInfo", .object(info))])
    }

    /// A timeout failure (heartbeat or start-to-close) as the server records it.
    func timeoutFailure(_ reason: String?) -> JSONValue {
        let type = reason == "heartbeat-timeout" || reason == nil ? "HEARTBEAT" : reason == "schedule-to-close-timeout" ? "SCHEDULE_TO_CLOSE" : "START_TO_CLOSE"
        let words = type == "HEARTBEAT" ? "Heartbeat" : type == "START_TO_CLOSE" ? "StartToClose" : "ScheduleToClose"
        return .object([("message", .string("activity \(words) timeout")), ("source", .string("Server")),
                        ("timeoutFailureInfo", .object([("timeoutType", .string("TIMEOUT_TYPE_" + type))]))])
    }
}
