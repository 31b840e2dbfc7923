import ReviveVocabulary

/// Revive's recovery engine: classify, join, park, ask, verify, rotate, reconcile, resume.
///
/// It performs no I/O, reads no clock and draws no random number: time comes in as `Instant`s,
/// ids and secrets from the `IdentifierSource`, tokens stay with the `CredentialBroker`, and every
/// decision is recorded as a `Transition`. Calls are synchronous and single-threaded; wrap the
/// engine in an actor to share it.
public final class RecoveryEngine {
    /// The limits in force.
    public let configuration: RecoveryConfiguration
    /// The classifier in force.
    public let classifier: Classifier
    private let store: RecoveryStore
    private let ids: IdentifierSource
    private let broker: CredentialBroker
    private let recorder: TransitionRecorder
    private var connections: [ConnectionID: ConnectionRecord] = [:]
    private var leases: [LeaseID: Lease] = [:]
    private var revokedLeases: Set<LeaseID> = []
    /// Step attempts that already refreshed once ("run/action/attempt"): refresh once, then reclassify.
    private var refreshedAttempts: Set<String> = []
    /// The newest generation classified as a dead grant, per connection: never used again.
    private var deadGenerations: [ConnectionID: LeaseGeneration] = [:]

    /// Makes an engine over a store, an id source, a broker and a timeline recorder.
    public init(configuration: RecoveryConfiguration = RecoveryConfiguration(), classifier: Classifier = Classifier(),
                store: RecoveryStore = InMemoryRecoveryStore(), ids: IdentifierSource,
                broker: CredentialBroker, recorder: TransitionRecorder) {
        self.configuration = configuration
        self.classifier = classifier
        self.store = store
        self.ids = ids
        self.broker = broker
        self.recorder = recorder
    }

    /// Registers a connection and pins its identity (recorded as `connection.pinned`).
    public func register(_ connection: ConnectionRecord, at time: Instant = .zero) {
        connections[connection.id] = connection
        emit(.connectionPinned, at: time, run: nil) { t in
            t.connection = connection.id.rawValue
            t.subject = connection.pinnedIdentity.subject
            t.tenant = connection.pinnedIdentity.tenant
            t.generation = store.generation(of: connection.id).value
            t.notes.append(.init("provider", connection.provider.rawValue))
            t.notes.append(.init("broker", connection.broker.rawValue))
        }
    }

    /// The connection's current lease generation.
    public func currentGeneration(of connection: ConnectionID) -> LeaseGeneration { store.generation(of: connection) }

    /// A recovery case by id.
    public func recoveryCase(_ id: CaseID) -> RecoveryCase? { store.recoveryCase(id) }

    /// The ledger entry of an action, if it has one.
    public func ledgerEntry(_ key: IdempotencyKey) -> LedgerEntry? { store.ledgerEntry(key) }

    // MARK: Leases and fencing

    /// Issues a lease on the connection's current generation to a worker.
    func issueLease(connection: ConnectionID, context: ActionContext, at time: Instant) -> Lease {
        let lease = Lease(id: LeaseID(ids.nextID(prefix: "lease_")), connection: connection,
                          generation: store.generation(of: connection), holder: context.worker,
                          run: context.run, issuedAt: time)
        leases[lease.id] = lease
        emit(.leaseIssued, at: time, context: context) { t in
            t.connection = connection.rawValue
            t.generation = lease.generation.value
            t.lease = lease.id.rawValue
        }
        return lease
    }

