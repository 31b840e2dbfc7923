import Foundation
import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Turns scenario text into a checked `Scenario`, or an `InputError` listing every problem.
public enum ScenarioLoader {
    /// The default horizon: a run still waiting after this much virtual time is judged as it stands.
    public static let defaultHorizon = Span.days(7)

    /// Reads and loads a scenario file.
    public static func load(path: String) throws(InputError) -> Scenario {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "cannot read the file; check the path and its permissions")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: path, "the file is not UTF-8 text; a scenario is a JSON file")
        }
        return try load(text: text, file: path)
    }

    /// Loads a scenario from its JSON text; `file` names it in messages.
    public static func load(text: String, file: String) throws(InputError) -> Scenario {
        let document: JSONValue
        do {
            document = try JSONValue.parse(text)
        } catch {
            throw InputError(file: file, "not valid JSON at \(error.description)")
        }
        return try load(document: document, file: file)
    }

    /// Loads a scenario from an already parsed document (a JSONL header's embedded source).
    public static func load(document: JSONValue, file: String) throws(InputError) -> Scenario {
        var reader = JSONReader(file: file)
        let scenario = ScenarioBuilder.build(document, reader: &reader)
        if !reader.problems.isEmpty || scenario == nil {
            throw InputError(reader.problems.isEmpty ? [InputProblem(file: file, path: "", message: "not a scenario")] : reader.problems)
        }
        return scenario!
    }
}

/// Builds the model section by section; every method records problems and returns what it could read.
enum ScenarioBuilder {

    static func build(_ document: JSONValue, reader: inout JSONReader) -> Scenario? {
        guard let top = reader.object(document, at: "", allowed: ScenarioKeys.top, required: ScenarioKeys.topRequired) else {
            return nil
        }
        if let format = top["format"] {
            if case .integer(1) = format {} else {
                let found: String
                if case .number(let number) = format { found = "\(number)" } else { found = format.compactText }
                reader.fail("format", "this lab reads format 1 only (a whole number); found \(found). Set \"format\": 1")
            }
        }
        let name = reader.string(top["name"], at: "name")
        if let name, !isScenarioName(name) {
            reader.fail("name", "\"\(name)\" is not a scenario name; use lower-case words and dashes, like \"revoked-grant\"")
        }
        let description = top["description"].flatMap { reader.string($0, at: "description", nonEmpty: false) } ?? ""
        let seed = top["seed"].flatMap { reader.integer($0, at: "seed", range: 0...Int64.max) } ?? 1
        let runtime = readRuntime(top["runtime"], reader: &reader)
        let recovery = readRecovery(top["recovery"], reader: &reader)
        let horizon = top["horizon"].flatMap { reader.duration($0, at: "horizon", allowZero: false) } ?? ScenarioLoader.defaultHorizon
        let connections = readConnections(top["connections"], reader: &reader)
        // Ids of connections that have other problems still count, so one typo is reported once.
        let connectionIDs: [String]? = top["connections"].map { raw in
            guard case .array(let items) = raw else { return [] }
            return items.compactMap { $0["id"]?.stringValue }
        }
        let workflow = readWorkflow(top["workflow"], connectionIDs: connectionIDs, reader: &reader)
        var workers = Set(runtime?.workers ?? [])
        let events = readEvents(top["events"], connectionIDs: connectionIDs, workers: &workers, reader: &reader)
        let faults = readFaults(top["faults"], workflow: workflow, connectionIDs: connectionIDs, workers: workers, reader: &reader)
        let expect = ExpectationsBuilder.read(top["expect"], steps: workflow?.steps.map(\.id) ?? [], reader: &reader)
        guard reader.problems.isEmpty, let name, let runtime, let connections, let workflow else { return nil }
        return Scenario(file: reader.file, name: name, description: description, seed: UInt64(seed), runtime: runtime,
                        recovery: recovery, horizon: horizon, connections: connections, workflow: workflow,
                        faults: faults, events: events, expect: expect, source: document)
    }

