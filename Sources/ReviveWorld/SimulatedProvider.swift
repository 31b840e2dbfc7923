import Revive
import ReviveVocabulary

/// The simulated credential provider (and the broker in front of it).
///
/// It keeps each connection's grant and tokens, fails the way real providers fail, runs the
/// authorization flow for reconnects, and keeps the record of remote effects by idempotency key:
/// the truth that `expect.effects` and reconciliation read.
final class SimulatedProvider: CredentialBroker {
    /// The outcome of one call as the provider saw it.
    enum CallOutcome {
        /// Answered with success; `applied` says a mutation took effect.
        case answered(applied: Bool)
        /// Answered with an error signal; nothing changed remotely.
        case failed(ProviderSignal)
        /// Applied, but the answer never reaches the worker.
        case answerLost(applied: Bool)
    }

    private struct ConnectionState {
        let spec: ConnectionSpec
        var deadSignal: ProviderSignal?
        var accessTokenExpiresAt: Instant
        /// The token pair issued last (spelled only on demand: see `IssuedTokens`).
        var tokens: IssuedTokens
        var pendingErrors: [PendingFailure] = []
        var dropNextRequests = 0
        var loseNextResponses = 0
        /// Another worker will refresh this connection when the next call lands.
        var refreshElsewherePending = false
        /// The next call lands this long after the provider's declared bound.
        var lateApplies: [Span] = []
        /// How many of the next lookups by key are refused.
        var lookupErrors = 0
        /// The grant a reconnect replaced was dead: a credential from it is still refused.
        var replacedWhileDead = false
        /// The signal that grant died with, when the scenario gave one.
        var replacedDeadSignal: ProviderSignal?
    }

    /// What a provider does with a request as it arrives.
    enum Arrival {
        /// It starts processing; it lands `duration` later.
        case process
        /// A dedupe provider answers at once: a conflict (the key is in use) or, with nil, the saved success.
        case answerNow(ProviderSignal?)
    }

    /// A dedupe provider's memory of one key.
    private struct KeptKey {
        let firstAt: Instant
        var processing: Bool
        var succeeded: Bool
    }

    // Unchecked: a provider belongs to one play on one thread, and no access to these overlaps
    // another (closures that edit a connection's state touch nothing else here); the runtime's
    // exclusivity checks showed in the catalogue's profile.
    @exclusivity(unchecked) private var connections = SmallTable<ConnectionID, ConnectionState>()
    /// Whether a drop, a lost answer, a refresh elsewhere, a late apply or a refused lookup was
    /// ever armed in this play. Until one is, the `takes…` checks answer without a lookup: each
    /// hashed the connection id and copied its whole state, on every call of every play.
    @exclusivity(unchecked) private var callFaultsArmed = false
    /// Grant liveness, the current token pair's generation and the effects: the state a play may share.
    let ledger: ProviderLedger
    /// By the key's text (its `==`): keyed by the key, a process's first scanned every conformance for `Hashable`.
    @exclusivity(unchecked) private var keptKeys: [String: KeptKey] = [:]
    /// The grants waiting for Revive's verdict, walked by id (a few a play; a dictionary's types were built at run time).
    @exclusivity(unchecked) private var pendingGrants: [PendingGrant] = []
    @exclusivity(unchecked) private var random: SeededRandom
    private let timeline: Timeline

    init(connections specs: [ConnectionSpec], seed: UInt64, timeline: Timeline, ledger: ProviderLedger = LocalProviderLedger()) {
        self.ledger = ledger
        // The provider's own randomness (tokens, trace ids) is a separate stream of the seed, so
        // that adding a token draw never shifts the engine's ids.
        random = SeededRandom(seed: seed ^ 0x5EED_0F_7E57)
        self.timeline = timeline
        connections.reserveCapacity(specs.count)
        for spec in specs {
            let tokens = IssuedTokens.issue(for: spec.provider, random: &random)
            // Added, not assigned through the optional subscript: that copied the whole state
            // (its spec's strings and signals) into an optional and out again for every connection.
            connections.add(spec.id, ConnectionState(spec: spec, accessTokenExpiresAt: Instant.zero.advanced(by: spec.accessTokenTTL),
                                                     tokens: tokens))
        }
    }