    /// Decides whether a call with `lease` may reach the provider; a refusal is recorded as `lease.fenced`.
    ///
    /// When allowed and `key` is given, the action's ledger entry moves to `executing`.
    func authorizeCall(with lease: Lease, key: IdempotencyKey?, context: ActionContext, at time: Instant) -> CallAuthorization {
        var reason: FenceReason?
        // The most fundamental reason first: a rotation outranks a dead grant, which outranks a lost holder.
        if lease.generation < store.generation(of: lease.connection) {
            reason = .staleGeneration
        } else if let dead = deadGenerations[lease.connection], lease.generation <= dead {
            reason = .deadGrant
        } else if revokedLeases.contains(lease.id) {
            reason = .holderLost
        }
        if reason != nil && planted(.noFencing) { reason = nil }
        if let reason {
            emit(.leaseFenced, at: time, context: context) { t in
                t.connection = lease.connection.rawValue
                t.generation = lease.generation.value
                t.lease = lease.id.rawValue
                t.key = key?.rawValue
                t.reason = reason.rawValue
                t.notes.append(.init("current", store.generation(of: lease.connection).description))
            }
            return .fenced(reason: reason)
        }
        if let key, var entry = store.ledgerEntry(key) {
            precondition(!entry.state.isCommitted, "a committed action is never executed again")
            precondition(entry.state != .unknown || planted(.skipReconciliation), "an unknown action is reconciled before it executes again")
            entry.state = .executing
            entry.executingWorker = context.worker
            store.save(entry)
        }
        return .allowed
    }

    /// Revokes every lease a lost worker holds: if it comes back, its calls are fenced.
    ///
    /// Returns the recovery cases lost with the worker: none, since every case lives in the store
    /// and any live worker can complete it (the baseline integration, which keeps cases in a
    /// worker's memory, returns the ones it lost).
    @discardableResult
    public func workerLost(_ worker: WorkerID, at time: Instant) -> [CaseID] {
        for lease in leases.values where lease.holder == worker { revokedLeases.insert(lease.id) }
        return []
    }

    // MARK: The action ledger

    /// Records the intent to run a mutating action, or says it must be reconciled or skipped first.
    func prepareAction(connection: ConnectionID, context: ActionContext, at time: Instant) -> ActionPreparation {
        let key = IdempotencyKey(run: context.run, action: context.action)
        guard var entry = store.ledgerEntry(key) else {
            store.save(LedgerEntry(key: key, run: context.run, action: context.action, connection: connection,
                                   state: .intended, executingWorker: nil))
            emit(.actionIntended, at: time, context: context) { t in
                t.connection = connection.rawValue
                t.key = key.rawValue
            }
            return .execute(key)
        }
        switch entry.state {
        case .intended, .reconciledAbsent, .failed:
            return .execute(key)
        case .committed, .reconciledCommitted:
            return .alreadyCommitted(key)
        case .unknown where planted(.skipReconciliation):
            return .execute(key)
        case .executing where planted(.skipReconciliation):
            return .execute(key)
        case .unknown:
            return .reconcile(key)
        case .executing:
            // A call went out and no outcome was ever recorded (its worker was lost): unknown.
            let previous = entry.executingWorker
            entry.state = .unknown
            entry.executingWorker = nil
            store.save(entry)
            emit(.actionUnknown, at: time, context: context) { t in
                t.connection = connection.rawValue
                t.key = key.rawValue
                t.reason = "no-outcome-recorded"
                if let previous { t.notes.append(.init("sent-by", previous.rawValue)) }
            }
            return .reconcile(key)
        }
    }

    /// Records what a lookup by idempotency key found at the provider.
    func recordReconciliation(_ answer: ReconcileAnswer, key: IdempotencyKey, context: ActionContext, at time: Instant) {
        guard var entry = store.ledgerEntry(key) else { preconditionFailure("reconciling an action that was never intended") }
        precondition(entry.state == .unknown, "only an unknown action is reconciled")
        entry.state = answer == .committed ? .reconciledCommitted : .reconciledAbsent
        store.save(entry)
        emit(.actionReconciled, at: time, context: context) { t in
            t.connection = entry.connection.rawValue
            t.key = key.rawValue
            t.result = answer.rawValue
        }
    }

    /// Records a successful answer; a mutating action's entry becomes `committed`.
    func recordSuccess(with lease: Lease, key: IdempotencyKey?, context: ActionContext, at time: Instant) {
        guard let key, var entry = store.ledgerEntry(key) else { return }
        guard !entry.state.isCommitted else { return }
        entry.state = .committed
        entry.executingWorker = nil
        store.save(entry)
        emit(.actionCommitted, at: time, context: context) { t in
            t.connection = lease.connection.rawValue
            t.generation = lease.generation.value
            t.key = key.rawValue
        }
    }

