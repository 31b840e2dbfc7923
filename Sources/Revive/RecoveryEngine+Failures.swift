import ReviveVocabulary

/// Where a failure's handling stands when a transaction ends: decided, or waiting for the
/// broker to refresh the token pair (outside any transaction).
enum FailureStep {
    /// The caller's answer.
    case decided(FailureDecision)
    /// Refresh the lease's connection to this generation, then finish in a second transaction.
    case refresh(rotatingTo: LeaseGeneration)
}

/// Failures: classify a failed call (or refresh) and take the class's recovery path.
extension RecoveryEngine {
    /// Handles a failure as one decision that `first` starts in a transaction; a refresh splits
    /// it in two around the broker's call, because no transaction is held across a network call.
    ///
    /// The first transaction's transitions are recorded before the broker is called, so a
    /// provider's own transitions (a failed refresh's `provider.failed`) come after them.
    func resolveFailure(lease: Lease, key: IdempotencyKey?, context: ActionContext, at time: Instant,
                        _ first: (EngineTransaction) throws(RecoveryStoreError) -> FailureStep) throws(RecoveryStoreError) -> FailureDecision {
        var step = try decide(at: time, first)
        while true {
            switch step {
            case .decided(let decision):
                return decision
            case .refresh(let next):
                let refused = broker.refresh(lease.connection, generation: lease.generation, rotatingTo: next)
                step = try decide(at: time) { (tx) throws(RecoveryStoreError) in
                    try finishRefresh(refused, rotatingTo: next, lease: lease, key: key, context: context, at: time, in: tx)
                }
            }
        }
    }

    /// Takes the broker's answer: a refused refresh is classified in turn; a refresh rotates the
    /// generation and issues a lease on it.
    private func finishRefresh(_ refused: ProviderSignal?, rotatingTo next: LeaseGeneration, lease: Lease, key: IdempotencyKey?,
                               context: ActionContext, at time: Instant, in tx: EngineTransaction) throws(RecoveryStoreError) -> FailureStep {
        if let refused {
            return try classifyFailure(refused, operation: .refresh, lease: lease, key: key, context: context, at: time, in: tx)
        }
        // Over a shared store another engine may have rotated the connection (a verified
        // reconnect, or its own refresh) between this decision's two transactions: this refresh
        // is overtaken. Its generation is taken, so it rotates nothing and the run reloads the
        // current lease, as for a stale generation; the broker's newer credential wins there.
        let current = try tx.store.generation(of: lease.connection)
        let overtaken = current >= next
        try tx.emit(.tokenRefreshed, at: time, context: context) { t in
            t.connection = lease.connection.rawValue
            t.generation = lease.generation.value
            t.lease = lease.id.rawValue
            if overtaken { t.notes.append(.init("overtaken-by", current.description)) }
        }
        if overtaken { return .decided(.retryNow(try issueLease(connection: lease.connection, context: context, at: time, in: tx))) }
        try rotate(lease.connection, to: next, reason: "refresh", caseID: nil, identity: nil, run: context.run, at: time, in: tx)
        return .decided(.retryNow(try issueLease(connection: lease.connection, context: context, at: time, in: tx)))
    }

    /// Classifies a failed call (or refresh) and takes the class's recovery path, up to a refresh.
    func classifyFailure(_ signal: ProviderSignal?, operation: FailedOperation, lease: Lease, key: IdempotencyKey?,
                         context: ActionContext, at time: Instant, in tx: EngineTransaction) throws(RecoveryStoreError) -> FailureStep {
        if let key, var entry = try tx.store.ledgerEntry(key), entry.state == .executing, case .some = signal {
            // The provider refused the call: nothing happened remotely, the action is intended again.
            entry.move(to: .intended, at: time)
            try tx.store.save(entry)
        }
        let current = try tx.store.generation(of: lease.connection)
        // The provider only for a signal to read: a timeout is classified without one.
        // (`case .some`, not `!= nil`, which pairs the signal with a nil one: see `SimulatedProvider.callFailure`.)
        var provider: ProviderKind?
        if case .some = signal, operation != .timeout { provider = try tx.store.connection(lease.connection)?.provider }
        let classification = classifier.classify(signal, context: ClassificationContext(
            provider: provider, operation: operation, leaseGeneration: lease.generation, currentGeneration: current))
        try tx.emit(.failureClassified, at: time, context: context) { t in
            t.connection = lease.connection.rawValue
            t.generation = lease.generation.value
            t.key = key?.rawValue
            t.failureClass = classification.failureClass
            // Every note at once, as a literal made at its size (one allocation): grown note by
            // note, the list was reallocated twice a line, and reserving room on the empty list
            // still went through the array's general growth.
            let rule = Transition.Note("rule", classification.rule)
            let confidence = Transition.Note("confidence", classification.confidence.rawValue)
            let op = Transition.Note("op", operation.rawValue)
            if let from = classification.unwrappedFrom {
                t.notes = [rule, confidence, op, .init("unwrapped", from)]
            } else {
                t.notes = [rule, confidence, op]
            }
        }
        // A lease whose holder was declared lost gets no refresh and no reload: its retry is fenced.
        if !classification.failureClass.parksRun, try holderLost(lease, in: tx) {
            return .decided(.retryNow(lease))
        }
        switch classification.failureClass {
        case .refreshable:
            if let mark = try tx.store.refreshMark(run: context.run, action: context.action), context.attempt <= mark.attempt {
                // Refreshed once already in this attempt and still refused: the runtime's retry policy decides.
                return .decided(.retryLater(classification))
            }
            // The refresh rotates the generation: ask the shared store before the broker rotates the tokens.
            try tx.requireShared("rotate-generation") { t in
                t.run = context.run.rawValue
                t.worker = context.worker.rawValue
                t.step = context.action.rawValue
                t.connection = lease.connection.rawValue
            }
            try tx.store.save(RefreshMark(run: context.run, action: context.action, attempt: context.attempt, markedAt: time))
            return .refresh(rotatingTo: current.next())
        case .staleGeneration:
            return .decided(.retryNow(try issueLease(connection: lease.connection, context: context, at: time, in: tx)))
        case .transient, .rateLimited:
            return .decided(.retryLater(classification))
        case .deadGrant where planted(.retryDeadGrant):
            return .decided(.retryLater(classification))
        default:
            return .decided(try park(classification, signal: signal, lease: lease, key: key, context: context, at: time, in: tx))
        }
    }

