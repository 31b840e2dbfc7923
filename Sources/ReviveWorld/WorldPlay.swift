import Revive
import ReviveVocabulary

/// What one play of a scenario in the simulated world produced, before anyone judges it.
public struct WorldPlay: Sendable {
    /// Every transition, in order.
    public var transitions: [Transition]
    /// How the run stood when the play ended.
    public var outcome: Outcome
    /// Why the play stopped early, if a limit cut it.
    public var limitReached: String?
    /// Whether the horizon cut the play with events still queued.
    public var stoppedAtHorizon: Bool
    /// The recovery store's error that stopped the play, if one did.
    public var storeFailure: RecoveryStoreError?
    /// The indices into `scenario.faults` of the faults that fired.
    public var firedFaults: Set<Int> {
        get { Set(firedFaultList) }
        set { firedFaultList = newValue.sorted() }
    }
    /// The faults that fired, each once: a set is made only for whoever asks (the explorer), as a
    /// play's first `Set<Int>` in a process scanned every protocol conformance for `Int: Hashable`.
    var firedFaultList: [Int] = []
    /// What healing did (liveness mode), as the scenario events that do the same at the same instants.
    public var healed: [EventSpec] = []

    /// Plays `scenario` as the process that `explore --kill` restarted: the killed process's
    /// part is played again in memory up to `point`, where the process dies; then the play goes
    /// on with an engine over the durable store `reopen` opens, the lab's workers replaced, the
    /// engine's restart sweep done and unanswered outside callers calling again. The timeline is
    /// the committed history of both processes.
    public static func playRestarted(_ scenario: Scenario, killedAt point: KillPoint,
                                     reopen: @escaping () throws(RecoveryStoreError) -> Restart) -> WorldPlay {
        let simulation = Player(scenario: scenario, mode: .revive, kill: (point, reopen))
        let transitions = simulation.play().transitions
        return WorldPlay(transitions: transitions, outcome: simulation.outcome, limitReached: simulation.limitReached,
                         stoppedAtHorizon: simulation.stoppedAtHorizon, storeFailure: simulation.world.storeFailure,
                         firedFaultList: simulation.firedFaults, healed: simulation.healed)
    }

    /// Plays `scenario` to its end (empty queue, horizon or a limit) on one thread.
    ///
    /// With `healing`, the right owner answers every request, an operator fixes every alert and
    /// every lost worker returns (the explorer's liveness mode). `store` keeps the engine's state
    /// (default: a fresh store in memory) and `journal` the local fallback's journal (default: in
    /// memory); the timeline is the same whatever keeps them.
    ///
    /// `stress` passes `shared` (the provider's state, the inbox and the cases that other
    /// processes share) and `ids` (an id source no other process draws from).
    public static func play(_ scenario: Scenario, mode: RecoveryMode = .revive, healing: Bool = false,
                            store: RecoveryStore? = nil, journal: FallbackJournal? = nil,
                            shared: SharedPlayWorld? = nil, ids: IdentifierSource? = nil) -> WorldPlay {
        let simulation = Player(scenario: scenario, mode: mode, store: store, journal: journal, shared: shared, ids: ids)
        simulation.healing = healing
        let transitions = simulation.play().transitions
        return WorldPlay(transitions: transitions, outcome: simulation.outcome, limitReached: simulation.limitReached,
                         stoppedAtHorizon: simulation.stoppedAtHorizon, storeFailure: simulation.world.storeFailure,
                         firedFaultList: simulation.firedFaults, healed: simulation.healed)
    }
}

extension WorldPlay {
    /// What `simulation` has produced so far.
    init(_ simulation: Player) {
        self.init(transitions: simulation.timeline.transitions, outcome: simulation.outcome, limitReached: simulation.limitReached,
                  stoppedAtHorizon: simulation.stoppedAtHorizon, storeFailure: simulation.world.storeFailure,
                  firedFaultList: simulation.firedFaults, healed: simulation.healed)
    }
}
