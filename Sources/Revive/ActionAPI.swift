import ReviveVocabulary

/// A begun action: what the worker needs to call the provider, and what the engine needs to
/// finish the action when the answer (or the timeout) comes, at its own instant.
public struct ActionTicket: Hashable, Sendable {
    /// The ticket's parts in one shared box: a ticket never changes, and the engine and the
    /// runtime hand it on at every step of a call; inline, each copy retained its seven strings.
    /// Read through inlinable getters, so a caller's `ticket.request.run` reads the one field.
    @usableFromInline let parts: PartsBox

    /// What the worker asked for.
    public var request: ActionRequest { @inlinable get { parts.value.request } }
    /// The lease the call is made under (the credential gateway attaches the token for it).
    public var lease: Lease { @inlinable get { parts.value.lease } }
    /// The action's idempotency key, stable across attempts, resumes and workers.
    public var idempotencyKey: IdempotencyKey { @inlinable get { parts.value.idempotencyKey } }

    /// Makes a ticket (the engine makes its own; other integrations, such as the lab's naive
    /// baseline, make theirs).
    public init(request: ActionRequest, lease: Lease, idempotencyKey: IdempotencyKey) {
        parts = PartsBox(Parts(request: request, lease: lease, idempotencyKey: idempotencyKey))
    }

    /// The box of a ticket's parts (see `Shared`).
    @usableFromInline final class PartsBox: Shared {
        @usableFromInline let value: Parts
        @usableFromInline init(_ value: Parts) { self.value = value }
    }

    /// A ticket's parts (see `ActionTicket.parts`).
    @usableFromInline struct Parts: Hashable, Sendable {
        @usableFromInline let request: ActionRequest
        @usableFromInline let lease: Lease
        @usableFromInline let idempotencyKey: IdempotencyKey
    }

    /// The key the action ledger tracks: a mutating action's idempotency key; nil for a read.
    public var ledgerKey: IdempotencyKey? { request.mutating ? idempotencyKey : nil }

    func with(_ lease: Lease) -> ActionTicket { ActionTicket(request: request, lease: lease, idempotencyKey: idempotencyKey) }
}

/// Where a begun action stands.
public enum ActionStart: Equatable, Sendable {
    /// Call the provider with the ticket's lease and key (ask `clearForSend` at the instant the call leaves).
    case call(ActionTicket)
    /// An earlier attempt's outcome is unknown: look the key up at the provider, then give the
    /// answer to `recordLookup`, before anything is sent again.
    case lookUp(ActionTicket)
    /// The action's effect is already recorded: skip the call, the step is done.
    case alreadyDone(ActionTicket)
    /// An earlier call may still land at the provider, so neither a lookup nor a resend can be
    /// trusted yet: call `continueAction` at `until` (the engine recorded `action.waiting`).
    case wait(until: Instant, ActionTicket)
    /// An earlier call's outcome is unknown and the provider offers no way to learn it: the run is
    /// parked on an `outcome_unknown` case and an operator was asked whether the action happened.
    case parked(RecoveryCase, ReconnectRequest)
}

/// What came back from the provider for one call.
public enum ActionOutcome: Equatable, Sendable {
    /// The provider answered with success.
    case succeeded
    /// The provider answered with an error signal (nothing happened remotely).
    case failed(ProviderSignal)
    /// No answer came back before the caller's timeout: the outcome is unknown.
    case noAnswer
}

/// What the engine decided once an action's call finished.
public enum ActionVerdict: Equatable, Sendable {
    /// The action is done (its effect, if any, is recorded in the ledger).
    case completed
    /// Call again at once with this ticket (a refreshed or reloaded lease).
    case retryNow(ActionTicket)
    /// A transient or rate-limited failure: the runtime's retry policy schedules another attempt.
    case retryLater(Classification)
    /// The run is parked on a recovery case; the request went to its owner (or operator).
    case parked(RecoveryCase, ReconnectRequest)
}

extension RecoveryEngine {
    /// Begins an action: issues a lease on the connection's current generation and, for a
    /// mutating action, records the intent in the ledger or says that an earlier attempt must be
    /// reconciled first, or that the effect is already there.
    public func beginAction(_ request: ActionRequest, at time: Instant) throws(RecoveryStoreError) -> ActionStart {
        try decide(at: time) { (tx) throws(RecoveryStoreError) -> ActionStart in
            let context = request.context
            // Read once for both steps: neither writes it, and each read walked the table.
            let current = try tx.store.generation(of: request.connection)
            if let joined = try joinCaseOfDeadConnection(request.connection, current: current, context: context, at: time, in: tx) {
                return joined
            }
            let lease = try issueLease(connection: request.connection, generation: current, context: context, at: time, in: tx)
            let key = IdempotencyKey(run: request.run, action: request.action)
            let ticket = ActionTicket(request: request, lease: lease, idempotencyKey: key)
            guard request.mutating else { return .call(ticket) }
            return try start(try prepareAction(connection: request.connection, context: context, key: key, at: time, in: tx),
                             ticket, at: time, in: tx)
        }
    }