    /// Records that a call got no answer before its timeout; a mutation's outcome becomes `unknown`.
    func recordNoAnswer(with lease: Lease, key: IdempotencyKey?, context: ActionContext, at time: Instant) -> FailureDecision {
        if let key, var entry = store.ledgerEntry(key), entry.state == .executing {
            entry.state = .unknown
            entry.executingWorker = nil
            store.save(entry)
            emit(.actionUnknown, at: time, context: context) { t in
                t.connection = lease.connection.rawValue
                t.key = key.rawValue
                t.reason = "no-answer"
            }
        }
        return handleFailure(nil, operation: .timeout, lease: lease, key: key, context: context, at: time)
    }

    /// Marks a mutating action as given up (its run failed).
    func recordGivenUp(key: IdempotencyKey, context: ActionContext, at time: Instant) {
        guard var entry = store.ledgerEntry(key), !entry.state.isCommitted else { return }
        entry.state = .failed
        store.save(entry)
        emit(.actionFailed, at: time, context: context) { t in
            t.connection = entry.connection.rawValue
            t.key = key.rawValue
        }
    }

    // MARK: Failures

    /// Classifies a failed call (or refresh) and takes the class's recovery path.
    func handleFailure(_ signal: ProviderSignal?, operation: FailedOperation, lease: Lease, key: IdempotencyKey?,
                              context: ActionContext, at time: Instant) -> FailureDecision {
        if let key, var entry = store.ledgerEntry(key), entry.state == .executing, signal != nil {
            // The provider refused the call: nothing happened remotely, the action is intended again.
            entry.state = .intended
            entry.executingWorker = nil
            store.save(entry)
        }
        let connection = connections[lease.connection]
        let classification = classifier.classify(signal, context: ClassificationContext(
            provider: connection?.provider, operation: operation,
            leaseGeneration: lease.generation, currentGeneration: store.generation(of: lease.connection)))
        emit(.failureClassified, at: time, context: context) { t in
            t.connection = lease.connection.rawValue
            t.generation = lease.generation.value
            t.key = key?.rawValue
            t.failureClass = classification.failureClass
            t.notes.append(.init("rule", classification.rule))
            t.notes.append(.init("confidence", classification.confidence.rawValue))
            t.notes.append(.init("op", operation.rawValue))
            if let from = classification.unwrappedFrom { t.notes.append(.init("unwrapped", from)) }
        }
        // A lease whose holder was declared lost gets no refresh and no reload: its retry is fenced.
        if revokedLeases.contains(lease.id), !classification.failureClass.parksRun {
            return .retryNow(lease)
        }
        switch classification.failureClass {
        case .refreshable:
            let attemptKey = "\(context.run)/\(context.action)/\(context.attempt)"
            guard !refreshedAttempts.contains(attemptKey) else {
                // Refreshed once already in this attempt and still refused: the runtime's retry policy decides.
                return .retryLater(classification)
            }
            refreshedAttempts.insert(attemptKey)
            let next = store.generation(of: lease.connection).next()
            if let refreshFailure = broker.refresh(lease.connection, generation: lease.generation, rotatingTo: next) {
                return handleFailure(refreshFailure, operation: .refresh, lease: lease, key: key, context: context, at: time)
            }
            emit(.tokenRefreshed, at: time, context: context) { t in
                t.connection = lease.connection.rawValue
                t.generation = lease.generation.value
                t.lease = lease.id.rawValue
            }
            rotate(lease.connection, to: next, reason: "refresh", caseID: nil, identity: nil, run: context.run, at: time)
            return .retryNow(issueLease(connection: lease.connection, context: context, at: time))
        case .staleGeneration:
            return .retryNow(issueLease(connection: lease.connection, context: context, at: time))
        case .transient, .rateLimited:
            return .retryLater(classification)
        case .deadGrant where planted(.retryDeadGrant):
            return .retryLater(classification)
        default:
            return park(classification, signal: signal, lease: lease, key: key, context: context, at: time)
        }
    }

