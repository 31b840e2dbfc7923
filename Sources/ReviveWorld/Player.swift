import Revive
import ReviveVocabulary

/// Plays one scenario in the simulated world: steps the virtual clock through the event queue on
/// one thread, hands runtime events to the simulated runtime, and applies the scenario's faults
/// and events (`Player+Faults`) and, in liveness mode, healing.
final class Player {
    /// Most transitions one play may record before it is stopped and reported.
    static let transitionLimit = 250_000
    /// Most queue events one play may process before it is stopped and reported.
    static let eventLimit = 1_000_000
    /// How long healing takes: an owner reconnects 10 minutes after a request, an operator fixes
    /// in 30 minutes, a lost worker returns 5 minutes after it was declared lost.
    static let healDelays = (owner: Span.minutes(10), operator: Span.minutes(30), worker: Span.minutes(5))

    let world: WorldWiring
    let runtime: SimulatedRuntime
    // Unchecked (see `Timeline`): one play, one thread; the dynamic exclusivity checks cost more than the work.
    /// The indices of the faults that fired, each once (a play's faults are few: a walk finds one).
    @exclusivity(unchecked) var firedFaults: [Int] = []
    /// `on` events not fired yet, grouped by the name they wait for, in the order first named: a
    /// play waits on a few names, and a walk comparing them beat hashing every transition's name.
    @exclusivity(unchecked) var pendingOnEvents: [OnEvents] = []
    /// The capabilities presented and verified, by their ids' texts (what the ids' `==` compares):
    /// a set of `CapabilityID` scanned every protocol conformance of the process, to check
    /// `CapabilityID: Hashable`, at the first verified reconnect of every process.
    var consumedCapabilities = Set<String>()
    /// Why the play stopped early, if it did (a limit was reached).
    var limitReached: String?
    /// Whether the horizon cut the play short with events still queued.
    var stoppedAtHorizon = false
    /// Liveness mode: owners answer, operators fix, lost workers return. Set before `play()`,
    /// which watches the timeline only when something needs to.
    @exclusivity(unchecked) var healing = false
    /// What healing did, as scenario events at the instants it acted (for a repro file).
    var healed: [EventSpec] = []
    /// `explore --kill`: the runtime's state before the event being handled, and the one to
    /// restore after the kill (what the dead process did after the kill never reached the runtime).
    @exclusivity(unchecked) var runtimeBeforeEvent: SimulatedRuntime.SavedState?
    var runtimeAtKill: SimulatedRuntime.SavedState?

    init(scenario: borrowing Scenario, mode: RecoveryMode = .revive, store: RecoveryStore? = nil, journal: FallbackJournal? = nil,
         kill: (point: KillPoint, reopen: () throws(RecoveryStoreError) -> Restart)? = nil,
         shared: SharedPlayWorld? = nil, ids: IdentifierSource? = nil) {
        world = WorldWiring(scenario: scenario, mode: mode, store: store, journal: journal, kill: kill, shared: shared, ids: ids)
        runtime = SimulatedRuntime(world: world)
        // Only a play with a fault aimed at a step point is told of them: in any other, every
        // point of every attempt walked the fault list for nothing.
        if scenario.faults.contains(where: { if case .step = $0.at { true } else { false } }) {
            runtime.stepPoints = .passUnretained(self)
        }
        world.onKill = { [unowned self] in self.runtimeAtKill = self.runtime.saveState(keeping: self.runtimeBeforeEvent) }
    }

    var scenario: Scenario { world.scenario }
    var now: Instant { world.now }
    var provider: SimulatedProvider { world.provider }
    var recovery: RecoveryIntegration { world.recovery }
    var timeline: Timeline { world.timeline }
    /// How the run stands at the end of the play.
    var outcome: Outcome { runtime.outcome }

    /// Plays the scenario to the end (empty queue, horizon or a limit) and returns the timeline.
    func play() -> Timeline {
        world.queue.schedule(.startRun, at: .zero)
        for (index, fault) in scenario.faults.enumerated() {
            if case .time(let instant) = fault.at { world.queue.schedule(.timedFault(index: index), at: instant) }
        }
        for (index, event) in scenario.events.enumerated() {
            switch event.trigger {
            case .at(let instant): world.queue.schedule(.scenarioEvent(index: index), at: instant)
            case .on(let name, _):
                if let group = pendingOnEvents.firstIndex(where: { $0.name == name }) {
                    pendingOnEvents[group].events.append(index)
                } else {
                    pendingOnEvents.append(OnEvents(name: name, events: [index]))
                }
            }
        }
        // Only a play that heals or waits on a transition watches its timeline: in any other,
        // the observer was a call on every transition for nothing.
        if healing || !pendingOnEvents.isEmpty {
            // Unretained (see `Timeline.observer`): the player clears it when it goes (see
            // `deinit`), so the timeline never calls a player that is gone.
            world.timeline.observer = .passUnretained(self)
        }
        return playOn()
    }