    /// A run that begins an action on a connection whose current generation is known dead, while
    /// a case blocks the connection, joins that case at once. A lease on that generation could
    /// only be fenced, attempt after attempt, until the runtime gave the run up; joined, it
    /// resumes with the case's reconnect, as a run whose call failed on the dead grant would.
    /// An escalated case (its owner never answered) is asked again: a new run needs the
    /// connection, which is news to its owner. (Alone, a run never meets this: its own failure
    /// parked it. Over a shared store, the case may be another run's, on another host.)
    /// `current` is the connection's generation, as the caller read it in this decision.
    func joinCaseOfDeadConnection(_ connection: ConnectionID, current: LeaseGeneration, context: ActionContext, at time: Instant,
                                  in tx: EngineTransaction) throws(RecoveryStoreError) -> ActionStart? {
        let transaction = tx.store
        guard let dead = try transaction.deadGeneration(of: connection), dead >= current,
              var open = try transaction.openCase(for: connection),
              open.state == .awaitingReconnect || open.state == .escalated else { return nil }
        let wasEscalated = open.state == .escalated
        if wasEscalated {
            open.state = .awaitingReconnect
            try transaction.save(open)
        }
        try tx.emit(.runParked, at: time, context: context) { t in
            t.connection = connection.rawValue
            t.caseID = open.id.rawValue
            t.checkpoint = context.checkpoint
            t.failureClass = open.classification.failureClass
            t.generation = current.value
            t.reason = "generation-dead"
            if wasEscalated { t.notes.append(.init("case-was", "escalated")) }
        }
        // `open` is as stored: read above, and saved if it changed.
        let (request, saved) = try requestReconnect(forStored: open, reminder: 0, at: time, in: tx)
        return .parked(saved, request)
    }

    func park(_ classification: Classification, signal: ProviderSignal?, lease: Lease, key: IdempotencyKey?,
                      context: ActionContext, at time: Instant, in tx: EngineTransaction) throws(RecoveryStoreError) -> FailureDecision {
        let transaction = tx.store
        // A low-confidence guess parks the run but does not condemn the generation.
        if classification.failureClass == .deadGrant && classification.confidence >= .medium {
            let dead = try transaction.deadGeneration(of: lease.connection)
            try transaction.setDeadGeneration(max(dead ?? lease.generation, lease.generation), of: lease.connection)
        }
        let recoveryCase: RecoveryCase
        if let open = try transaction.openCase(for: lease.connection), open.state == .awaitingReconnect {
            recoveryCase = open
        } else {
            recoveryCase = try openCase(classification, signal: signal, lease: lease, key: key, context: context, at: time, in: tx)
        }
        try tx.emit(.runParked, at: time, context: context) { t in
            t.connection = lease.connection.rawValue
            t.caseID = recoveryCase.id.rawValue
            t.checkpoint = context.checkpoint
            t.failureClass = classification.failureClass
        }
        // The case is as stored: read above, or just opened and saved.
        let (request, saved) = try requestReconnect(forStored: recoveryCase, reminder: 0, at: time, in: tx)
        return .parked(saved, request)
    }

    /// Opens a case that joins the failure to its connection, identity, run, checkpoint and action.
    private func openCase(_ classification: Classification, signal: ProviderSignal?, lease: Lease, key: IdempotencyKey?,
                          context: ActionContext, at time: Instant, in tx: EngineTransaction) throws(RecoveryStoreError) -> RecoveryCase {
        let transaction = tx.store
        guard let connection = try transaction.connection(lease.connection) else {
            preconditionFailure("a lease was issued for an unregistered connection \(lease.connection)")
        }
        if !tx.isShared, let other = try transaction.openCases().first(where: { $0.run == context.run }) {
            // Another host may be resuming the run on its first case: only the shared store knows.
            try tx.requireShared("second-case") { t in
                t.run = context.run.rawValue
                t.connection = lease.connection.rawValue
                t.caseID = other.id.rawValue
            }
        }
        var ledgerState: LedgerState?
        if let key { ledgerState = try transaction.ledgerEntry(key)?.state }
        let recoveryCase = RecoveryCase(
            id: CaseID(ids.nextID(prefix: "case_")), connection: lease.connection,
            pinnedIdentity: connection.pinnedIdentity, ownerAddress: connection.ownerAddress, run: context.run,
            checkpoint: context.checkpoint, action: context.action, idempotencyKey: key,
            ledgerState: ledgerState, signal: signal,
            classification: classification, rejectedGeneration: lease.generation,
            openedBy: context.worker, openedAt: time, state: .awaitingReconnect, refusals: 0, currentCapability: nil)
        try transaction.save(recoveryCase)
        try tx.emit(.caseOpened, at: time, context: context) { t in
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
        return recoveryCase
    }
}
