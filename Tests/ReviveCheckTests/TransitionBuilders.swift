
import ReviveVocabulary
/// Makes one timeline line at `ms` milliseconds of virtual time, with only the facts given.
func tr(_ ms: Int64, _ actor: String, _ name: String,
        run: String? = nil, worker: String? = nil, step: String? = nil, attempt: Int? = nil,
        connection: String? = nil, generation: Int? = nil, lease: String? = nil, caseID: String? = nil,
        key: String? = nil, failureClass: String? = nil, capability: String? = nil,
        subject: String? = nil, tenant: String? = nil, checkpoint: String? = nil,
        result: String? = nil, reason: String? = nil, expires: Int64? = nil,
        notes: [(String, String)] = []) -> Transition {
    var t = Transition(time: Instant(milliseconds: ms), actor: Actor(rawValue: actor), name: TransitionName(rawValue: name))
    t.run = run
    t.worker = worker
    t.step = step
    t.attempt = attempt
    t.connection = connection
    t.generation = generation
    t.lease = lease
    t.caseID = caseID
    t.key = key
    t.failureClass = failureClass.flatMap(FailureClass.init(rawValue:))
    t.capability = capability
    t.subject = subject
    t.tenant = tenant
    t.checkpoint = checkpoint
    t.result = result
    t.reason = reason
    t.expires = expires.map { Instant(milliseconds: $0) }
    t.notes = notes.map { Transition.Note($0.0, $0.1) }
    return t
}

/// The revoked-grant story: a mailbox grant dies before the send, the owner reconnects, the same run
/// resumes on the new generation and sends once. Mirrors what the lab prints for `revoked-grant.json`.
enum Story {
    static let run = "run_7f2"
    static let workerA = "worker-a"
    static let workerB = "worker-b"
    static let connection = "conn_microsoft_ops"
    static let subject = "oid-4f1c"
    static let tenant = "tid-contoso"
    static let caseID = "case_20a21bab"
    static let capability = "cap_11aaebbc"
    static let key = "idem-run_7f2-send-briefing"
    static let staleLease = "lease_c166c34f"
    /// When the reconnect request was sent (the capability lives one hour from here).
    static let requestedAt: Int64 = 300
    static let capabilityExpires: Int64 = 3_600_300
    /// When the owner came back (10 minutes after the request).
    static let reconnectAt: Int64 = 600_300