    /// Lets go of the timeline's observer, which refers to this player without keeping it.
    deinit { world.timeline.observer = nil }

    /// Handles queued events until the queue is empty (and, under `stress`, no foreign case
    /// resumes the parked run), the horizon, or a limit; returns the timeline.
    func playOn() -> Timeline {
        let horizon = Instant.zero.advanced(by: scenario.horizon)
        var processed = 0
        while let time = world.queue.nextTime ?? resumedFromSharedCase() {
            if time > horizon {
                // Only a run with work still pending was cut short; a late event after a finished run was not.
                stoppedAtHorizon = !runtime.runState.isFinished
                break
            }
            if processed >= Player.eventLimit {
                limitReached = "the play processed \(Player.eventLimit) events without finishing"
                break
            }
            if let failure = world.storeFailure {
                limitReached = "the recovery store failed: \(failure)"
                break
            }
            if timeline.transitions.count >= Player.transitionLimit {
                limitReached = "the play recorded \(Player.transitionLimit) transitions without finishing"
                break
            }
            let (at, event) = world.queue.popFirst()!
            world.advance(to: at)
            processed += 1
            if world.killSwitch != nil { runtimeBeforeEvent = runtime.saveState() }
            dispatch(event)
            if world.takeStoreWait() { callAgainWhenStoreIsBack(event) }
            if world.processKilled { restartAfterKill(during: event) }
        }
        return timeline
    }

    /// `stress`: nothing is left to happen in this play, but its run is parked on a case that
    /// another process may resolve. If it did, the run resumes now (the instant of the play's last
    /// event: its clock is its own) and the play goes on; otherwise the play ends, parked.
    private func resumedFromSharedCase() -> Instant? {
        guard let shared = world.shared, case .parked(let caseID) = runtime.runState, shared.caseWasResolved(caseID) else { return nil }
        runtime.resumePoint = nil
        runtime.resume(after: caseID)
        return world.queue.nextTime
    }

    private func dispatch(_ event: SimEvent) {
        switch event {
        case .startRun: runtime.startRun()
        case .phase(let id, let phase): runtime.dispatchPhase(id, phase)
        case .providerLands(let call): runtime.providerLands(call)
        case .timedFault(let index): fireTimedFault(index)
        case .scenarioEvent(let index): fireEvent(index)
        case .heartbeatDeadline(let worker, let epoch): runtime.heartbeatDeadline(worker, epoch: epoch)
        case .stallEnds(let worker, let epoch): runtime.stallEnds(worker, epoch: epoch)
        case .reminderDue(let id):
            let reminder = world.engine { () throws(RecoveryStoreError) in try recovery.reminderDue(id, at: now) }
            if let request = reminder ?? nil { world.deliver(request) }
        case .capabilityExpiry(let id):
            let expired = world.engine { () throws(RecoveryStoreError) in try recovery.capabilityExpired(id, at: now) }
            if let request = expired ?? nil { world.deliver(request) }
        case .retryStep: runtime.retryStep()
        case .workerAvailable: runtime.workerAvailable()
        case .stickyTimeout(let next): runtime.stickyTimeout(next)
        case .heal(let action): heal(action)
        case .storeBack: storeBack()
        case .runtimeBack: runtime.durableEngineReturned()
        }
    }

    /// Fires `on` events at the first occurrence of their transition (and schedules healing).
    func observe(_ transition: Transition) {
        if healing { scheduleHealing(after: transition) }
        // Most plays have no `on` event left: skip hashing the name on every transition then.
        guard !pendingOnEvents.isEmpty, let group = pendingOnEvents.firstIndex(where: { $0.name == transition.name }) else { return }
        let waiting = pendingOnEvents.remove(at: group).events
        for index in waiting {
            if case .on(_, let after) = scenario.events[index].trigger {
                world.queue.schedule(.scenarioEvent(index: index), at: transition.time.advanced(by: after))
            }
        }
    }
}

/// The `on` events waiting for one transition name: a struct, whose type is laid down with the
/// program, where a tuple's type was made at run time at the first such play of every process.
struct OnEvents {
    let name: TransitionName
    var events: [Int]
}
