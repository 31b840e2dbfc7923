import ReviveVocabulary

/// Which way a capability comes back: with an owner's reconnect, an operator's fix, or an
/// operator's answer about an action's outcome.
enum CapabilityPath {
    case reconnect, operatorFix, operatorConfirm

    /// Why this path refuses a case of `failureClass`, or nil if it may complete it.
    func refusal(for failureClass: FailureClass) -> String? {
        switch self {
        case .reconnect:
            // A configuration or policy problem, or an unknown outcome: no reconnect helps, only an operator.
            return failureClass.responder == .operator ? "needs-operator" : nil
        case .operatorFix:
            guard failureClass.responder == .operator else { return "not-an-operator-case" }
            return failureClass == .outcomeUnknown ? "needs-outcome-answer" : nil
        case .operatorConfirm:
            return failureClass == .outcomeUnknown ? nil : "not-an-outcome-case"
        }
    }
}

/// A refused capability, with the record and case it matched (when it matched one) for the timeline.
struct CapabilityRefusal {
    let reason: String
    let capability: CapabilityRecord?
    let recoveryCase: RecoveryCase?
}

/// What checking a presented capability found.
enum CapabilityCheck {
    /// Valid, unused, unexpired, for the connection, and its case is open and this path's to complete.
    case accepted(CapabilityRecord, RecoveryCase)
    /// Refused, and why.
    case refused(CapabilityRefusal)
}

/// Completing a case: an owner's reconnect (identity checked, grant installed, generation
/// rotated) or an operator's fix, both behind one capability check.
extension RecoveryEngine {
    /// Checks a presented capability value for a connection, in the one order both paths share:
    /// no-request, unknown, foreign, already-used, expired, superseded, case-not-open, then the path's rule.
    func checkCapability(_ value: String?, for connection: ConnectionID, path: CapabilityPath, at time: Instant,
                         in tx: EngineTransaction) throws(RecoveryStoreError) -> CapabilityCheck {
        guard let value else { return .refused(CapabilityRefusal(reason: "no-request", capability: nil, recoveryCase: nil)) }
        guard let capability = try tx.store.capability(digest: SHA256.hexDigest(value)) else {
            return .refused(CapabilityRefusal(reason: "unknown", capability: nil, recoveryCase: nil))
        }
        let found = try tx.store.recoveryCase(capability.caseID)
        func refuse(_ reason: String) -> CapabilityCheck {
            .refused(CapabilityRefusal(reason: reason, capability: capability, recoveryCase: found))
        }
        guard capability.connection == connection else { return refuse("foreign") }
        guard capability.consumedAt == nil else { return refuse("already-used") }
        guard !capability.isExpired(at: time) else { return refuse("expired") }
        // Only a consumed capability moves a case past awaiting a reconnect: while a reminder and the
        // capability it followed are both live, the first one used completes the case for both.
        if let found, found.state == .awaitingResume || found.state == .closed { return refuse("superseded") }
        guard let recoveryCase = found, recoveryCase.state == .awaitingReconnect else { return refuse("case-not-open") }
        if let reason = path.refusal(for: recoveryCase.classification.failureClass) { return refuse(reason) }
        return .accepted(capability, recoveryCase)
    }

    /// Records a refused capability as `capability.refused`.
    func refuse(_ refusal: CapabilityRefusal, on path: CapabilityPath, connection: ConnectionID, at time: Instant,
                in tx: EngineTransaction) throws(RecoveryStoreError) -> ReconnectOutcome {
        // A case counts its refused reconnects (`RecoveryCase.refusals`); an operator's refused fix is no reconnect.
        if path == .reconnect, var recoveryCase = refusal.recoveryCase {
            recoveryCase.refusals += 1
            try tx.store.save(recoveryCase)
        }
        try tx.emit(.capabilityRefused, at: time, run: refusal.recoveryCase?.run) { t in
            t.connection = connection.rawValue
            t.capability = refusal.capability?.id.rawValue
            t.caseID = refusal.capability?.caseID.rawValue
            t.reason = refusal.reason
        }
        return .refused(reason: refusal.reason)
    }