    /// Asks again, with the same lease, what a begun action may do: after a `.wait`, once its
    /// instant has come.
    public func continueAction(_ ticket: ActionTicket, at time: Instant) throws(RecoveryStoreError) -> ActionStart {
        guard ticket.request.mutating else { return .call(ticket) }
        return try decide(at: time) { (tx) throws(RecoveryStoreError) -> ActionStart in
            try start(try prepareAction(connection: ticket.request.connection, context: ticket.request.context, at: time, in: tx),
                      ticket, at: time, in: tx)
        }
    }

    /// Records what a lookup by idempotency key found at the provider for an action whose
    /// earlier outcome was unknown: `.alreadyDone` when the effect is there, else `.call`.
    public func recordLookup(_ answer: ReconcileAnswer, for ticket: ActionTicket, at time: Instant) throws(RecoveryStoreError) -> ActionStart {
        try decide(at: time) { (tx) throws(RecoveryStoreError) in
            try recordReconciliation(answer, key: ticket.idempotencyKey, context: ticket.request.context, at: time, in: tx)
        }
        return answer == .committed ? .alreadyDone(ticket) : .call(ticket)
    }

    /// Records that a lookup by idempotency key was refused or timed out (`lookup.failed`):
    /// nothing was learned, the action stays unknown, and the runtime's retry policy decides when
    /// to look again. The engine never guesses.
    public func lookupFailed(_ ticket: ActionTicket, at time: Instant) throws(RecoveryStoreError) -> ActionVerdict {
        try decide(at: time) { (tx) throws(RecoveryStoreError) in
            try tx.emit(.lookupFailed, at: time, context: ticket.request.context) { t in
                t.connection = ticket.lease.connection.rawValue
                t.key = ticket.idempotencyKey.rawValue
            }
        }
        return .retryLater(Classification(failureClass: .transient, rule: "lookup-refused", confidence: .high,
                                          retryAfter: nil, neededScopes: [], unwrappedFrom: nil))
    }

    /// The credential gateway's check at the instant a call leaves: a stale, dead or revoked
    /// lease is fenced (recorded as `lease.fenced`); an allowed mutation is marked executing.
    public func clearForSend(_ ticket: ActionTicket, at time: Instant) throws(RecoveryStoreError) -> CallAuthorization {
        try decide(at: time) { (tx) throws(RecoveryStoreError) in
            try authorizeCall(with: ticket.lease, key: ticket.ledgerKey, context: ticket.request.context, at: time, in: tx)
        }
    }

    /// Finishes a call with its outcome, at the instant the answer (or the caller's timeout) came:
    /// records the effect, or classifies the failure and takes the class's recovery path.
    public func finishAction(_ ticket: ActionTicket, _ outcome: ActionOutcome, at time: Instant) throws(RecoveryStoreError) -> ActionVerdict {
        let (lease, key, context) = (ticket.lease, ticket.ledgerKey, ticket.request.context)
        let decision: FailureDecision
        switch outcome {
        case .succeeded:
            try decide(at: time) { (tx) throws(RecoveryStoreError) in
                try recordSuccess(with: lease, key: key, context: context, at: time, in: tx)
            }
            return .completed
        case .failed(let signal):
            decision = try resolveFailure(lease: lease, key: key, context: context, at: time) { (tx) throws(RecoveryStoreError) in
                try classifyFailure(signal, operation: .call, lease: lease, key: key, context: context, at: time, in: tx)
            }
        case .noAnswer:
            decision = try resolveFailure(lease: lease, key: key, context: context, at: time) { (tx) throws(RecoveryStoreError) in
                try recordNoAnswer(with: lease, key: key, context: context, at: time, in: tx)
            }
        }
        switch decision {
        case .retryNow(let lease): return .retryNow(ticket.with(lease))
        case .retryLater(let classification): return .retryLater(classification)
        case .parked(let recoveryCase, let request): return .parked(recoveryCase, request)
        }
    }

    /// Records that the runtime gave the action up with its run (`action.failed`).
    public func abandonAction(_ ticket: ActionTicket, at time: Instant) throws(RecoveryStoreError) {
        guard let key = ticket.ledgerKey else { return }
        try decide(at: time) { (tx) throws(RecoveryStoreError) in
            try recordGivenUp(key: key, context: ticket.request.context, at: time, in: tx)
        }
    }
}

extension RecoveryEngine {
    /// The public word for a preparation, carrying the ticket; an action only an operator can
    /// settle parks its run here, in the same decision.
    func start(_ preparation: ActionPreparation, _ ticket: ActionTicket, at time: Instant,
               in tx: EngineTransaction) throws(RecoveryStoreError) -> ActionStart {
        switch preparation {
        case .execute: return .call(ticket)
        case .alreadyCommitted: return .alreadyDone(ticket)
        case .reconcile: return .lookUp(ticket)
        case .wait(let until): return .wait(until: until, ticket)
        case .askOperator(let rule):
            let (recoveryCase, request) = try askOperatorWhetherItHappened(ticket, rule: rule, at: time, in: tx)
            return .parked(recoveryCase, request)
        }
    }
}
