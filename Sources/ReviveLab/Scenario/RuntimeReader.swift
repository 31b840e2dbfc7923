import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Reads `runtime` (the kind, the workers and their timeouts) and `recovery` (Revive's own settings).
extension ScenarioBuilder {
    static func readRuntime(_ value: JSONValue?, format: Int, reader: inout JSONReader) -> RuntimeSpec? {
        guard let object = reader.fields(value, at: "runtime", as: RuntimeKey.self) else { return nil }
        let kind = reader.choice(object[.kind], at: "runtime.kind", of: RuntimeKind.self, spellings: Spellings.runtimeKinds, noun: "a runtime kind")
        let workers = reader.stringList(object[.workers], at: "runtime.workers", as: WorkerID.init)
        if let workers { checkWorkerNames(workers, reader: &reader) }
        let heartbeat = object[.heartbeatTimeout].flatMap { reader.duration($0, at: "runtime.heartbeatTimeout", allowZero: false) } ?? .minutes(1)
        let callTimeout = object[.callTimeout].flatMap { reader.duration($0, at: "runtime.callTimeout", allowZero: false) } ?? .seconds(30)
        let retry = object[.retry].flatMap { RetryPolicyBuilder.read($0, at: "runtime.retry", reader: &reader) }
        guard let kind, let workers else { return nil }
        var model = readModel(object, kind: kind, format: format, reader: &reader)
        // Temporal has no default heartbeat timeout: format 2 uses one only when the file sets it.
        if model.measured && kind == .temporal && object.has(.heartbeatTimeout) { model.activityHeartbeat = heartbeat }
        return RuntimeSpec(kind: kind, workers: workers, heartbeatTimeout: heartbeat, callTimeout: callTimeout, retry: retry,
                           model: model)
    }

    /// The places of `ScenarioKeys.runtimeFormatTwo` among the runtime's keys (two of them too
    /// long to be placed by their words: found once, not in every format 1 file).
    static let runtimeFormatTwoPlaces = ScenarioKeys.runtimeFormatTwo.map { RuntimeKey.list.place(of: $0)! }

    /// The format-2 keys: LangGraph's `durability`, Temporal's activity timeouts (a heartbeat
    /// timeout is optional and has no default; steps may set their own).
    static func readModel(_ object: Fields<RuntimeKey>, kind: RuntimeKind, format: Int, reader: inout JSONReader) -> RuntimeModel {
        guard format >= 2 else {
            for (key, place) in zip(ScenarioKeys.runtimeFormatTwo, runtimeFormatTwoPlaces) where object.has(at: place) {
                reader.fail("runtime.\(key)", "\"\(key)\" is a format 2 key; set \"format\": 2 to use it (format 2 plays the runtimes as measured, see docs/scenario-format.md)")
            }
            return .formatOne
        }
        var model = RuntimeModel(format: format)
        let durability = object[.durability].flatMap { reader.choice($0, at: "runtime.durability", of: Durability.self, noun: "a durability mode") }
        let startToClose = object[.startToCloseTimeout].flatMap { reader.duration($0, at: "runtime.startToCloseTimeout", allowZero: false) }
        let scheduleToClose = object[.scheduleToCloseTimeout].flatMap { reader.duration($0, at: "runtime.scheduleToCloseTimeout", allowZero: false) }
        switch kind {
        case .langgraph:
            for key in ["startToCloseTimeout", "scheduleToCloseTimeout"] where object.value(named: key) != nil {
                reader.fail("runtime.\(key)", "\"\(key)\" is a Temporal activity timeout; LangGraph has none (its lost workers are noticed by Revive's lease expiry, runtime.heartbeatTimeout)")
            }
            model.durability = durability ?? .async
        case .temporal:
            if object.has(.durability) {
                reader.fail("runtime.durability", "\"durability\" is LangGraph's; Temporal's event history is always written before it moves on")
            }
            // That every activity has a start-to-close or schedule-to-close timeout, its own or
            // this one, is checked with the steps (`checkStepTimeouts`).
            model.startToClose = startToClose
            model.scheduleToClose = scheduleToClose
        }
        return model
    }

    /// Reports an empty list, a worker listed twice, and a worker named like a party of the timeline.
    static func checkWorkerNames(_ workers: [WorkerID], reader: inout JSONReader) {
        if workers.isEmpty { reader.fail("runtime.workers", "name at least one worker, like [\"worker-a\"]") }
        // A few workers (every file names one to three) are compared with those before them, as
        // `NameSet` would compare them, without making one (and its teardown) for each file.
        let few = workers.count <= NameSet.linearLimit
        var seen = NameSet()
        for (i, id) in workers.enumerated() {
            let worker = id.rawValue
            let repeated = few ? workers[..<i].contains(where: { $0.rawValue == worker }) : !seen.insert(worker)
            if repeated {
                reader.fail("runtime.workers[\(i)]", "worker \"\(worker)\" is listed twice")
            } else {
                checkNotAParty(worker, at: "runtime.workers[\(i)]", reader: &reader)
            }
        }
    }

    static func readRecovery(_ value: JSONValue?, reader: inout JSONReader) -> RecoveryConfiguration {
        var configuration = RecoveryConfiguration()
        guard let object = reader.fields(value, at: "recovery", as: RecoveryKey.self) else { return configuration }
        if let ttl = object[.capabilityTTL].flatMap({ reader.duration($0, at: "recovery.capabilityTTL", allowZero: false) }) {
            configuration.capabilityLifetime = ttl
        }
        if let reminders = object[.maxReminders].flatMap({ reader.integer($0, at: "recovery.maxReminders", range: 0...1000) }) {
            configuration.maxReminders = Int(reminders)
        }
        return configuration
    }
}
