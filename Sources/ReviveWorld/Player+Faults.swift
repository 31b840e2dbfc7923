import Revive
import ReviveVocabulary

/// The scenario's faults and events, applied to the simulated world.
extension Player {
    /// Fires every unfired fault aimed at this point of this attempt, in file order.
    func strike(_ point: StepPoint, _ attempt: Attempt) {
        // The cheap tests first, by index, and the step's spec only for a fault aimed here: this
        // runs at every point of every attempt, and copying the spec and every fault (their
        // strings retained and released) cost more than the tests, which nearly always fail.
        let faults = scenario.faults
        for index in faults.indices {
            // The point and the number first, without binding the step's id: bound, the id was
            // retained and released (and the trigger copied and destroyed) for every fault at
            // every point of every attempt, where nearly every test fails before the id matters.
            guard case .step(_, let faultPoint, let number) = faults[index].at, faultPoint == point,
                  number == attempt.number, !firedFaults.contains(index) else { continue }
            // The step's id next, in place: a fault of another step at this point is common.
            let steps = scenario.workflow.steps
            guard case .step(let id, _, _) = faults[index].at, id == steps[attempt.stepIndex].id else { continue }
            firedFaults.append(index)
            // The step's two fields read in place (`runtime.step` copied the whole spec for them).
            apply(faults[index], connection: steps[attempt.stepIndex].connection, worker: attempt.worker, step: steps[attempt.stepIndex].id,
                  attempt: attempt.number, point: point)
        }
    }

    func fireTimedFault(_ index: Int) {
        guard !firedFaults.contains(index) else { return }
        firedFaults.append(index)
        let fault = scenario.faults[index]
        apply(fault, connection: fault.connection, worker: fault.worker, step: nil, attempt: nil, point: nil)
    }

    private func apply(_ fault: FaultSpec, connection: ConnectionID?, worker: WorkerID?, step: ActionKey?, attempt: Int?, point: StepPoint?) {
        runtime.record(.faultInjected, actor: .lab) { t in
            t.step = step?.rawValue
            t.attempt = attempt
            t.connection = fault.kind.targetsWorker || fault.kind.isOutage ? nil : connection?.rawValue
            t.worker = fault.kind.targetsWorker ? worker?.rawValue : nil
            // Room for every note at once: grown note by note, the list was allocated twice.
            t.notes.reserveCapacity(2 + (fault.stallFor == nil ? 0 : 1) + (fault.lateBy == nil ? 0 : 1) + (fault.lasting == nil ? 0 : 1))
            t.notes.append(.init("fault", fault.kind.rawValue))
            if let point { t.notes.append(.init("point", point.rawValue)) }
            if fault.kind == .providerError || fault.kind == .lookupError, fault.count != 1 { t.notes.append(.init("count", String(fault.count))) }
            if let stall = fault.stallFor { t.notes.append(.init("for", stall.description)) }
            if let late = fault.lateBy { t.notes.append(.init("by", late.description)) }
            if let lasting = fault.lasting { t.notes.append(.init("for", lasting.description)) }
        }
        // A fault at a virtual time strikes the call in flight on its connection, if one is.
        if point == nil, let connection, [.loseResponse, .dropRequest, .lateApply].contains(fault.kind),
           runtime.strikeInFlight(fault, connection: connection) { return }
        switch fault.kind {
        case .revokeGrant: connection.map { provider.revokeGrant($0, signal: fault.signal) }
        case .expireAccessToken: connection.map { provider.expireAccessToken($0, at: now) }
        case .providerError:
            if let connection, let signal = fault.signal { provider.failNextCalls(connection, signal: signal, count: fault.count) }
        case .loseResponse: connection.map { provider.loseNextResponse($0) }
        case .dropRequest: connection.map { provider.dropNextRequest($0) }
        case .crashWorker: worker.map { runtime.freeze($0, stall: nil) }
        case .stallWorker: worker.map { runtime.freeze($0, stall: fault.stallFor) }
        case .refreshElsewhere: connection.map { provider.refreshElsewhereBeforeNextCall($0) }
        case .lateApply: connection.map { provider.applyNextLate($0, by: fault.lateBy ?? FaultSpec.defaultLateBy) }
        case .lookupError: connection.map { provider.failNextLookups($0, count: fault.count) }
        case .storeUnavailable: startStoreOutage(lasting: fault.lasting ?? .zero)
        case .runtimeUnavailable: runtime.loseDurableEngine(for: fault.lasting ?? .zero)
        }
    }