    static func isScenarioName(_ name: String) -> Bool {
        let words = name.split(separator: "-", omittingEmptySubsequences: false)
        return !words.isEmpty && words.allSatisfy { word in
            !word.isEmpty && word.allSatisfy { ($0.isASCII && $0.isLowercase) || ($0.isASCII && $0.isNumber) }
        }
    }

    static func readRuntime(_ value: JSONValue?, reader: inout JSONReader) -> RuntimeSpec? {
        guard let object = reader.object(value, at: "runtime", allowed: ScenarioKeys.runtime,
                                         required: ScenarioKeys.runtimeRequired) else { return nil }
        let kind = reader.choice(object["kind"], at: "runtime.kind", of: RuntimeKind.self, noun: "a runtime kind")
        var workers = reader.stringList(object["workers"], at: "runtime.workers")
        if let list = workers {
            if list.isEmpty { reader.fail("runtime.workers", "name at least one worker, like [\"worker-a\"]") }
            var seen = Set<String>()
            for (i, worker) in list.enumerated() {
                if !seen.insert(worker).inserted {
                    reader.fail("runtime.workers[\(i)]", "worker \"\(worker)\" is listed twice")
                } else if Actor.partyNames.contains(worker) {
                    // Timelines name actors by these words; a worker so named could not be told apart.
                    reader.fail("runtime.workers[\(i)]", "\"\(worker)\" names a party of the timeline; call the worker something else, like \"worker-a\"")
                }
            }
            workers = list
        }
        let heartbeat = object["heartbeatTimeout"].flatMap { reader.duration($0, at: "runtime.heartbeatTimeout", allowZero: false) } ?? .minutes(1)
        let callTimeout = object["callTimeout"].flatMap { reader.duration($0, at: "runtime.callTimeout", allowZero: false) } ?? .seconds(30)
        let retry = object["retry"].flatMap { RetryPolicyBuilder.read($0, at: "runtime.retry", reader: &reader) }
        guard let kind, let workers else { return nil }
        return RuntimeSpec(kind: kind, workers: workers, heartbeatTimeout: heartbeat, callTimeout: callTimeout, retry: retry)
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

    static func readConnections(_ value: JSONValue?, reader: inout JSONReader) -> [ConnectionSpec]? {
        guard let items = reader.array(value, at: "connections") else { return nil }
        var result: [ConnectionSpec] = []
        var seen = Set<String>()
        for (i, item) in items.enumerated() {
            let path = JSONReader.index("connections", i)
            guard let object = reader.object(item, at: path, allowed: ScenarioKeys.connection,
                                             required: ScenarioKeys.connectionRequired) else { continue }
            let id = reader.string(object["id"], at: path + ".id")
            if let id, !seen.insert(id).inserted { reader.fail(path + ".id", "connection \"\(id)\" is defined twice") }
            let provider = reader.choice(object["provider"], at: path + ".provider", of: ProviderKind.self, noun: "a provider")
            let broker = reader.choice(object["broker"], at: path + ".broker", of: BrokerKind.self, noun: "a broker")
            let owner = reader.string(object["owner"], at: path + ".owner")
            let subject = reader.string(object["subject"], at: path + ".subject")
            let tenant = reader.string(object["tenant"], at: path + ".tenant")
            let scopes = object["scopes"].flatMap { reader.stringList($0, at: path + ".scopes") } ?? []
            let ttl = object["accessTokenTTL"].flatMap { reader.duration($0, at: path + ".accessTokenTTL", allowZero: false) } ?? .hours(1)
            let retry = object["retry"].flatMap { RetryPolicyBuilder.read($0, at: path + ".retry", reader: &reader) }
            if let id, let provider, let broker, let owner, let subject, let tenant {
                result.append(ConnectionSpec(id: id, provider: provider, broker: broker, owner: owner, subject: subject,
                                             tenant: tenant, scopes: scopes, accessTokenTTL: ttl, retry: retry))
            }
        }
        return result
    }

    static func readWorkflow(_ value: JSONValue?, connectionIDs known: [String]?, reader: inout JSONReader) -> WorkflowSpec? {
        guard let object = reader.object(value, at: "workflow", allowed: ScenarioKeys.workflow, required: ScenarioKeys.workflowRequired) else { return nil }
        let name = object["name"].flatMap { reader.string($0, at: "workflow.name") } ?? ""
        let run = reader.string(object["run"], at: "workflow.run")
        let retry = object["retry"].flatMap { RetryPolicyBuilder.read($0, at: "workflow.retry", reader: &reader) }
        guard let items = reader.array(object["steps"], at: "workflow.steps") else { return nil }
        if items.isEmpty { reader.fail("workflow.steps", "a workflow needs at least one step") }
        let connectionIDs = known ?? []
        var steps: [StepSpec] = []
        var seen = Set<String>()
        for (i, item) in items.enumerated() {
            let path = JSONReader.index("workflow.steps", i)
            guard let step = reader.object(item, at: path, allowed: ScenarioKeys.step, required: ScenarioKeys.stepRequired) else { continue }
            let id = reader.string(step["id"], at: path + ".id")
            if let id, !seen.insert(id).inserted { reader.fail(path + ".id", "step \"\(id)\" is defined twice") }
            let connection = step["connection"].flatMap { reader.string($0, at: path + ".connection") }
            if let connection, known != nil, !connectionIDs.contains(connection) {
                reader.fail(path + ".connection", "no connection \"\(connection)\"; defined: \(connectionIDs.joined(separator: ", "))")
            }
            let effect = step["effect"].flatMap { reader.choice($0, at: path + ".effect", of: StepEffect.self, noun: "an effect") }
                ?? (connection == nil ? StepEffect.none : .read)
            if effect != .none && step["connection"] == nil {
                reader.fail(path + ".effect", "a \(effect.rawValue) step calls a provider; give it a \"connection\"")
            }
            let duration = step["duration"].flatMap { reader.duration($0, at: path + ".duration") } ?? Span(milliseconds: 100)
            let stepRetry = step["retry"].flatMap { RetryPolicyBuilder.read($0, at: path + ".retry", reader: &reader) }
            if let id { steps.append(StepSpec(id: id, connection: connection, effect: effect, duration: duration, retry: stepRetry)) }
        }
        // A missing run id is already reported; the steps are still returned so faults and
        // expectations that name them are checked too.
        return WorkflowSpec(name: name, run: run ?? "", steps: steps, retry: retry)
    }

    static func readEvents(_ value: JSONValue?, connectionIDs known: [String]?, workers: inout Set<String>, reader: inout JSONReader) -> [EventSpec] {
        guard let items = reader.array(value, at: "events") else { return [] }
        let connectionIDs = known ?? []
        var result: [EventSpec] = []
        // Workers started by events may be revived or struck later: collect their names first.
        for item in items {
            if case .string("start-worker")? = item["do"], case .string(let worker)? = item["worker"] { workers.insert(worker) }
        }
        for (i, item) in items.enumerated() {
            let path = JSONReader.index("events", i)
            guard let object = reader.object(item, at: path, allowed: ScenarioKeys.event,
                                             required: ScenarioKeys.eventRequired) else { continue }
            var trigger: EventTrigger?
            switch (object["at"], object["on"]) {
            case (nil, nil): reader.fail(path, "say when the event fires: \"at\": \"+12m\", or \"on\": a transition name (with an optional \"after\")")
            case (.some, .some): reader.fail(path + ".on", "use either \"at\" or \"on\", not both")
            case (let at?, nil):
                if object["after"] != nil { reader.fail(path + ".after", "\"after\" goes with \"on\"; with \"at\" give the time directly") }
                if let instant = reader.instant(at, at: path + ".at") { trigger = .at(instant) }
            case (nil, let on?):
                let after = object["after"].flatMap { reader.duration($0, at: path + ".after") } ?? .zero
                if let spelling = reader.string(on, at: path + ".on"),
                   let name = ExpectationsBuilder.transitionName(spelling, at: path + ".on", reader: &reader) {
                    trigger = .on(transition: name, after: after)
                }
            }
            let kinds = ScenarioKeys.eventKinds
            guard let kind = reader.string(object["do"], at: path + ".do") else { continue }
            let needs: [String]
            switch kind {
            case "reconnect": needs = ["connection", "subject", "tenant"]
            case "reuse-capability", "operator-fix": needs = ["connection"]
            case "start-worker", "revive-worker": needs = ["worker"]
            default:
                reader.fail(path + ".do", "\"\(kind)\" is not an event; use one of \(kinds.joined(separator: ", "))")
                continue
            }
            for key in ["connection", "subject", "tenant", "worker"] {
                if needs.contains(key) && object[key] == nil { reader.fail(path + "." + key, "missing required key for \"\(kind)\"") }
                if !needs.contains(key) && object[key] != nil { reader.fail(path + "." + key, "\"\(kind)\" takes no \"\(key)\"; it takes \(needs.joined(separator: ", "))") }
            }
            let connection = object["connection"].flatMap { reader.string($0, at: path + ".connection") }
            if let connection, known != nil, !connectionIDs.contains(connection) {
                reader.fail(path + ".connection", "no connection \"\(connection)\"; defined: \(connectionIDs.joined(separator: ", "))")
            }
            let worker = object["worker"].flatMap { reader.string($0, at: path + ".worker") }
            if kind == "revive-worker", let worker, !workers.contains(worker) {
                reader.fail(path + ".worker", "no worker \"\(worker)\"; known workers: \(workers.sorted().joined(separator: ", "))")
            }
            let subject = object["subject"].flatMap { reader.string($0, at: path + ".subject") }
            let tenant = object["tenant"].flatMap { reader.string($0, at: path + ".tenant") }
            let action: EventAction?
            switch kind {
            case "reconnect": action = connection.flatMap { c in subject.flatMap { s in tenant.map { .reconnect(connection: c, subject: s, tenant: $0) } } }
            case "reuse-capability": action = connection.map { .reuseCapability(connection: $0) }
            case "operator-fix": action = connection.map { .operatorFix(connection: $0) }
            case "start-worker": action = worker.map { .startWorker($0) }
            default: action = worker.map { .reviveWorker($0) }
            }
            if let trigger, let action { result.append(EventSpec(trigger: trigger, action: action)) }
        }
        return result
    }

    static func readFaults(_ value: JSONValue?, workflow: WorkflowSpec?, connectionIDs known: [String]?, workers: Set<String>,
                           reader: inout JSONReader) -> [FaultSpec] {
        guard let items = reader.array(value, at: "faults") else { return [] }
        var result: [FaultSpec] = []
        let connectionIDs = known ?? []
        for (i, item) in items.enumerated() {
            let path = JSONReader.index("faults", i)
            guard let object = reader.object(item, at: path, allowed: ScenarioKeys.fault,
                                             required: ScenarioKeys.faultRequired) else { continue }
            guard let kind = reader.choice(object["fault"], at: path + ".fault", of: FaultKind.self, noun: "a fault") else { continue }
            var trigger: FaultTrigger?
            var stepSpec: StepSpec?
            switch object["at"] {
            case .string?:
                trigger = reader.instant(object["at"], at: path + ".at").map { .time($0) }
                let target = kind.targetsWorker ? "worker" : "connection"
                if object[target] == nil { reader.fail(path + "." + target, "a \"\(kind.rawValue)\" at a virtual time needs a \"\(target)\"") }
            case .object?:
                guard let at = reader.object(object["at"], at: path + ".at", allowed: ScenarioKeys.stepPoint, required: ScenarioKeys.stepPointRequired) else { break }
                let stepID = reader.string(at["step"], at: path + ".at.step")
                let point = reader.choice(at["point"], at: path + ".at.point", of: StepPoint.self, noun: "a step point")
                let attempt = at["attempt"].flatMap { reader.integer($0, at: path + ".at.attempt", range: 1...10_000) } ?? 1
                if let stepID, let steps = workflow?.steps {
                    stepSpec = steps.first(where: { $0.id == stepID })
                    if stepSpec == nil {
                        reader.fail(path + ".at.step", "no step \"\(stepID)\"; the workflow's steps are \(steps.map(\.id).joined(separator: ", "))")
                    }
                }
                if let stepID, let point { trigger = .step(id: stepID, point: point, attempt: Int(attempt)) }
                if object["connection"] != nil || object["worker"] != nil {
                    let key = object["connection"] != nil ? "connection" : "worker"
                    reader.fail(path + "." + key, "a fault at a step point strikes that step's \(key); remove \"\(key)\"")
                }
            case let other?:
                reader.fail(path + ".at", "expected a step point object or a virtual time like \"+5m\", found \(other.typeName)")
            case nil: break
            }
            if let step = stepSpec, !kind.targetsWorker, step.connection == nil {
                reader.fail(path + ".at.step", "step \"\(step.id)\" calls no provider, so \"\(kind.rawValue)\" cannot strike it; pick a step with a connection")
            }
            let connection = object["connection"].flatMap { reader.string($0, at: path + ".connection") }
            if let connection {
                if kind.targetsWorker { reader.fail(path + ".connection", "\"\(kind.rawValue)\" strikes a worker; use \"worker\"") }
                else if known != nil, !connectionIDs.contains(connection) {
                    reader.fail(path + ".connection", "no connection \"\(connection)\"; defined: \(connectionIDs.joined(separator: ", "))")
                }
            }
            let worker = object["worker"].flatMap { reader.string($0, at: path + ".worker") }
            if let worker {
                if !kind.targetsWorker { reader.fail(path + ".worker", "\"\(kind.rawValue)\" strikes a connection; use \"connection\"") }
                else if !workers.contains(worker) {
                    reader.fail(path + ".worker", "no worker \"\(worker)\"; known workers: \(workers.sorted().joined(separator: ", "))")
                }
            }
            var signal: ProviderSignal?
            if let raw = object["signal"] {
                if kind == .providerError || kind == .revokeGrant {
                    signal = SignalBuilder.read(raw, at: path + ".signal", reader: &reader)
                } else {
                    reader.fail(path + ".signal", "\"\(kind.rawValue)\" takes no signal; only provider-error and revoke-grant do")
                }
            } else if kind == .providerError {
                reader.fail(path + ".signal", "a provider-error needs the \"signal\" the provider sends, like {\"status\": 503, \"error\": \"temporarily_unavailable\"}")
            }
            var count = 1
            if let raw = object["count"] {
                if kind == .providerError {
                    count = reader.integer(raw, at: path + ".count", range: 1...100_000).map(Int.init) ?? 1
                } else {
                    reader.fail(path + ".count", "only provider-error takes \"count\"")
                }
            }
            var stallFor: Span?
            if let raw = object["for"] {
                if kind == .stallWorker { stallFor = reader.duration(raw, at: path + ".for", allowZero: false) } else {
                    reader.fail(path + ".for", "only stall-worker takes \"for\"")
                }
            } else if kind == .stallWorker {
                reader.fail(path + ".for", "a stall-worker needs \"for\": how long the worker freezes, like \"5m\"")
            }
            if let trigger {
                result.append(FaultSpec(at: trigger, kind: kind, connection: connection, worker: worker, signal: signal,
                                        count: count, stallFor: stallFor))
            }
        }
        return result
    }
}