    /// Completes a reconnect: checks the capability, then the identity, and only then consumes the
    /// capability, rotates the lease generation and installs the grant.
    ///
    /// The grant is installed (or discarded) once the decision has committed, outside the store's
    /// transaction; if the store throws, the grant is neither, and the same reconnect may be presented again.
    public func presentReconnect(capabilityValue: String?, grant: PendingGrant, at time: Instant) throws(RecoveryStoreError) -> ReconnectOutcome {
        let (outcome, installAt) = try decide(at: time) { (tx) throws(RecoveryStoreError) in
            try decideReconnect(capabilityValue, grant: grant, at: time, in: tx)
        }
        if planted(.splitReconnect), case .verified(let caseID, let run, _, let generation) = outcome {
            try decide(at: time) { (tx) throws(RecoveryStoreError) in
                try rotate(grant.connection, to: generation, reason: "reconnect", caseID: caseID, identity: grant.identity,
                           run: run, at: time, in: tx)
            }
        }
        if let installAt { broker.install(grant, generation: installAt) } else { broker.discard(grant) }
        return outcome
    }

    /// The reconnect's decision, and the generation to install the grant at (nil: discard it).
    private func decideReconnect(_ value: String?, grant: PendingGrant, at time: Instant,
                                 in tx: EngineTransaction) throws(RecoveryStoreError) -> (ReconnectOutcome, LeaseGeneration?) {
        switch try checkCapability(value, for: grant.connection, path: .reconnect, at: time, in: tx) {
        case .refused(let refusal):
            return (try refuse(refusal, on: .reconnect, connection: grant.connection, at: time, in: tx), nil)
        case .accepted(let capability, let recoveryCase):
            return try completeReconnect(capability, of: recoveryCase, grant: grant, at: time, in: tx)
        }
    }

    /// Checks a reconnect's identity against the case's pin; on a match, consumes the capability and rotates.
    private func completeReconnect(_ capability: CapabilityRecord, of recoveryCase: RecoveryCase, grant: PendingGrant, at time: Instant,
                                   in tx: EngineTransaction) throws(RecoveryStoreError) -> (ReconnectOutcome, LeaseGeneration?) {
        let transaction = tx.store
        var (capability, recoveryCase) = (capability, recoveryCase)
        if planted(.consumeBeforeVerify) { try consume(&capability, for: recoveryCase, grant: grant, at: time, in: tx) }
        if grant.identity != recoveryCase.pinnedIdentity && planted(.rotateOnMismatch) {
            try rotate(grant.connection, to: try transaction.generation(of: grant.connection).next(), reason: "reconnect",
                       caseID: recoveryCase.id, identity: grant.identity, run: recoveryCase.run, at: time, in: tx)
        }
        guard grant.identity == recoveryCase.pinnedIdentity else {
            recoveryCase.refusals += 1
            try transaction.save(recoveryCase)
            try tx.emit(.reconnectRejected, at: time, run: recoveryCase.run) { t in
                t.connection = grant.connection.rawValue
                t.caseID = recoveryCase.id.rawValue
                t.capability = capability.id.rawValue
                t.failureClass = FailureClass.identityMismatch
                t.subject = grant.identity.subject
                t.tenant = grant.identity.tenant
                t.reason = grant.identity.tenant == recoveryCase.pinnedIdentity.tenant ? "subject-mismatch" : "tenant-mismatch"
                t.notes.append(.init("pinned", recoveryCase.pinnedIdentity.description))
            }
            return (.rejected(caseID: recoveryCase.id), nil)
        }
        if !planted(.consumeBeforeVerify) { try consume(&capability, for: recoveryCase, grant: grant, at: time, in: tx) }
        let rotated = try transaction.generation(of: grant.connection).next()
        if recoveryCase.classification.failureClass == .insufficientScope, var record = try transaction.connection(grant.connection) {
            record.scopes = RecoveryEngine.union(record.scopes, recoveryCase.classification.neededScopes)
            try transaction.save(record)
        }
        recoveryCase.state = .awaitingResume
        recoveryCase.grant = grant
        try transaction.save(recoveryCase)
        if !planted(.splitReconnect) {
            try rotate(grant.connection, to: rotated, reason: "reconnect", caseID: recoveryCase.id, identity: grant.identity,
                       run: recoveryCase.run, at: time, in: tx)
        }
        let resumeRun = planted(.newRunOnResume) ? RunID(recoveryCase.run.rawValue + "-restarted") : recoveryCase.run
        let resumeCheckpoint = planted(.resumeFromStart) ? nil : recoveryCase.checkpoint
        return (.verified(caseID: recoveryCase.id, run: resumeRun, checkpoint: resumeCheckpoint, generation: rotated), rotated)
    }