    private func park(_ classification: Classification, signal: ProviderSignal?, lease: Lease, key: IdempotencyKey?,
                      context: ActionContext, at time: Instant) -> FailureDecision {
        // A low-confidence guess parks the run but does not condemn the generation.
        if classification.failureClass == .deadGrant && classification.confidence >= .medium {
            deadGenerations[lease.connection] = max(deadGenerations[lease.connection] ?? lease.generation, lease.generation)
        }
        guard let connection = connections[lease.connection] else {
            preconditionFailure("a lease was issued for an unregistered connection \(lease.connection)")
        }
        let recoveryCase: RecoveryCase
        if let open = store.openCase(for: lease.connection), open.state == .awaitingReconnect {
            recoveryCase = open
        } else {
            recoveryCase = RecoveryCase(
                id: CaseID(ids.nextID(prefix: "case_")), connection: lease.connection,
                pinnedIdentity: connection.pinnedIdentity, ownerAddress: connection.ownerAddress, run: context.run,
                checkpoint: context.checkpoint, action: context.action, idempotencyKey: key,
                ledgerState: key.flatMap { store.ledgerEntry($0)?.state }, signal: signal,
                classification: classification, rejectedGeneration: lease.generation,
                openedBy: context.worker, openedAt: time, state: .awaitingReconnect, refusals: 0, currentCapability: nil)
            store.save(recoveryCase)
            emit(.caseOpened, at: time, context: context) { t in
                t.connection = lease.connection.rawValue
                t.generation = lease.generation.value
                t.caseID = recoveryCase.id.rawValue
                t.key = key?.rawValue
                t.failureClass = classification.failureClass
                t.subject = connection.pinnedIdentity.subject
                t.tenant = connection.pinnedIdentity.tenant
                t.checkpoint = context.checkpoint
                if let signal {
                    t.notes.append(.init("status", String(signal.status)))
                    if let error = signal.error { t.notes.append(.init("error", error)) }
                }
            }
        }
        emit(.runParked, at: time, context: context) { t in
            t.connection = lease.connection.rawValue
            t.caseID = recoveryCase.id.rawValue
            t.checkpoint = context.checkpoint
            t.failureClass = classification.failureClass
        }
        let request = requestReconnect(for: recoveryCase, reminder: 0, at: time)
        return .parked(store.recoveryCase(recoveryCase.id) ?? recoveryCase, request)
    }

    // MARK: Reconnect requests and capabilities

    private func requestReconnect(for openCase: RecoveryCase, reminder: Int, at time: Instant) -> ReconnectRequest {
        var recoveryCase = store.recoveryCase(openCase.id) ?? openCase
        let responder = recoveryCase.classification.failureClass.responder
        let value = ids.nextSecret(prefix: "rvcap_")
        let capability = CapabilityRecord(
            id: CapabilityID(ids.nextID(prefix: "cap_")), caseID: recoveryCase.id, connection: recoveryCase.connection,
            digest: SHA256.hexDigest(value), issuedAt: time,
            expiresAt: time.advanced(by: configuration.capabilityLifetime), reminder: reminder, consumedAt: nil)
        store.save(capability)
        recoveryCase.currentCapability = capability.id
        store.save(recoveryCase)
        let recipient = responder == .operator ? configuration.operatorAddress : recoveryCase.ownerAddress
        let failureClass = recoveryCase.classification.failureClass
        let kind = failureClass.requestKind
        let granted = connections[recoveryCase.connection]?.scopes ?? []
        let scopes = kind == .grantScopes ? RecoveryEngine.union(granted, recoveryCase.classification.neededScopes) : []
        let request = ReconnectRequest(caseID: recoveryCase.id, connection: recoveryCase.connection, recipient: recipient,
                                       responder: responder, capabilityID: capability.id, capabilityValue: value,
                                       expiresAt: capability.expiresAt, reminder: reminder, kind: kind, scopes: scopes)
        // An operator is alerted rather than asked to reconnect: no reconnect would help.
        emit(responder == .operator ? .operatorAlerted : .reconnectRequested, at: time, run: recoveryCase.run) { t in
            t.connection = recoveryCase.connection.rawValue
            t.caseID = recoveryCase.id.rawValue
            t.capability = capability.id.rawValue
            t.expires = capability.expiresAt
            t.failureClass = failureClass
            t.notes.append(.init("ask", kind.rawValue))
            t.notes.append(.init("to", recipient))
            if failureClass == .policyBlocked { t.notes.append(.init("cc", recoveryCase.ownerAddress)) }
            if !scopes.isEmpty { t.notes.append(.init("scopes", scopes.joined(separator: "+"))) }
            if failureClass == .stepUp { t.notes.append(.init("recurs", "expected")) }
            if reminder > 0 { t.notes.append(.init("reminder", String(reminder))) }
            if planted(.leakToken) { t.notes.append(.init("link", "https://revive.example/reconnect?c=" + value)) }
        }
        return request
    }

