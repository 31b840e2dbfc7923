import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Reads `runtime` (the kind, the workers and their timeouts) and `recovery` (Revive's own settings).
extension ScenarioBuilder {
    static func readRuntime(_ value: JSONValue?, reader: inout JSONReader) -> RuntimeSpec? {
        guard let object = reader.object(value, at: "runtime", allowed: ScenarioKeys.runtime,
                                         required: ScenarioKeys.runtimeRequired) else { return nil }
        let kind = reader.choice(object["kind"], at: "runtime.kind", of: RuntimeKind.self, noun: "a runtime kind")
        let workers = reader.stringList(object["workers"], at: "runtime.workers")
        if let workers { checkWorkerNames(workers, reader: &reader) }
        let heartbeat = object["heartbeatTimeout"].flatMap { reader.duration($0, at: "runtime.heartbeatTimeout", allowZero: false) } ?? .minutes(1)
        let callTimeout = object["callTimeout"].flatMap { reader.duration($0, at: "runtime.callTimeout", allowZero: false) } ?? .seconds(30)
        let retry = object["retry"].flatMap { RetryPolicyBuilder.read($0, at: "runtime.retry", reader: &reader) }
        guard let kind, let workers else { return nil }
        return RuntimeSpec(kind: kind, workers: workers.map(WorkerID.init), heartbeatTimeout: heartbeat, callTimeout: callTimeout, retry: retry)
    }

    /// Reports an empty list, a worker listed twice, and a worker named like a party of the timeline.
    static func checkWorkerNames(_ workers: [String], reader: inout JSONReader) {
        if workers.isEmpty { reader.fail("runtime.workers", "name at least one worker, like [\"worker-a\"]") }
        var seen = Set<String>()
        for (i, worker) in workers.enumerated() {
            if !seen.insert(worker).inserted {
                reader.fail("runtime.workers[\(i)]", "worker \"\(worker)\" is listed twice")
            } else {
                checkNotAParty(worker, at: "runtime.workers[\(i)]", reader: &reader)
            }
        }
    }

    static func readRecovery(_ value: JSONValue?, reader: inout JSONReader) -> RecoveryConfiguration {
        var configuration = RecoveryConfiguration()
        guard let object = reader.object(value, at: "recovery", allowed: ScenarioKeys.recovery) else { return configuration }
        if let ttl = object["capabilityTTL"].flatMap({ reader.duration($0, at: "recovery.capabilityTTL", allowZero: false) }) {
            configuration.capabilityLifetime = ttl
        }
        if let reminders = object["maxReminders"].flatMap({ reader.integer($0, at: "recovery.maxReminders", range: 0...1000) }) {
            configuration.maxReminders = Int(reminders)
        }
        return configuration
    }
}
