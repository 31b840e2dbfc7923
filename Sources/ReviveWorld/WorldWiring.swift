import Revive
import ReviveVocabulary

/// Who handles credential failures in a play.
public enum RecoveryMode: String, Sendable {
    /// The real Revive engine.
    case revive
    /// A naive integration, for contrast: blind retries, anyone may reconnect, nothing fenced,
    /// no reconciliation, recovery context in the worker's memory.
    case withoutRevive = "without-revive"
}

/// What the simulated runtime and the player share: the scenario, the virtual clock and its
/// event queue, the timeline, the simulated provider, the recovery integration (the real engine
/// through its public API, or the naive baseline) and the owners' mailboxes.
final class WorldWiring {
    let scenario: Scenario
    /// Whether the real engine or the naive baseline handles credential failures.
    let mode: RecoveryMode
    let timeline = Timeline()
    let provider: SimulatedProvider
    // Unchecked (see `Timeline`): one play, one thread; the dynamic exclusivity checks cost more than the work.
    /// The engine (or the baseline); replaced when the lab's process restarts after a kill.
    @exclusivity(unchecked) var recovery: RecoveryIntegration
    /// The engine's id source, which a restarted process rebuilds by playing its predecessor's part again.
    let ids: IdentifierSource
    /// `stress`: what this play shares with plays in other processes (nil in every ordinary play).
    let shared: SharedPlayWorld?
    /// `explore --kill`: the in-memory stand-in for the killed process's store, and how the
    /// restarted process reopens the durable one.
    @exclusivity(unchecked) var killSwitch: KillSwitchStore?
    var reopenAfterKill: (() throws(RecoveryStoreError) -> Restart)?
    /// The lab's process died at the kill point and has not restarted yet.
    @exclusivity(unchecked) var processKilled = false
    /// Called at the instant of the kill (the player keeps the runtime's state as it was then).
    var onKill: (() -> Void)?
    /// Events by (virtual time, insertion order).
    @exclusivity(unchecked) var queue = EventQueue()
    /// The virtual time now; moved only by `advance(to:)`.
    @exclusivity(unchecked) private(set) var now = Instant.zero
    /// Every request delivered to an owner or operator, in order: one list, walked from its end
    /// for a connection's (a play delivers a few). Kept per connection in a dictionary keyed by
    /// `ConnectionID`, the first delivery of every process scanned every protocol conformance to
    /// check `ConnectionID: Hashable`, and every delivery and lookup hashed the id.
    private var inbox: [ReconnectRequest] = []

    /// The latest request delivered for `connection` that `matches`, if any.
    func lastDelivered(to connection: ConnectionID, where matches: (ReconnectRequest) -> Bool = { _ in true }) -> ReconnectRequest? {
        inbox.last { $0.connection == connection && matches($0) }
    }
    /// The first error the recovery store threw; the player stops the play after the event that met it.
    @exclusivity(unchecked) private(set) var storeFailure: RecoveryStoreError?
    /// `store-unavailable`: the switch in front of the shared store (nil when no such fault is planned).
    let storeOutage: StoreOutage?
    /// An engine call met the store's outage and was told to wait: whoever made it calls again
    /// when the store is back (the player re-queues the event unless a caller took the wait).
    @exclusivity(unchecked) var storeWaitPending = false
    /// What to do once the shared store is back, in order (callers that waited); a worker's call
    /// dies with the lab's process (`explore --kill`), an outside caller's is made again.
    var whenStoreBack: [StoreWaiter] = []

    /// Has `call` made again once the shared store is back.
    func callAgainWhenStoreIsBack(byWorker: Bool, _ call: @escaping () -> Void) {
        whenStoreBack.append(StoreWaiter(byWorker: byWorker, call: call))
    }