    /// Called when a capability's lifetime ends: if its case still waits, a fresh request goes out
    /// (up to `maxReminders`); after the last one the case is escalated. Returns the new request.
    public func capabilityExpired(_ id: CapabilityID, at time: Instant) -> ReconnectRequest? {
        // Timers may fire late or twice: act only on the case's current capability once it has really expired.
        guard let capability = store.capability(id), capability.consumedAt == nil, capability.isExpired(at: time),
              var recoveryCase = store.recoveryCase(capability.caseID), recoveryCase.state == .awaitingReconnect,
              recoveryCase.currentCapability == id else { return nil }
        emit(.capabilityExpired, at: time, run: recoveryCase.run) { t in
            t.connection = capability.connection.rawValue
            t.caseID = recoveryCase.id.rawValue
            t.capability = capability.id.rawValue
        }
        if capability.reminder < configuration.maxReminders {
            return requestReconnect(for: recoveryCase, reminder: capability.reminder + 1, at: time)
        }
        recoveryCase.state = .escalated
        store.save(recoveryCase)
        emit(.caseEscalated, at: time, run: recoveryCase.run) { t in
            t.connection = capability.connection.rawValue
            t.caseID = recoveryCase.id.rawValue
            t.reason = "reminders-exhausted"
            t.notes.append(.init("to", configuration.operatorAddress))
        }
        return nil
    }

