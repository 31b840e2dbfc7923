import Revive
import ReviveVocabulary

/// One request on its way through the provider: sent by a worker at `sentAt`, waited for until
/// `deadline`, and promised by the provider to land no later than `bound`.
struct InFlightCall {
    let id: Int
    let attemptID: Int
    let stepIndex: Int
    let attemptNumber: Int
    let worker: WorkerID
    let lease: Lease
    let key: IdempotencyKey?
    let mutates: Bool
    let run: RunID
    let sentAt: Instant
    /// When the caller stops waiting for the answer.
    let deadline: Instant
    /// The latest instant the provider promised to apply it: the deadline plus `settleAfter`.
    let bound: Instant
    /// When the provider finishes with it (applies, fails or abandons it); events for any other
    /// instant are stale (a fault moved it).
    var landsAt: Instant
    /// The provider gives up on it at `landsAt` instead of applying it (it would land past its bound).
    var abandons: Bool
    /// Struck by a lose-response: the provider applies it, the answer never arrives.
    var answerLost = false
    /// A replayed prefix carrying the credential of a grant that a reconnect has since replaced.
    var carriesReplacedGrant = false
    /// Struck by a late-apply: it lands this long after its bound.
    var lateBy: Span?
    /// The caller's timeout is already queued.
    var timeoutQueued = false
}

/// Provider calls in virtual time: a call takes its step's `duration` at the provider, the caller
/// gives up at its `callTimeout`, and the provider may apply a call after its caller gave up, up
/// to its declared bound (`settleAfter`), never later unless a `late-apply` fault makes it.
extension SimulatedRuntime {
    /// Records the call leaving the worker and schedules the provider's side of it.
    func sendCall(_ attempt: inout Attempt, lease: Lease) {
        // The step's fields read in place: `step(_:)` copied the whole spec on every call.
        // Read before the closure below: read in it, the step was copied whole out of the
        // captured list (every string of the spec retained, then released) on every call.
        let steps = scenario.workflow.steps
        let index = attempt.stepIndex
        let stepID = steps[index].id
        let (lease, notes, held) = replayCredential(&attempt, lease: lease)
        record(.providerCalled, actor: .worker(attempt.worker)) { t in
            t.worker = attempt.worker.rawValue
            t.step = stepID.rawValue
            t.attempt = attempt.number
            t.connection = lease.connection.rawValue
            t.generation = lease.generation.value
            t.lease = lease.id.rawValue
            t.key = attempt.key?.rawValue
            t.addNotes(notes)
        }
        let deadline = now.advanced(by: scenario.runtime.callTimeout)
        let promise = idempotencyPromise(of: lease.connection)
        let bound = deadline.advanced(by: promise.settleAfter)
        let finish = now.advanced(by: steps[index].duration)
        var call = InFlightCall(id: nextCallID, attemptID: attempt.id, stepIndex: attempt.stepIndex, attemptNumber: attempt.number,
                                worker: attempt.worker, lease: lease, key: attempt.key, mutates: steps[index].effect == .mutation,
                                run: runID, sentAt: now, deadline: deadline, bound: bound,
                                landsAt: min(finish, bound), abandons: finish > bound)
        nextCallID += 1
        attempt.awaitingCall = call.id
        if held {
            // A credential from before the reconnect is refused at the door: no drop, dedupe or
            // late apply reaches it, and the refusal comes back within the call's deadline.
            call.carriesReplacedGrant = true
            call.abandons = false
            call.landsAt = min(finish, deadline)
            attempt.replayCall = call.id
            attempts[attempt.id] = attempt
            world.queue.schedule(.providerLands(call: call.id), at: call.landsAt)
            // Moved into the table: a copy retained every string of the call, and the local's end released them.
            inFlight[call.id] = consume call
            return
        }
        attempts[attempt.id] = attempt
        if provider.takesDrop(lease.connection) {
            // The request never reaches the provider: the caller waits out its deadline.
            queueTimeout(&call)
            return
        }
        switch provider.arrive(lease.connection, key: call.key, mutates: call.mutates,
                               call: (stepID, attempt.number, runID, lease.generation.value), at: now) {
        case .answerNow(let answer):
            // A dedupe provider answers a repeated key at once: a conflict, or the saved answer.
            world.queue.schedule(.phase(attempt: attempt.id, .answer(answer.map(AnsweredSignal.init), call: call.id)), at: now)
        case .process:
            if let late = provider.takesLateApply(lease.connection) { makeLate(&call, by: late) }
            // No answer in time: the call lands after the deadline, or the provider abandons it.
            if call.abandons || call.landsAt > deadline { queueTimeout(&call) }
            world.queue.schedule(.providerLands(call: call.id), at: call.landsAt)
            inFlight[call.id] = consume call
        }
    }

    /// The connection's scenario entry.
    func connectionSpec(_ id: ConnectionID) -> ConnectionSpec? { scenario.connections.first(where: { $0.id == id }) }

    /// The connection's idempotency promise (the default one for a connection the scenario does
    /// not name), found by index: `connectionSpec` copied the whole spec out for it on every call.
    func idempotencyPromise(of id: ConnectionID) -> IdempotencyPromise {
        let connections = scenario.connections
        for index in connections.indices where connections[index].id == id { return connections[index].idempotency }
        return IdempotencyPromise()
    }