    // MARK: Faults

    func revokeGrant(_ connection: ConnectionID, signal: ProviderSignal?) {
        guard connections.index(forKey: connection) != nil else { return }
        ledger.setGrantAlive(false, of: connection)
        connections.update(connection) { $0.deadSignal = signal }
    }

    func expireAccessToken(_ connection: ConnectionID, at time: Instant) {
        connections.update(connection) { $0.accessTokenExpiresAt = time }
    }

    func failNextCalls(_ connection: ConnectionID, signal: ProviderSignal, count: Int) {
        connections.update(connection) { $0.pendingErrors.append(PendingFailure(signal: signal, remaining: count)) }
    }

    func dropNextRequest(_ connection: ConnectionID) {
        callFaultsArmed = true
        connections.update(connection) { $0.dropNextRequests += 1 }
    }

    /// Arms a refresh by another worker that lands just before this connection's next call.
    func refreshElsewhereBeforeNextCall(_ connection: ConnectionID) {
        callFaultsArmed = true
        connections.update(connection) { $0.refreshElsewherePending = true }
    }

    /// Whether a refresh by another worker lands now (consumes it).
    func takesRefreshElsewhere(_ connection: ConnectionID) -> Bool {
        guard callFaultsArmed, connections[connection]?.refreshElsewherePending == true else { return false }
        connections.update(connection) { $0.refreshElsewherePending = false }
        return true
    }

    /// Another worker refreshed: a new token pair at `generation` replaces the old one.
    func rotateTokens(_ connection: ConnectionID, to generation: Int) {
        guard connections.index(forKey: connection) != nil else { return }
        issueTokens(connection)
        ledger.issueTokens(of: connection, generation: generation)
    }

    /// A new token pair for the connection, valid from the refresh context's time: edited where
    /// the state lies (taken out and put back, the whole state was copied twice).
    private func issueTokens(_ connection: ConnectionID) {
        let time = refreshContext.time
        _ = withState(connection) { state in
            state.tokens = IssuedTokens.issue(for: state.spec.provider, random: &random)
            state.accessTokenExpiresAt = time.advanced(by: state.spec.accessTokenTTL)
        }
    }

    /// An operator fixed the integration: the configured errors stop.
    func clearConfiguredErrors(_ connection: ConnectionID) { connections.update(connection) { $0.pendingErrors = [] } }

    func loseNextResponse(_ connection: ConnectionID) {
        callFaultsArmed = true
        connections.update(connection) { $0.loseNextResponses += 1 }
    }

    /// Whether a pending lose-response takes the answer now in flight (consumes it).
    func takesLoss(_ connection: ConnectionID) -> Bool {
        guard callFaultsArmed, withState(connection, { $0.loseNextResponses > 0 }) == true else { return false }
        connections.update(connection) { $0.loseNextResponses -= 1 }
        return true
    }

    // MARK: Calls

    /// Whether the next request to the connection never arrives (consumes the drop).
    func takesDrop(_ connection: ConnectionID) -> Bool {
        guard callFaultsArmed, withState(connection, { $0.dropNextRequests > 0 }) == true else { return false }
        connections.update(connection) { $0.dropNextRequests -= 1 }
        return true
    }