    /// Completes a reconnect: checks the capability, then the identity, and only then consumes the
    /// capability, installs the grant and rotates the lease generation.
    public func presentReconnect(capabilityValue: String?, grant: PendingGrant, at time: Instant) -> ReconnectOutcome {
        func refuse(_ reason: String, _ capability: CapabilityRecord?) -> ReconnectOutcome {
            broker.discard(grant)
            if let capability, var recoveryCase = store.recoveryCase(capability.caseID) {
                recoveryCase.refusals += 1
                store.save(recoveryCase)
            }
            emit(.capabilityRefused, at: time, run: capability.flatMap { store.recoveryCase($0.caseID)?.run }) { t in
                t.connection = grant.connection.rawValue
                t.capability = capability?.id.rawValue
                t.caseID = capability?.caseID.rawValue
                t.reason = reason
            }
            return .refused(reason: reason)
        }
        guard let value = capabilityValue else { return refuse("no-request", nil) }
        guard var capability = store.capability(digest: SHA256.hexDigest(value)) else { return refuse("unknown", nil) }
        guard capability.connection == grant.connection else { return refuse("foreign", capability) }
        guard capability.consumedAt == nil else { return refuse("already-used", capability) }
        guard !capability.isExpired(at: time) else { return refuse("expired", capability) }
        guard var recoveryCase = store.recoveryCase(capability.caseID), recoveryCase.state == .awaitingReconnect else {
            return refuse("case-not-open", capability)
        }
        guard recoveryCase.classification.failureClass.responder != .operator else {
            // A configuration or policy problem: no reconnect helps, only an operator's fix.
            return refuse("needs-operator", capability)
        }
        // Consuming is recorded as `reconnect.verified`; the planted bug does it before the identity check.
        func consume() {
            capability.consumedAt = time
            store.save(capability)
            emit(.reconnectVerified, at: time, run: recoveryCase.run) { t in
                t.connection = grant.connection.rawValue
                t.caseID = recoveryCase.id.rawValue
                t.capability = capability.id.rawValue
                t.subject = grant.identity.subject
                t.tenant = grant.identity.tenant
            }
        }
        if planted(.consumeBeforeVerify) { consume() }
        if grant.identity != recoveryCase.pinnedIdentity && planted(.rotateOnMismatch) {
            rotate(grant.connection, to: store.generation(of: grant.connection).next(), reason: "reconnect", caseID: recoveryCase.id,
                   identity: grant.identity, run: recoveryCase.run, at: time)
        }
        guard grant.identity == recoveryCase.pinnedIdentity else {
            broker.discard(grant)
            recoveryCase.refusals += 1
            store.save(recoveryCase)
            emit(.reconnectRejected, at: time, run: recoveryCase.run) { t in
                t.connection = grant.connection.rawValue
                t.caseID = recoveryCase.id.rawValue
                t.capability = capability.id.rawValue
                t.failureClass = FailureClass.identityMismatch
                t.subject = grant.identity.subject
                t.tenant = grant.identity.tenant
                t.reason = grant.identity.tenant == recoveryCase.pinnedIdentity.tenant ? "subject-mismatch" : "tenant-mismatch"
                t.notes.append(.init("pinned", recoveryCase.pinnedIdentity.description))
            }
            return .rejected(caseID: recoveryCase.id)
        }
        if !planted(.consumeBeforeVerify) { consume() }
        let rotated = store.generation(of: grant.connection).next()
        broker.install(grant, generation: rotated)
        if recoveryCase.classification.failureClass == .insufficientScope, var record = connections[grant.connection] {
            record.scopes = RecoveryEngine.union(record.scopes, recoveryCase.classification.neededScopes)
            connections[grant.connection] = record
        }
        recoveryCase.state = .awaitingResume
        store.save(recoveryCase)
        rotate(grant.connection, to: rotated, reason: "reconnect", caseID: recoveryCase.id, identity: grant.identity,
               run: recoveryCase.run, at: time)
        let resumeRun = planted(.newRunOnResume) ? RunID(recoveryCase.run.rawValue + "-restarted") : recoveryCase.run
        let resumeCheckpoint = planted(.resumeFromStart) ? nil : recoveryCase.checkpoint
        return .verified(caseID: recoveryCase.id, run: resumeRun, checkpoint: resumeCheckpoint, generation: rotated)
    }

    /// Bumps a connection's generation (after a verified reconnect or a refresh): older leases are fenced from now on.
    private func rotate(_ connection: ConnectionID, to rotated: LeaseGeneration, reason: String, caseID: CaseID?,
                        identity: ProviderIdentity?, run: RunID?, at time: Instant) {
        let previous = store.generation(of: connection)
        precondition(rotated > previous, "a lease generation only moves forward")
        store.setGeneration(rotated, of: connection)
        emit(.leaseRotated, at: time, run: run) { t in
            t.connection = connection.rawValue
            t.caseID = caseID?.rawValue
            t.generation = rotated.value
            t.subject = identity?.subject
            t.tenant = identity?.tenant
            t.reason = reason
            t.notes.append(.init("from", previous.description))
        }
    }