    private func queueTimeout(_ call: inout InFlightCall) {
        guard !call.timeoutQueued else { return }
        call.timeoutQueued = true
        world.queue.schedule(.phase(attempt: call.attemptID, .timeout(call: call.id)), at: max(call.deadline, now))
    }

    private func makeLate(_ call: inout InFlightCall, by late: Span) {
        let finish = call.sentAt.advanced(by: scenario.workflow.steps[call.stepIndex].duration)
        call.lateBy = late
        call.abandons = false
        call.landsAt = max(finish, call.bound).advanced(by: late)
    }

    /// The provider finishes with a call: abandons it at its bound, or applies (or fails) it and
    /// answers; the answer reaches the worker only while it still waits.
    func providerLands(_ id: Int) {
        // A call is in `inFlight` until the provider is done with it; an event for another instant is stale.
        guard var call = inFlight.take(id, if: { $0.landsAt == now }) else { return }
        if call.abandons {
            provider.abandon(call.lease.connection, key: call.key)
            recordAbandoned(call)
            return
        }
        let attempt = attempts[call.attemptID]
            ?? Attempt(id: call.attemptID, stepIndex: call.stepIndex, number: call.attemptNumber, worker: call.worker)
        if !call.carriesReplacedGrant && provider.takesRefreshElsewhere(call.lease.connection) { refreshElsewhere(call) }
        // The step's id read in place (`step(_:)` copied the whole spec for it).
        let outcome = provider.handleCall(connection: call.lease.connection, step: scenario.workflow.steps[call.stepIndex].id,
                                          attempt: call.attemptNumber,
                                          run: call.run, key: call.key, mutates: call.mutates,
                                          generation: call.lease.generation.value, at: now,
                                          lateBy: call.lateBy, callerGone: now > call.deadline,
                                          replacedGrant: call.carriesReplacedGrant)
        // Taken apart, not read: the failure's signal then moves into the queued answer (lent,
        // it was copied, a retain per string and per header and body it holds).
        switch consume outcome {
        case .failed(let signal):
            deliver(signal, for: &call)
        case .answerLost:
            strike(.afterEffect, attempt)
            queueTimeout(&call)
        case .answered:
            strike(.afterEffect, attempt)
            // A lose-response struck in flight, or at this very point: the answer never lands.
            if call.answerLost || provider.takesLoss(call.lease.connection) { queueTimeout(&call) } else { deliver(nil, for: &call) }
        }
    }

    private func deliver(_ signal: consuming ProviderSignal?, for call: inout InFlightCall) {
        guard now <= call.deadline else { return }
        world.queue.schedule(.phase(attempt: call.attemptID, .answer(signal.map(AnsweredSignal.init), call: call.id)), at: now)
    }

    /// Another worker's refresh lands first: the token pair this call carries is replaced; on a
    /// dead grant that refresh fails like any other, and nothing rotates.
    private func refreshElsewhere(_ call: InFlightCall) {
        let connection = call.lease.connection
        if let failure = provider.refreshFailure(connection) {
            provider.recordElsewhereRefreshFailure(failure, connection: connection, generation: call.lease.generation.value, at: now)
            return
        }
        world.rotating(connection) {
            guard let rotated = world.engine({ () throws(RecoveryStoreError) in
                try recovery.recordRefreshElsewhere(of: connection, by: "another-worker", run: call.run, at: now)
            }) else { return }
            provider.rotateTokens(connection, to: rotated.value)
        }
    }

    private func recordAbandoned(_ call: InFlightCall) {
        let spec = step(call.stepIndex)
        var t = Transition(time: now, actor: .provider, name: .requestAbandoned)
        writing(&t) { t in
            t.run = call.run.rawValue
            t.step = spec.id.rawValue
            t.attempt = call.attemptNumber
            t.connection = call.lease.connection.rawValue
            t.key = call.key?.rawValue
            t.reason = "past-bound"
            t.notes.append(.init("sent", DurationText.clock(call.sentAt)))
        }
        world.timeline.record(consume t)
    }

    /// A timed `drop-request`, `lose-response` or `late-apply` strikes the connection's call in
    /// flight, if one is; false when none is (then it waits for the next call, as at a step point).
    func strikeInFlight(_ fault: FaultSpec, connection: ConnectionID) -> Bool {
        guard let id = inFlight.values.filter({ $0.lease.connection == connection }).map(\.id).min(),
              var call = inFlight[id] else { return false }
        switch fault.kind {
        case .dropRequest:
            provider.abandon(connection, key: call.key)
            queueTimeout(&call)
            inFlight[id] = nil
            return true
        case .loseResponse:
            call.answerLost = true
        case .lateApply:
            makeLate(&call, by: fault.lateBy ?? FaultSpec.defaultLateBy)
            if call.landsAt > call.deadline { queueTimeout(&call) }
            world.queue.schedule(.providerLands(call: call.id), at: call.landsAt)
        default:
            return false
        }
        inFlight[id] = call
        return true
    }
}