    func fireEvent(_ index: Int) {
        switch scenario.events[index].action {
        case .reconnect(let connection, let subject, let tenant):
            reconnect(connection, as: ProviderIdentity(subject: subject, tenant: tenant), capability: world.latestRequest(for: connection), reuse: false)
        case .reuseCapability(let connection):
            let spent = world.lastDelivered(to: connection) { consumedCapabilities.contains($0.capabilityID.rawValue) || $0.expiresAt <= now }
            guard let spent, let pinned = scenario.connections.first(where: { $0.id == connection }) else {
                runtime.record(.eventSkipped, actor: .owner) { t in
                    t.connection = connection.rawValue
                    t.reason = "no-used-or-expired-capability"
                }
                return
            }
            reconnect(connection, as: ProviderIdentity(subject: pinned.subject, tenant: pinned.tenant), capability: spent, reuse: true)
        case .operatorFix(let connection):
            fireOperatorFix(connection)
        case .operatorConfirm(let connection, let happened):
            _ = fireOperatorConfirm(connection, happened: happened)
        case .startWorker(let name):
            runtime.startWorker(name)
        case .resumeThread:
            runtime.resumeThread()
        case .reviveWorker(let name):
            guard runtime.workers[name]?.frozen == true, runtime.workers[name]?.gone != true else {
                runtime.record(.eventSkipped, actor: .runtime) { t in
                    t.worker = name.rawValue
                    t.reason = runtime.workers[name]?.gone == true ? "its-process-was-killed" : "worker-not-stalled-or-lost"
                }
                return
            }
            runtime.thaw(name)
        }
    }

    /// An operator fixed the configuration or policy and confirms with the latest alert's capability.
    func fireOperatorFix(_ connection: ConnectionID) {
        let alert = world.latestRequest(for: connection, responder: .operator)
        runtime.record(.operatorFixed, actor: .operator) { t in
            t.connection = connection.rawValue
            t.capability = alert?.capabilityID.rawValue
        }
        provider.clearConfiguredErrors(connection)
        presentFix(alert, connection: connection)
    }

    /// Hands an operator's fix to the engine; again when the store is back if it had to wait.
    private func presentFix(_ alert: ReconnectRequest?, connection: ConnectionID) {
        guard let outcome = world.engine({ () throws(RecoveryStoreError) in
            try recovery.presentOperatorFix(capabilityValue: alert?.capabilityValue, connection: connection, at: now)
        }) else {
            if world.takeStoreWait() { world.callAgainWhenStoreIsBack(byWorker: false) { [unowned self] in self.presentFix(alert, connection: connection) } }
            return
        }
        resumeIfResolved(outcome)
    }

    /// An operator says whether the action of an `outcome_unknown` case happened, with the latest
    /// alert's capability. Returns the engine's answer (nil if its store failed).
    func fireOperatorConfirm(_ connection: ConnectionID, happened told: Bool) -> ReconnectOutcome? {
        let alert = world.latestRequest(for: connection, responder: .operator)
        let happened = alert.flatMap { world.shared?.operatorFinds($0.caseID) } ?? told
        runtime.record(.operatorConfirmed, actor: .operator) { t in
            t.connection = connection.rawValue
            t.capability = alert?.capabilityID.rawValue
            t.notes.append(.init("happened", happened ? "yes" : "no"))
        }
        let outcome = world.engine { () throws(RecoveryStoreError) in
            try recovery.presentOperatorConfirm(capabilityValue: alert?.capabilityValue, connection: connection,
                                                happened: happened, at: now)
        }
        if let outcome { resumeIfResolved(outcome) }
        return outcome
    }

    /// Resumes the parked run when an operator's fix or answer resolved its case.
    private func resumeIfResolved(_ outcome: ReconnectOutcome) {
        if case .resolved(let caseID, let run, let checkpoint) = outcome, runtime.runState == .parked(caseID) {
            runtime.resumePoint = resumePoint(run, checkpoint)
            runtime.resume(after: caseID)
        }
    }

    /// Where the engine says to resume. Under `stress` a case may join runs of other plays, and the
    /// engine names the run that opened it: another play's run resumes in its own process
    /// (`SharedPlayWorld.caseWasResolved`), so this play resumes its own run from its own checkpoint.
    func resumePoint(_ run: RunID, _ checkpoint: String?) -> (run: RunID, checkpoint: String?)? {
        if world.shared != nil && run != runtime.runID { return nil }
        return (run, checkpoint)
    }