    static var cleanRecovery: [Transition] {
        let c = connection, r = run, w = workerA
        return [
            tr(0, "runtime", "run.started", run: r, worker: w, notes: [("name", "Nightly executive briefing")]),
            tr(0, w, "step.started", run: r, worker: w, step: "read-calendar", attempt: 1),
            tr(0, "revive", "lease.issued", run: r, worker: w, step: "read-calendar", attempt: 1, connection: c, generation: 1, lease: "lease_7dd02395"),
            tr(0, w, "provider.called", run: r, worker: w, step: "read-calendar", attempt: 1, connection: c, generation: 1, lease: "lease_7dd02395"),
            tr(100, w, "step.completed", run: r, worker: w, step: "read-calendar", attempt: 1),
            tr(100, "runtime", "checkpoint.saved", run: r, worker: w, step: "read-calendar", checkpoint: "ckpt-0001"),
            tr(100, w, "step.started", run: r, worker: w, step: "draft-briefing", attempt: 1, checkpoint: "ckpt-0001"),
            tr(200, w, "step.completed", run: r, worker: w, step: "draft-briefing", attempt: 1),
            tr(200, "runtime", "checkpoint.saved", run: r, worker: w, step: "draft-briefing", checkpoint: "ckpt-0002"),
            tr(200, w, "step.started", run: r, worker: w, step: "send-briefing", attempt: 1, checkpoint: "ckpt-0002"),
            tr(200, "revive", "lease.issued", run: r, worker: w, step: "send-briefing", attempt: 1, connection: c, generation: 1, lease: staleLease),
            tr(200, "revive", "action.intended", run: r, worker: w, step: "send-briefing", attempt: 1, connection: c, key: key),
            tr(200, "lab", "fault.injected", run: r, step: "send-briefing", attempt: 1, connection: c,
               notes: [("fault", "revoke-grant"), ("point", "before-call")]),
            tr(200, w, "provider.called", run: r, worker: w, step: "send-briefing", attempt: 1, connection: c, generation: 1, lease: staleLease, key: key),
            tr(300, "provider", "provider.failed", run: r, step: "send-briefing", attempt: 1, connection: c, generation: 1,
               notes: [("op", "call"), ("status", "400"), ("error", "invalid_grant")]),
            tr(300, "revive", "failure.classified", run: r, worker: w, step: "send-briefing", attempt: 1, connection: c, generation: 1,
               key: key, failureClass: "dead_grant", notes: [("rule", "microsoft-dead-grant"), ("confidence", "high"), ("op", "call")]),
            tr(300, "revive", "case.opened", run: r, worker: w, step: "send-briefing", attempt: 1, connection: c, generation: 1,
               caseID: caseID, key: key, failureClass: "dead_grant", subject: subject, tenant: tenant, checkpoint: "ckpt-0002",
               notes: [("status", "400"), ("error", "invalid_grant")]),
            tr(300, "revive", "run.parked", run: r, worker: w, step: "send-briefing", attempt: 1, connection: c, caseID: caseID,
               failureClass: "dead_grant", checkpoint: "ckpt-0002"),
            tr(requestedAt, "revive", "reconnect.requested", run: r, connection: c, caseID: caseID, capability: capability,
               expires: capabilityExpires, notes: [("to", "ops@contoso.example")]),
            tr(reconnectAt, "owner", "reconnect.presented", run: r, connection: c, capability: capability, subject: subject, tenant: tenant),
            tr(reconnectAt, "revive", "reconnect.verified", run: r, connection: c, caseID: caseID, capability: capability, subject: subject, tenant: tenant),
            tr(reconnectAt, "revive", "lease.rotated", run: r, connection: c, generation: 2, caseID: caseID, subject: subject, tenant: tenant,
               notes: [("from", "1")]),
            tr(reconnectAt, "runtime", "run.resumed", run: r, worker: w, step: "send-briefing", generation: 2, caseID: caseID, checkpoint: "ckpt-0002"),
            tr(reconnectAt, "revive", "case.closed", run: r, worker: w, connection: c, caseID: caseID, notes: [("opened-by", w)]),
            tr(reconnectAt, w, "step.started", run: r, worker: w, step: "send-briefing", attempt: 2, checkpoint: "ckpt-0002"),
            tr(reconnectAt, "revive", "lease.issued", run: r, worker: w, step: "send-briefing", attempt: 2, connection: c, generation: 2, lease: "lease_6f0d2c33"),
            tr(reconnectAt, w, "provider.called", run: r, worker: w, step: "send-briefing", attempt: 2, connection: c, generation: 2,
               lease: "lease_6f0d2c33", key: key),
            tr(reconnectAt + 100, "provider", "effect.applied", run: r, step: "send-briefing", attempt: 2, connection: c, generation: 2, key: key),
            tr(reconnectAt + 100, "revive", "action.committed", run: r, worker: w, step: "send-briefing", attempt: 2, connection: c, generation: 2, key: key),
            tr(reconnectAt + 100, w, "step.completed", run: r, worker: w, step: "send-briefing", attempt: 2),
            tr(reconnectAt + 100, "runtime", "checkpoint.saved", run: r, worker: w, step: "send-briefing", checkpoint: "ckpt-0003"),
            tr(reconnectAt + 100, "runtime", "run.completed", run: r),
        ]
    }
}

extension Array where Element == Transition {
    /// The index of the first transition with this name (and step and attempt, when given).
    func index(named name: String, step: String? = nil, attempt: Int? = nil) -> Int? {
        firstIndex { t in
            t.name.rawValue == name && (step == nil || t.step == step) && (attempt == nil || t.attempt == attempt)
        }
    }

    /// The timeline up to and including `index`.
    func through(_ index: Int) -> [Transition] { Array(self[...index]) }

    /// The timeline with `items` inserted so that the first of them sits at `index`.
    func inserting(_ items: [Transition], at index: Int) -> [Transition] {
        var copy = self
        copy.insert(contentsOf: items, at: index)
        return copy
    }

    /// The timeline without the transition at `index`.
    func removing(at index: Int) -> [Transition] {
        var copy = self
        copy.remove(at: index)
        return copy
    }

    /// The timeline with the transition at `index` changed.
    func editing(_ index: Int, _ change: (inout Transition) -> Void) -> [Transition] {
        var copy = self
        change(&copy[index])
        return copy
    }

    /// The timeline with every transition matching `where` changed.
    func editingAll(where matches: (Transition) -> Bool, _ change: (inout Transition) -> Void) -> [Transition] {
        var copy = self
        for i in copy.indices where matches(copy[i]) { change(&copy[i]) }
        return copy
    }

    /// The timeline with every transition from `index` on moved `ms` later.
    func shiftingTimes(from index: Int, by ms: Int64) -> [Transition] {
        var copy = self
        for i in index..<copy.count {
            copy[i].time = Instant(milliseconds: copy[i].time.milliseconds + ms)
        }
        return copy
    }
}