    /// Handles a call that reached the provider, recording any effect or failure on the timeline.
    func handleCall(connection id: ConnectionID, step: ActionKey, attempt: Int, run: RunID, key: IdempotencyKey?, mutates: Bool,
                    generation: Int, at time: Instant, lateBy: Span? = nil, callerGone: Bool = false,
                    replacedGrant: Bool = false) -> CallOutcome {
        guard let (failure, loses) = withState(id, { state in
            callFailure(&state, id, generation: generation, at: time, replacedGrant: replacedGrant)
        }) else { preconditionFailure("call to an unknown connection \(id)") }
        if let key, keptKeys[key.rawValue] != nil {
            keptKeys[key.rawValue]!.processing = false
            keptKeys[key.rawValue]!.succeeded = failure.map { _ in false } ?? true
        }
        if let failure {
            recordFailure(failure, connection: id, operation: "call", step: step, attempt: attempt, run: run, generation: generation, at: time)
            return .failed(failure)
        }
        if mutates, let key {
            ledger.recordEffect(key: key, run: run)
            var t = Transition(time: time, actor: .provider, name: .effectApplied)
            writing(&t) { t in
                (t.run, t.step, t.attempt, t.connection) = (run.rawValue, step.rawValue, attempt, id.rawValue)
                t.generation = generation
                t.key = key.rawValue
                if loses { t.notes.append(.init("answer", "lost")) }
                if callerGone { t.notes.append(.init("caller", "gave-up")) }
                if let lateBy { t.notes.append(.init("late", lateBy.description)) }
            }
            timeline.record(consume t)
        }
        return loses ? .answerLost(applied: mutates) : .answered(applied: mutates)
    }

    /// How the provider fails a call on the connection in `state`, if it does, and whether the
    /// answer of a call that succeeds is lost (each consumes the fault it takes).
    private func callFailure(_ state: inout ConnectionState, _ id: ConnectionID, generation: Int, at time: Instant,
                             replacedGrant: Bool) -> (failure: ProviderSignal?, loses: Bool) {
        var failure: ProviderSignal?
        if replacedGrant && state.replacedWhileDead {
            // A credential of the revoked grant stays revoked after the owner reconnected.
            failure = state.replacedDeadSignal ?? deadGrantSignal(state)
        } else if let index = state.pendingErrors.firstIndex(where: { $0.remaining > 0 }) {
            failure = state.pendingErrors[index].signal
            state.pendingErrors[index].remaining -= 1
            if state.pendingErrors[index].remaining == 0 { state.pendingErrors.remove(at: index) }
        } else if !ledger.isGrantAlive(id) {
            failure = deadGrantSignal(state)
        } else if time >= state.accessTokenExpiresAt || generation < ledger.tokenGeneration(of: id) {
            // An expired token, or one replaced by a refresh since this lease was issued.
            failure = ProviderEnvelopes.expiredAccessToken(provider: state.spec.provider)
        }
        // Not `== nil`: that is `Equatable`'s `==`, pairing the signal with a nil copied through metadata.
        let loses = (failure.map { _ in false } ?? true) && state.loseNextResponses > 0
        if loses { state.loseNextResponses -= 1 }
        return (failure, loses)
    }

    /// Runs `body` on the connection's state where it lies. Taken out and put back, a state was
    /// copied twice (its spec and signals hold many strings, each retained) on every call.
    private func withState<R>(_ id: ConnectionID, _ body: (inout ConnectionState) -> R) -> R? {
        guard let index = connections.index(forKey: id) else { return nil }
        return connections.modify(at: index, body)
    }

    private func deadGrantSignal(_ state: ConnectionState) -> ProviderSignal {
        if let given = state.deadSignal { return given }
        let inner = ProviderEnvelopes.deadGrant(provider: state.spec.provider, traceID: traceID())
        return ProviderEnvelopes.wrapped(inner, broker: state.spec.broker)
    }

    private func traceID() -> String {
        "\(random.hex(8))-\(random.hex(4))-\(random.hex(4))-\(random.hex(4))-\(random.hex(12))"
    }

    private func recordFailure(_ signal: ProviderSignal, connection: ConnectionID, operation: String, step: ActionKey?, attempt: Int?,
                               run: RunID?, generation: Int, at time: Instant) {
        let summary = ProviderEnvelopes.summary(signal)
        var t = Transition(time: time, actor: .provider, name: .providerFailed)
        writing(&t) { t in
            (t.run, t.step, t.attempt, t.connection) = (run?.rawValue, step?.rawValue, attempt, connection.rawValue)
            t.generation = generation
            t.notes.reserveCapacity(4) // Room for every note at once: grown, the list was allocated up to three times.
            t.notes.append(.init("op", operation))
            t.notes.append(.init("status", summary.status))
            if let code = summary.code { t.notes.append(.init("error", code)) }
            if let after = SignalFacts.retryAfter(of: signal) { t.notes.append(.init("retry-after", after.description)) }
        }
        timeline.record(consume t)
    }