    /// Consumes the capability, recorded as `reconnect.verified`; the planted bug does it before the identity check.
    private func consume(_ capability: inout CapabilityRecord, for recoveryCase: RecoveryCase, grant: PendingGrant,
                         at time: Instant, in tx: EngineTransaction) throws(RecoveryStoreError) {
        try requireSharedToConsume(capability, run: recoveryCase.run, then: "rotate-generation", in: tx)
        capability.consumedAt = time
        try tx.store.save(capability)
        let id = capability.id
        try tx.emit(.reconnectVerified, at: time, run: recoveryCase.run) { t in
            t.connection = grant.connection.rawValue
            t.caseID = recoveryCase.id.rawValue
            t.capability = id.rawValue
            t.subject = grant.identity.subject
            t.tenant = grant.identity.tenant
        }
    }

    /// An operator confirms, with the alert's capability, that a configuration or policy problem is fixed.
    ///
    /// The capability is checked like a reconnect's; no grant changes hands, so no identity is
    /// checked and the generation stays.
    public func presentOperatorFix(capabilityValue: String?, connection: ConnectionID,
                                   at time: Instant) throws(RecoveryStoreError) -> ReconnectOutcome {
        try decide(at: time) { (tx) throws(RecoveryStoreError) -> ReconnectOutcome in
            var (capability, recoveryCase): (CapabilityRecord, RecoveryCase)
            switch try checkCapability(capabilityValue, for: connection, path: .operatorFix, at: time, in: tx) {
            case .refused(let refusal): return try refuse(refusal, on: .operatorFix, connection: connection, at: time, in: tx)
            case .accepted(let found, let open): (capability, recoveryCase) = (found, open)
            }
            try consumeForOperator(&capability, of: recoveryCase, at: time, in: tx)
            return try resolveForOperator(&recoveryCase, with: capability, at: time, in: tx)
        }
    }

    /// Consumes an operator's capability (on the shared store only): the fix's and the answer's first write.
    func consumeForOperator(_ capability: inout CapabilityRecord, of recoveryCase: RecoveryCase, at time: Instant,
                            in tx: EngineTransaction) throws(RecoveryStoreError) {
        try requireSharedToConsume(capability, run: recoveryCase.run, then: nil, in: tx)
        capability.consumedAt = time
        try tx.store.save(capability)
    }

    /// Resolves an operator's case (`case.resolved`, with any further `notes`) and names the run
    /// to resume: the fix's and the answer's last write.
    func resolveForOperator(_ recoveryCase: inout RecoveryCase, with capability: CapabilityRecord, notes: [Transition.Note] = [],
                            at time: Instant, in tx: EngineTransaction) throws(RecoveryStoreError) -> ReconnectOutcome {
        recoveryCase.state = .awaitingResume
        try tx.store.save(recoveryCase)
        let (id, run, failureClass) = (recoveryCase.id, recoveryCase.run, recoveryCase.classification.failureClass)
        try tx.emit(.caseResolved, at: time, run: run) { t in
            t.connection = capability.connection.rawValue
            t.caseID = id.rawValue
            t.capability = capability.id.rawValue
            t.failureClass = failureClass
            t.notes.append(.init("by", configuration.operatorAddress))
            t.addNotes(notes)
        }
        return .resolved(caseID: id, run: run, checkpoint: recoveryCase.checkpoint)
    }
}

extension RecoveryEngine {
    /// A capability is consumed on the shared store only: on a local replica another host could
    /// consume it too, and both would complete the case.
    func requireSharedToConsume(_ capability: CapabilityRecord, run: RunID, then next: String?,
                                in tx: EngineTransaction) throws(RecoveryStoreError) {
        try tx.requireShared("consume-capability") { t in
            t.run = run.rawValue
            t.connection = capability.connection.rawValue
            t.caseID = capability.caseID.rawValue
            t.capability = capability.id.rawValue
            if let next { t.notes.append(.init("then", next)) }
        }
    }
}
