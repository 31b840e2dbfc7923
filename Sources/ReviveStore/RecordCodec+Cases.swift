import Revive
import ReviveVocabulary

/// Recovery cases (with their classification and signal) and transitions, as row text.
extension RecordCodec {
    static func text(_ c: RecoveryCase) -> String {
        var w = RecordWriter()
        w.put("id", c.id.rawValue)
        w.put("connection", c.connection.rawValue)
        w.put("subject", c.pinnedIdentity.subject)
        w.put("tenant", c.pinnedIdentity.tenant)
        w.put("owner", c.ownerAddress)
        w.put("run", c.run.rawValue)
        w.put("checkpoint", c.checkpoint)
        w.put("action", c.action?.rawValue)
        w.put("key", c.idempotencyKey?.rawValue)
        w.put("ledgerState", c.ledgerState?.rawValue)
        w.put("signal", c.signal.map(signalValue))
        w.put("classification", classificationValue(c.classification))
        w.put("rejectedGeneration", c.rejectedGeneration.value)
        w.put("openedBy", c.openedBy.rawValue)
        w.put("openedAt", c.openedAt)
        w.put("state", c.state.rawValue)
        w.put("refusals", c.refusals)
        w.put("currentCapability", c.currentCapability?.rawValue)
        w.put("closedAt", c.closedAt)
        if let grant = c.grant {
            var g = RecordWriter()
            g.put("id", grant.id)
            g.put("connection", grant.connection.rawValue)
            g.put("subject", grant.identity.subject)
            g.put("tenant", grant.identity.tenant)
            w.put("grant", JSONValue.object(g.members))
        }
        return w.text
    }

    static func recoveryCase(_ text: String) throws(RecoveryStoreError) -> RecoveryCase {
        let r = try RecordReader(text, what: "a recovery case")
        guard let classification = r.value("classification") else { throw .corrupt("a recovery case lacks its classification") }
        return RecoveryCase(
            id: CaseID(try r.string("id")), connection: ConnectionID(try r.string("connection")),
            pinnedIdentity: ProviderIdentity(subject: try r.string("subject"), tenant: try r.string("tenant")),
            ownerAddress: try r.string("owner"), run: RunID(try r.string("run")), checkpoint: try r.optionalString("checkpoint"),
            action: try r.optionalString("action").map(ActionKey.init),
            idempotencyKey: try r.optionalString("key").map { IdempotencyKey(rawValue: $0) },
            ledgerState: try r.optionalChoice("ledgerState", as: LedgerState.self),
            signal: try r.value("signal").map { (value) throws(RecoveryStoreError) in try signal(value) },
            classification: try self.classification(classification),
            rejectedGeneration: try r.generation("rejectedGeneration"), openedBy: WorkerID(try r.string("openedBy")),
            openedAt: try r.instant("openedAt"), state: try r.choice("state", as: CaseState.self), refusals: try r.int("refusals"),
            currentCapability: try r.optionalString("currentCapability").map(CapabilityID.init),
            closedAt: try r.optionalInstant("closedAt"), grant: try r.value("grant").map { (value) throws(RecoveryStoreError) in try grant(value) })
    }

    static func grant(_ value: JSONValue) throws(RecoveryStoreError) -> PendingGrant {
        let r = try RecordReader(value.compactText, what: "a case's pending grant")
        return PendingGrant(id: try r.string("id"), connection: ConnectionID(try r.string("connection")),
                            identity: ProviderIdentity(subject: try r.string("subject"), tenant: try r.string("tenant")))
    }

    static func classificationValue(_ c: Classification) -> JSONValue {
        var w = RecordWriter()
        w.put("class", c.failureClass.rawValue)
        w.put("rule", c.rule)
        w.put("confidence", c.confidence.rawValue)
        w.put("retryAfter", c.retryAfter)
        w.put("neededScopes", c.neededScopes)
        w.put("unwrappedFrom", c.unwrappedFrom)
        return .object(w.members)
    }