    /// Whether an effect with this idempotency key happened (the reconciliation lookup).
    func hasEffect(key: IdempotencyKey) -> Bool { ledger.effectCount(key: key) > 0 }

    // MARK: Keys, bounds and lookups

    /// A request arrives: a dedupe provider refuses a key still being processed and replays the
    /// saved answer of a key it keeps; everything else is processed.
    func arrive(_ connection: ConnectionID, key: IdempotencyKey?, mutates: Bool, call: (step: ActionKey, attempt: Int, run: RunID, generation: Int),
                at time: Instant) -> Arrival {
        guard mutates, let key, let promise = withState(connection, { $0.spec.idempotency }), promise.mode == .dedupe else { return .process }
        if let kept = keptKeys[key.rawValue], time < kept.firstAt.advanced(by: promise.keyRetention) {
            if kept.processing {
                let conflict = ProviderEnvelopes.idempotencyConflict()
                recordFailure(conflict, connection: connection, operation: "call", step: call.step, attempt: call.attempt, run: call.run,
                              generation: call.generation, at: time)
                return .answerNow(conflict)
            }
            if kept.succeeded {
                var t = Transition(time: time, actor: .provider, name: .requestDeduplicated)
                writing(&t) { t in
                    (t.run, t.step, t.attempt, t.connection) = (call.run.rawValue, call.step.rawValue, call.attempt, connection.rawValue)
                    t.key = key.rawValue
                    t.notes.append(.init("first", DurationText.clock(kept.firstAt)))
                }
                timeline.record(consume t)
                return .answerNow(nil)
            }
            keptKeys[key.rawValue]!.processing = true
            return .process
        }
        if keptKeys[key.rawValue] == nil && ledger.effectCount(key: key) > 0 {
            // The key took effect in a play this provider's memory did not see (under `stress`, a
            // killed process's): the provider still holds it, and replays the saved answer. In
            // one play a key that took effect is always kept, so this never changes a timeline.
            keptKeys[key.rawValue] = KeptKey(firstAt: time, processing: false, succeeded: true)
            return arrive(connection, key: key, mutates: mutates, call: call, at: time)
        }
        keptKeys[key.rawValue] = KeptKey(firstAt: time, processing: true, succeeded: false)
        return .process
    }

    /// The provider stopped processing a request (past its bound, or it never arrived).
    func abandon(_ connection: ConnectionID, key: IdempotencyKey?) {
        if let key, keptKeys[key.rawValue]?.processing == true { keptKeys[key.rawValue]!.processing = false }
    }

    /// Arms a late apply: the next call on the connection lands `by` after its bound.
    func applyNextLate(_ connection: ConnectionID, by late: Span) {
        callFaultsArmed = true
        connections.update(connection) { $0.lateApplies.append(late) }
    }

    /// Whether an armed late apply takes the call now sent (consumes it).
    func takesLateApply(_ connection: ConnectionID) -> Span? {
        guard callFaultsArmed, let late = connections[connection]?.lateApplies.first else { return nil }
        connections.update(connection) { $0.lateApplies.removeFirst() }
        return late
    }

    /// Arms refusals of the next `count` lookups by key on the connection.
    func failNextLookups(_ connection: ConnectionID, count: Int) {
        callFaultsArmed = true
        connections.update(connection) { $0.lookupErrors += count }
    }

    /// The lookup by idempotency key: the effect is there, it is not, or the lookup is refused.
    func lookUp(_ key: IdempotencyKey, on connection: ConnectionID) -> ReconcileAnswer? {
        if callFaultsArmed, withState(connection, { $0.lookupErrors > 0 }) == true {
            connections.update(connection) { $0.lookupErrors -= 1 }
            return nil
        }
        return hasEffect(key: key) ? .committed : .absent
    }

