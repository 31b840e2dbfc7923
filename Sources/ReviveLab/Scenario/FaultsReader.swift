import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Reads `faults`: what strikes the run, when (a virtual time or a step point), what it strikes
/// (a connection or a worker) and the fields only some kinds take (signal, count, for).
extension ScenarioBuilder {
    static func readFaults(_ value: JSONValue?, workflow: WorkflowSpec?, connectionIDs known: [String]?, workers: NameSet,
                           reader: inout JSONReader) -> [FaultSpec] {
        guard let items = reader.array(value, at: "faults") else { return [] }
        var result: [FaultSpec] = []
        result.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            if let fault = readFault(item, at: JSONReader.index("faults", i), workflow: workflow, connectionIDs: known, workers: workers, reader: &reader) {
                result.append(consume fault)
            }
        }
        return result
    }

    static func readFault(_ item: JSONValue, at path: @autoclosure () -> String, workflow: WorkflowSpec?, connectionIDs known: [String]?,
                          workers: NameSet, reader: inout JSONReader) -> FaultSpec? {
        guard let object = reader.fields(item, at: path(), as: FaultKey.self) else { return nil }
        guard let kind = reader.choice(object[.fault], at: path() + ".fault", of: FaultKind.self, spellings: Spellings.faultKinds, noun: "a fault") else { return nil }
        let (trigger, step) = readFaultTrigger(object, kind: kind, at: path(), workflow: workflow, reader: &reader)
        if let step, !kind.targetsWorker, !kind.isOutage, step.connection == nil {
            reader.fail(path() + ".at.step", "step \"\(step.id)\" calls no provider, so \"\(kind.rawValue)\" cannot strike it; pick a step with a connection")
        }
        let connection = readFaultTarget(.connection, of: object, kind: kind, at: path(), connectionIDs: known, workers: workers, reader: &reader)
        let worker = readFaultTarget(.worker, of: object, kind: kind, at: path(), connectionIDs: known, workers: workers, reader: &reader)
        let signal = readFaultSignal(object, kind: kind, at: path(), reader: &reader)
        let count = readFaultCount(object, kind: kind, at: path(), reader: &reader)
        let lateBy = readLateBy(object, kind: kind, at: path(), reader: &reader)
        let lasting = readStallDuration(object, kind: kind, at: path(), reader: &reader)
        guard let trigger else { return nil }
        return FaultSpec(at: trigger, kind: kind, connection: connection.map { ConnectionID(knownSpelling(of: $0, in: known)) }, worker: worker.map(WorkerID.init), signal: signal,
                         count: count, stallFor: kind == .stallWorker ? lasting : nil, lateBy: lateBy, lasting: kind.isOutage ? lasting : nil)
    }

    /// When the fault strikes; for a step point also the step it names, if the workflow has it.
    static func readFaultTrigger(_ object: Fields<FaultKey>, kind: FaultKind, at path: @autoclosure () -> String, workflow: WorkflowSpec?,
                                 reader: inout JSONReader) -> (trigger: FaultTrigger?, step: StepSpec?) {
        switch object[.at] {
        case .string?: return (readTimeTrigger(object, kind: kind, at: path(), reader: &reader), nil)
        case .object?: return readStepPointTrigger(object, at: path(), workflow: workflow, reader: &reader)
        case let other?:
            reader.fail(path() + ".at", "expected a step point object or a virtual time like \"+5m\", found \(other.typeName)")
            return (nil, nil)
        case nil: return (nil, nil)
        }
    }

    /// `"at": "+5m"`: no step says what to strike, so the fault must name its connection or worker.
    static func readTimeTrigger(_ object: Fields<FaultKey>, kind: FaultKind, at path: @autoclosure () -> String, reader: inout JSONReader) -> FaultTrigger? {
        let trigger = reader.instant(object[.at], at: path() + ".at").map { FaultTrigger.time($0) }
        // An outage takes a durable side away: it strikes no connection and no worker.
        if kind.isOutage { return trigger }
        let target = targetKey(of: kind)
        if object.value(named: target) == nil { reader.fail(path() + "." + target, "a \"\(kind.rawValue)\" at a virtual time needs a \"\(target)\"") }
        return trigger
    }

    /// `"at": {"step", "point", "attempt"}`: the step's own connection or worker is struck, so naming one is refused.
    static func readStepPointTrigger(_ object: Fields<FaultKey>, at path: @autoclosure () -> String, workflow: WorkflowSpec?,
                                     reader: inout JSONReader) -> (trigger: FaultTrigger?, step: StepSpec?) {
        guard let at = reader.fields(object[.at], at: path() + ".at", as: StepPointKey.self) else { return (nil, nil) }
        let stepID = reader.string(at, .step, at: path() + ".at.step")
        let point = reader.choice(at[.point], at: path() + ".at.point", of: StepPoint.self, spellings: Spellings.stepPoints, noun: "a step point")
        let attempt = at[.attempt].flatMap { reader.integer($0, at: path() + ".at.attempt", range: 1...10_000) } ?? 1
        var step: StepSpec?
        if let stepID, let steps = workflow?.steps {
            step = steps.first(where: { $0.id.rawValue == stepID })
            if step == nil {
                reader.fail(path() + ".at.step", "no step \"\(stepID)\"; the workflow's steps are \(steps.map(\.id.rawValue).joined(separator: ", "))")
            }
        }
        var trigger: FaultTrigger?
        if let stepID, let point { trigger = .step(id: ActionKey(stepID), point: point, attempt: Int(attempt)) }
        if object.has(.connection) || object.has(.worker) {
            let key = object.has(.connection) ? "connection" : "worker"
            reader.fail(path() + "." + key, "a fault at a step point strikes that step's \(key); remove \"\(key)\"")
        }
        return (trigger, step)
    }

    /// The key that names what `kind` strikes: "worker" for worker faults, "connection" for the rest.
    static func targetKey(of kind: FaultKind) -> String { kind.targetsWorker ? "worker" : "connection" }

    /// The connection or worker (`key`) a fault names: refused when the kind strikes the other,
    /// else checked against the connections or workers the scenario defines.
    static func readFaultTarget(_ target: FaultKey, of object: Fields<FaultKey>, kind: FaultKind, at path: @autoclosure () -> String,
                                connectionIDs known: [String]?, workers: NameSet, reader: inout JSONReader) -> String? {
        guard let name = reader.optionalString(object, target, under: path()) else { return nil }
        let key = Fields<FaultKey>.name(of: target)
        let wanted = targetKey(of: kind)
        if kind.isOutage {
            reader.fail(path() + "." + key, "\"\(kind.rawValue)\" takes a durable side away and strikes no \(key); remove \"\(key)\"")
        } else if key != wanted {
            reader.fail(path() + "." + key, "\"\(kind.rawValue)\" strikes a \(wanted); use \"\(wanted)\"")
        } else if key == "worker" {
            checkWorkerExists(name, at: path() + ".worker", workers: workers, reader: &reader)
        } else {
            checkConnectionExists(name, at: path() + ".connection", known: known, reader: &reader)
        }
        return name
    }

    /// What the provider answers: required by provider-error, optional for revoke-grant, refused elsewhere.
    static func readFaultSignal(_ object: Fields<FaultKey>, kind: FaultKind, at path: @autoclosure () -> String, reader: inout JSONReader) -> ProviderSignal? {
        guard let raw = object[.signal] else {
            if kind == .providerError {
                reader.fail(path() + ".signal", "a provider-error needs the \"signal\" the provider sends, like {\"status\": 503, \"error\": \"temporarily_unavailable\"}")
            }
            return nil
        }
        guard kind == .providerError || kind == .revokeGrant else {
            reader.fail(path() + ".signal", "\"\(kind.rawValue)\" takes no signal; only provider-error and revoke-grant do")
            return nil
        }
        return SignalBuilder.read(raw, at: path() + ".signal", reader: &reader)
    }

    /// How many calls in a row a provider-error fails (1 unless given); no other kind takes it.
    static func readFaultCount(_ object: Fields<FaultKey>, kind: FaultKind, at path: @autoclosure () -> String, reader: inout JSONReader) -> Int {
        guard let raw = object[.count] else { return 1 }
        guard kind == .providerError || kind == .lookupError else {
            reader.fail(path() + ".count", "only provider-error and lookup-error take \"count\"")
            return 1
        }
        return reader.integer(raw, at: path() + ".count", range: 1...100_000).map(Int.init) ?? 1
    }

    /// How long a stall-worker freezes its worker, or an outage lasts: required there, refused elsewhere.
    static func readStallDuration(_ object: Fields<FaultKey>, kind: FaultKind, at path: @autoclosure () -> String, reader: inout JSONReader) -> Span? {
        guard let raw = object[.for] else {
            if kind == .stallWorker { reader.fail(path() + ".for", "a stall-worker needs \"for\": how long the worker freezes, like \"5m\"") }
            if kind.isOutage { reader.fail(path() + ".for", "a \(kind.rawValue) needs \"for\": how long the outage lasts, like \"5m\"") }
            return nil
        }
        guard kind == .stallWorker || kind.isOutage else {
            reader.fail(path() + ".for", "only stall-worker, store-unavailable and runtime-unavailable take \"for\"")
            return nil
        }
        return reader.duration(raw, at: path() + ".for", allowZero: false)
    }

    /// How long after the provider's declared bound a late-apply lands (1 minute unless given); no other kind takes it.
    static func readLateBy(_ object: Fields<FaultKey>, kind: FaultKind, at path: @autoclosure () -> String, reader: inout JSONReader) -> Span? {
        guard let raw = object[.by] else { return kind == .lateApply ? FaultSpec.defaultLateBy : nil }
        guard kind == .lateApply else {
            reader.fail(path() + ".by", "only late-apply takes \"by\"")
            return nil
        }
        return reader.duration(raw, at: path() + ".by", allowZero: false)
    }
}