    static func classification(_ value: JSONValue) throws(RecoveryStoreError) -> Classification {
        let r = try RecordReader(value.compactText, what: "a case's classification")
        return Classification(failureClass: try r.choice("class", as: FailureClass.self), rule: try r.string("rule"),
                              confidence: try r.choice("confidence", as: Confidence.self), retryAfter: try r.optionalSpan("retryAfter"),
                              neededScopes: try r.strings("neededScopes"), unwrappedFrom: try r.optionalString("unwrappedFrom"))
    }

    static func signalValue(_ s: ProviderSignal) -> JSONValue {
        var w = RecordWriter()
        w.put("status", s.status)
        w.put("error", s.error)
        w.put("description", s.description)
        w.put("retryAfter", s.retryAfter)
        if !s.headers.isEmpty {
            w.put("headers", JSONValue.object(s.headers.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))
        }
        w.put("body", s.body)
        return .object(w.members)
    }

    static func signal(_ value: JSONValue) throws(RecoveryStoreError) -> ProviderSignal {
        let r = try RecordReader(value.compactText, what: "a case's provider signal")
        var headers: [String: String] = [:]
        if case .object(let pairs)? = r.value("headers") {
            for pair in pairs {
                guard case .string(let text) = pair.value else { throw .corrupt("a case's provider signal has a non-text header") }
                headers[pair.key] = text
            }
        }
        return ProviderSignal(status: try r.int("status"), error: try r.optionalString("error"),
                              description: try r.optionalString("description"), retryAfter: try r.optionalSpan("retryAfter"),
                              headers: headers, body: r.value("body"))
    }

    // MARK: Transitions

    static func text(_ t: Transition) -> String {
        var w = RecordWriter()
        w.put("time", t.time)
        w.put("actor", t.actor.rawValue)
        w.put("name", t.name.rawValue)
        w.put("run", t.run)
        w.put("worker", t.worker)
        w.put("step", t.step)
        w.put("attempt", t.attempt)
        w.put("connection", t.connection)
        w.put("generation", t.generation)
        w.put("lease", t.lease)
        w.put("case", t.caseID)
        w.put("key", t.key)
        w.put("class", t.failureClass?.rawValue)
        w.put("capability", t.capability)
        w.put("subject", t.subject)
        w.put("tenant", t.tenant)
        w.put("checkpoint", t.checkpoint)
        w.put("result", t.result)
        w.put("reason", t.reason)
        w.put("expires", t.expires)
        if !t.notes.isEmpty {
            w.put("notes", JSONValue.array(t.notes.map { .array([.string($0.name), .string($0.value)]) }))
        }
        return w.text
    }

    static func transition(_ text: String) throws(RecoveryStoreError) -> Transition {
        let r = try RecordReader(text, what: "a stored transition")
        var t = Transition(time: try r.instant("time"), actor: Actor(rawValue: try r.string("actor")),
                           name: TransitionName(rawValue: try r.string("name")))
        t.run = try r.optionalString("run")
        t.worker = try r.optionalString("worker")
        t.step = try r.optionalString("step")
        t.attempt = try r.optionalInt("attempt")
        t.connection = try r.optionalString("connection")
        t.generation = try r.optionalInt("generation")
        t.lease = try r.optionalString("lease")
        t.caseID = try r.optionalString("case")
        t.key = try r.optionalString("key")
        t.failureClass = try r.optionalChoice("class", as: FailureClass.self)
        t.capability = try r.optionalString("capability")
        t.subject = try r.optionalString("subject")
        t.tenant = try r.optionalString("tenant")
        t.checkpoint = try r.optionalString("checkpoint")
        t.result = try r.optionalString("result")
        t.reason = try r.optionalString("reason")
        t.expires = try r.optionalInstant("expires")
        if case .array(let notes)? = r.value("notes") {
            for note in notes {
                guard case .array(let pair) = note, pair.count == 2, case .string(let name) = pair[0], case .string(let value) = pair[1] else {
                    throw .corrupt("a stored transition has a malformed note")
                }
                t.notes.append(.init(name, value))
            }
        }
        return t
    }
}