    /// Why a refresh by another holder fails now (a dead grant), or nil when it would succeed.
    func refreshFailure(_ connection: ConnectionID) -> ProviderSignal? {
        guard let state = connections[connection], !ledger.isGrantAlive(connection) else { return nil }
        return deadGrantSignal(state)
    }

    /// Records another holder's failed refresh (nothing rotates).
    func recordElsewhereRefreshFailure(_ signal: ProviderSignal, connection: ConnectionID, generation: Int, at time: Instant) {
        recordFailure(signal, connection: connection, operation: "refresh-elsewhere", step: nil, attempt: nil, run: nil,
                      generation: generation, at: time)
    }

    // MARK: CredentialBroker

    private var refreshContext: (time: Instant, run: RunID?, step: ActionKey?, attempt: Int?) = (.zero, nil, nil, nil)

    /// Sets the time and run that the next refresh happens in (the engine's broker calls carry no time).
    func prepareRefresh(at time: Instant, run: RunID, step: ActionKey, attempt: Int) {
        refreshContext = (time, run, step, attempt)
    }

    func refresh(_ connection: ConnectionID, generation: LeaseGeneration, rotatingTo next: LeaseGeneration) -> ProviderSignal? {
        // Read in place, tokens replaced there (`issueTokens`): copied out and back, twice a refresh.
        guard let index = connections.index(forKey: connection) else { return ProviderSignal(status: 404, error: "unknown_connection") }
        var failure: ProviderSignal?
        if !ledger.isGrantAlive(connection) {
            failure = connections.modify(at: index) { deadGrantSignal($0) }
        } else if !ledger.redeemRefreshToken(of: connection, generation: generation.value, next: next.value) {
            // Refresh tokens are single use: the one this lease knew was spent by a newer refresh.
            failure = connections.modify(at: index) { state in
                ProviderEnvelopes.wrapped(ProviderEnvelopes.spentRefreshToken(provider: state.spec.provider), broker: state.spec.broker)
            }
        }
        if let failure {
            recordFailure(failure, connection: connection, operation: "refresh", step: refreshContext.step,
                          attempt: refreshContext.attempt, run: refreshContext.run, generation: generation.value, at: refreshContext.time)
            return failure
        }
        issueTokens(connection)
        return nil
    }

    /// Runs the provider's authorization flow for whoever is at the browser; the grant waits for Revive's verdict.
    func authorize(connection: ConnectionID, identity: ProviderIdentity) -> PendingGrant {
        let grant = PendingGrant(id: random.hex(8, after: "grant_"), connection: connection, identity: identity)
        if let held = waitingGrant(grant.id) { pendingGrants[held] = grant } else { pendingGrants.append(grant) }
        return grant
    }

    func install(_ grant: PendingGrant, generation: LeaseGeneration) {
        guard let held = waitingGrant(grant.id) else { return }
        pendingGrants.remove(at: held)
        guard connections.index(forKey: grant.connection) != nil else { return }
        // Edited in place (see `issueTokens`). Credentials of a dead grant stay dead (a replayed
        // call that still holds one is refused).
        let wasAlive = ledger.isGrantAlive(grant.connection)
        _ = withState(grant.connection) { state in
            state.replacedWhileDead = !wasAlive
            state.replacedDeadSignal = state.deadSignal
            state.deadSignal = nil
        }
        // The access and refresh token are replaced as one pair, and every earlier fault is healed.
        ledger.setGrantAlive(true, of: grant.connection)
        issueTokens(grant.connection)
        ledger.issueTokens(of: grant.connection, generation: generation.value)
    }

    func discard(_ grant: PendingGrant) { if let held = waitingGrant(grant.id) { pendingGrants.remove(at: held) } }
    /// Where the grant with id `id` waits in `pendingGrants`, if it does.
    private func waitingGrant(_ id: String) -> Int? { pendingGrants.firstIndex { $0.id == id } }

    /// Sets the time for grant installation (the engine's broker calls carry no time).
    func setClock(_ time: Instant) { refreshContext.time = time }
}