    /// Records a refresh that another worker (another run sharing the connection) made through
    /// Revive: the token pair rotated, so this connection's generation moves on.
    public func recordRefreshElsewhere(of connection: ConnectionID, by holder: String, run: RunID?, at time: Instant) -> LeaseGeneration {
        let previous = store.generation(of: connection)
        let next = previous.next()
        emit(.tokenRefreshed, at: time, run: run) { t in
            t.connection = connection.rawValue
            t.generation = previous.value
            t.worker = holder
            t.reason = "another-worker"
        }
        rotate(connection, to: next, reason: "refresh", caseID: nil, identity: nil, run: run, at: time)
        return next
    }

    /// An operator confirms, with the alert's capability, that a configuration or policy problem is fixed.
    ///
    /// The capability is checked like a reconnect's; no grant changes hands, so no identity is
    /// checked and the generation stays.
    public func presentOperatorFix(capabilityValue: String?, connection: ConnectionID, at time: Instant) -> ReconnectOutcome {
        let capability = capabilityValue.flatMap { store.capability(digest: SHA256.hexDigest($0)) }
        let refusal: String?
        if capabilityValue == nil { refusal = "no-request" }
        else if capability == nil { refusal = "unknown" }
        else if capability!.connection != connection { refusal = "foreign" }
        else if capability!.consumedAt != nil { refusal = "already-used" }
        else if capability!.isExpired(at: time) { refusal = "expired" }
        else if store.recoveryCase(capability!.caseID)?.state != .awaitingReconnect { refusal = "case-not-open" }
        else if store.recoveryCase(capability!.caseID)?.classification.failureClass.responder != .operator { refusal = "not-an-operator-case" }
        else { refusal = nil }
        if let refusal {
            emit(.capabilityRefused, at: time, run: capability.flatMap { store.recoveryCase($0.caseID)?.run }) { t in
                t.connection = connection.rawValue
                t.capability = capability?.id.rawValue
                t.caseID = capability?.caseID.rawValue
                t.reason = refusal
            }
            return .refused(reason: refusal)
        }
        var used = capability!
        used.consumedAt = time
        store.save(used)
        var recoveryCase = store.recoveryCase(used.caseID)!
        recoveryCase.state = .awaitingResume
        store.save(recoveryCase)
        emit(.caseResolved, at: time, run: recoveryCase.run) { t in
            t.connection = connection.rawValue
            t.caseID = recoveryCase.id.rawValue
            t.capability = used.id.rawValue
            t.failureClass = recoveryCase.classification.failureClass
            t.notes.append(.init("by", configuration.operatorAddress))
        }
        return .resolved(caseID: recoveryCase.id, run: recoveryCase.run, checkpoint: recoveryCase.checkpoint)
    }

    static func union(_ granted: [String], _ needed: [String]) -> [String] {
        var result = granted
        for scope in needed where !result.contains(scope) { result.append(scope) }
        return result
    }

    /// Closes a case once its run has resumed (on whichever worker picked it up).
    public func closeCase(_ id: CaseID, resumedOn worker: WorkerID, at time: Instant) {
        guard var recoveryCase = store.recoveryCase(id), recoveryCase.state == .awaitingResume else { return }
        recoveryCase.state = .closed
        store.save(recoveryCase)
        emit(.caseClosed, at: time, run: recoveryCase.run) { t in
            t.connection = recoveryCase.connection.rawValue
            t.caseID = id.rawValue
            t.worker = worker.rawValue
            t.notes.append(.init("opened-by", recoveryCase.openedBy.rawValue))
        }
    }

    // MARK: Recording

    private func emit(_ name: TransitionName, at time: Instant, context: ActionContext, _ fill: (inout Transition) -> Void) {
        var transition = Transition(time: time, actor: .revive, name: name)
        transition.run = context.run.rawValue
        transition.worker = context.worker.rawValue
        transition.step = context.action.rawValue
        transition.attempt = context.attempt
        fill(&transition)
        recorder.record(transition)
    }

    private func emit(_ name: TransitionName, at time: Instant, run: RunID?, _ fill: (inout Transition) -> Void) {
        var transition = Transition(time: time, actor: .revive, name: name)
        transition.run = run?.rawValue
        fill(&transition)
        recorder.record(transition)
    }
}