    /// `store` keeps the engine's state (a fresh in-memory store by default) and `journal` its
    /// fallback's journal where an outage is planned (in memory by default); the naive baseline keeps none.
    /// `scenario` is borrowed, and copied once, into `self`: as an initializer's (owned) parameter
    /// the caller copied it, the optimizer then made this initializer borrow it and copy it again,
    /// and the caller destroyed its own copy, every string of the scenario retained and released
    /// twice more than needed on every play.
    init(scenario: borrowing Scenario, mode: RecoveryMode, store: RecoveryStore? = nil, journal: FallbackJournal? = nil,
         kill: (point: KillPoint, reopen: () throws(RecoveryStoreError) -> Restart)? = nil,
         shared: SharedPlayWorld? = nil, ids: IdentifierSource? = nil) {
        // What the wiring reads of the scenario, read before it is moved in: read back through
        // `self`, the whole scenario was copied out for each field.
        let connections = scenario.connections
        let seed = scenario.seed
        let configuration = scenario.recovery
        // By index: `contains(where:)` copied every fault (its strings retained and released) in every play.
        var outage = false
        if mode == .revive {
            for index in scenario.faults.indices where scenario.faults[index].kind == .storeUnavailable {
                outage = true
                break
            }
        }
        self.scenario = copy scenario
        self.mode = mode
        self.shared = shared
        let provider = SimulatedProvider(connections: connections, seed: seed, timeline: timeline,
                                         ledger: shared?.ledger ?? LocalProviderLedger())
        self.provider = provider
        let ids = ids ?? SeededIdentifierSource(seed: seed)
        self.ids = ids
        if let kill {
            killSwitch = KillSwitchStore(point: kill.point)
            reopenAfterKill = kill.reopen
        }
        let shared: RecoveryStore = killSwitch ?? store ?? InMemoryRecoveryStore()
        storeOutage = outage ? StoreOutage(inner: shared) : nil
        switch mode {
        case .revive:
            // A local replica and journal only where an outage is planned: other plays pay nothing for it.
            let fallback = outage ? LocalFallback(replica: WorldWiring.replica(dyingWith: killSwitch),
                                                  journal: journal ?? InMemoryFallbackJournal()) : nil
            recovery = RecoveryEngine(configuration: configuration, store: storeOutage ?? shared,
                                      ids: ids, broker: provider, recorder: timeline, fallback: fallback)
        case .withoutRevive:
            recovery = NaiveIntegration(broker: provider, recorder: timeline)
        }
        for connection in connections {
            let record = ConnectionRecord(
                id: connection.id, provider: connection.provider, broker: connection.broker,
                ownerAddress: connection.owner, pinnedIdentity: ProviderIdentity(subject: connection.subject, tenant: connection.tenant),
                scopes: connection.scopes, idempotency: connection.idempotency)
            _ = engine { [recovery] () throws(RecoveryStoreError) in try recovery.register(record, at: .zero) }
        }
        // The outage's switch reads the clock; only a play that plans one builds the closure (a
        // captured variable for it was a heap box, and the closure another allocation, in every play).
        storeOutage?.clock = { [unowned self] in self.now }
    }

    /// An empty replica; in a process `explore --kill` kills, one that dies with it.
    static func replica(dyingWith killSwitch: KillSwitchStore?) -> RecoveryStore {
        guard let killSwitch else { return InMemoryRecoveryStore() }
        return KilledWithProcess(InMemoryRecoveryStore()) { [weak killSwitch] in killSwitch?.killed != true }
    }

    /// Takes the wait an engine call met, if it met one (the caller will call again when the store is back).
    func takeStoreWait() -> Bool {
        defer { storeWaitPending = false }
        return storeWaitPending
    }

    /// Makes one call to the recovery integration. A store error is kept (the play stops after the
    /// current event and reports it) and the call answers nil, so nothing acts on a decision that
    /// was never taken.
    func engine<Answer>(_ call: () throws(RecoveryStoreError) -> Answer) -> Answer? {
        do {
            return try call()
        } catch {
            // The killed process answers nothing more; its death is not a store failure.
            if killSwitch?.killed == true {
                if !processKilled { onKill?() }
                processKilled = true
                timeline.muted = true
                return nil
            }
            // An outage the lab planned: the engine waits for its shared store; the caller calls again.
            if error.code == .unavailable, storeOutage?.isDown == true {
                storeWaitPending = true
                return nil
            }
            if storeFailure == nil { storeFailure = error }
            return nil
        }
    }

    /// Stops the play on a store error met outside an engine call (reopening the store).
    func fail(_ error: RecoveryStoreError) { if storeFailure == nil { storeFailure = error } }

    /// The latest request for `connection` an owner (or, with `responder`, that party) holds:
    /// from the shared inbox under `stress`, where other processes' requests are there too.
    func latestRequest(for connection: ConnectionID, responder: Responder? = nil) -> ReconnectRequest? {
        if let shared { return shared.latestRequest(for: connection, responder: responder) }
        guard let responder else { return lastDelivered(to: connection) }
        return lastDelivered(to: connection) { $0.responder == responder }
    }

    /// Runs a rotation of `connection` that is not a refresh (`SharedPlayWorld.whileNoRefreshRotates`).
    func rotating<T>(_ connection: ConnectionID, _ body: () -> T) -> T {
        guard let shared else { return body() }
        return shared.whileNoRefreshRotates(connection, body)
    }

    /// Moves the virtual clock to the next event's instant (never backwards).
    func advance(to instant: Instant) {
        precondition(instant >= now, "virtual time never moves backwards")
        now = instant
        provider.setClock(instant)
    }

    /// Hands a reconnect request to its recipient and arms its timers: the reminder's (while
    /// reminders remain), then the expiry's.
    func deliver(_ request: ReconnectRequest) {
        inbox.append(request)
        shared?.post(request)
        if let remindAt = request.remindAt { queue.schedule(.reminderDue(request.capabilityID), at: remindAt) }
        queue.schedule(.capabilityExpiry(request.capabilityID), at: request.expiresAt)
    }
}

/// A call that met the shared store's outage, made again once the store is back (`whenStoreBack`):
/// a struct, whose type is laid down with the program, where a pair's was built at run time in
/// every process whose play had an outage.
struct StoreWaiter {
    /// Whether a worker made it (a worker's call dies with the lab's process).
    let byWorker: Bool
    let call: () -> Void
}