    /// Someone completes the provider's authorization flow and presents a capability (or none).
    func reconnect(_ connection: ConnectionID, as identity: ProviderIdentity, capability request: ReconnectRequest?, reuse: Bool) {
        runtime.record(.reconnectPresented, actor: .owner) { t in
            t.connection = connection.rawValue
            t.capability = request?.capabilityID.rawValue
            t.subject = identity.subject
            t.tenant = identity.tenant
            if reuse { t.notes.append(.init("reuse", "yes")) }
        }
        let grant = provider.authorize(connection: connection, identity: identity)
        present(grant, capability: request)
    }

    /// Hands a completed authorization to the engine; one that must wait for the shared store is
    /// handed again, the same grant and capability, when the store is back (the reconnect page
    /// holds it: the owner does not sign in twice).
    func present(_ grant: PendingGrant, capability request: ReconnectRequest?) {
        let presented = world.rotating(grant.connection) {
            world.engine { () throws(RecoveryStoreError) in
                try recovery.presentReconnect(capabilityValue: request?.capabilityValue, grant: grant, at: now)
            }
        }
        guard let outcome = presented else {
            if world.takeStoreWait() { world.callAgainWhenStoreIsBack(byWorker: false) { [unowned self] in self.present(grant, capability: request) } }
            return
        }
        guard case .verified(let caseID, let run, let checkpoint, _) = outcome else { return }
        if let request { consumedCapabilities.insert(request.capabilityID.rawValue) }
        if runtime.runState == .parked(caseID) {
            runtime.resumePoint = resumePoint(run, checkpoint)
            runtime.resume(after: caseID)
        }
    }

    // MARK: Healing (liveness mode)

    func scheduleHealing(after transition: Transition) {
        let delays = Player.healDelays
        switch transition.name {
        case .reconnectRequested:
            if let connection = transition.connection.map(ConnectionID.init) { world.queue.schedule(.heal(.reconnect(connection: connection)), at: now.advanced(by: delays.owner)) }
        case .operatorAlerted:
            guard let connection = transition.connection.map(ConnectionID.init) else { return }
            let action: HealAction = transition.failureClass == .outcomeUnknown ? .operatorConfirm(connection: connection) : .operatorFix(connection: connection)
            world.queue.schedule(.heal(action), at: now.advanced(by: delays.operator))
        case .workerLost:
            if let worker = transition.worker.map(WorkerID.init) { world.queue.schedule(.heal(.revive(worker: worker)), at: now.advanced(by: delays.worker)) }
        default:
            break
        }
    }

    func heal(_ action: HealAction) {
        switch action {
        case .reconnect(let connection):
            // Only while that connection's case still waits: an answered request needs no second answer.
            guard case .parked = runtime.runState, let pinned = scenario.connections.first(where: { $0.id == connection }) else { return }
            healed.append(EventSpec(trigger: .at(now), action: .reconnect(connection: connection, subject: pinned.subject, tenant: pinned.tenant)))
            reconnect(connection, as: ProviderIdentity(subject: pinned.subject, tenant: pinned.tenant), capability: world.lastDelivered(to: connection), reuse: false)
        case .operatorFix(let connection):
            guard case .parked = runtime.runState else { return }
            healed.append(EventSpec(trigger: .at(now), action: .operatorFix(connection: connection)))
            fireOperatorFix(connection)
        case .operatorConfirm(let connection):
            healOutcomeQuestion(connection)
        case .revive(let worker):
            guard runtime.workers[worker]?.frozen == true else { return }
            healed.append(EventSpec(trigger: .at(now), action: .reviveWorker(worker)))
            runtime.thaw(worker)
        }
    }

    /// The operator looks the action up in the provider's own records (out of band, where the
    /// engine's lookups could not) and answers truthfully; an answer refused because a call may
    /// still land is given again later.
    private func healOutcomeQuestion(_ connection: ConnectionID) {
        guard case .parked = runtime.runState, let alert = world.lastDelivered(to: connection, where: { $0.responder == .operator }),
              let key = world.engine({ () throws(RecoveryStoreError) in try recovery.recoveryCase(alert.caseID) })??.idempotencyKey
        else { return }
        let happened = provider.hasEffect(key: key)
        healed.append(EventSpec(trigger: .at(now), action: .operatorConfirm(connection: connection, happened: happened)))
        let outcome = fireOperatorConfirm(connection, happened: happened)
        if case .refused(reason: "may-still-land")? = outcome {
            world.queue.schedule(.heal(.operatorConfirm(connection: connection)), at: now.advanced(by: Player.healDelays.operator))
        }
    }
}
