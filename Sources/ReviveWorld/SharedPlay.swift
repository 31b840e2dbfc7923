import Revive
import ReviveVocabulary

/// A `stress` play that can go on after it ended: one whose run ended parked on a case that
/// another process may still resolve. Its worker keeps it until every run of the stress play has
/// ended, and resumes it if its case was resolved meanwhile (a run parked on a resolved case was
/// never resumed: a breach).
public final class SharedPlay {
    let player: Player

    /// A play of `scenario` whose engine keeps its state in `store`, shares `shared` with other
    /// processes and draws its ids from `ids`.
    public init(_ scenario: Scenario, store: RecoveryStore, shared: SharedPlayWorld, ids: IdentifierSource) {
        player = Player(scenario: scenario, mode: .revive, store: store, shared: shared, ids: ids)
    }

    /// Plays the scenario to its end, as `WorldPlay.play` does.
    public func play() -> WorldPlay {
        _ = player.play()
        return WorldPlay(player)
    }

    /// The case the run ended parked on (nil: it is not parked on a case).
    public var parkedOn: CaseID? {
        if case .parked(let caseID) = player.runtime.runState { return caseID }
        return nil
    }

    /// If the run is parked on a case the shared world says was resolved, resumes it and plays
    /// on to the end; the whole play so far, or nil when nothing moved.
    public func resumeIfResolved() -> WorldPlay? {
        let before = player.timeline.transitions.count
        _ = player.playOn()
        return player.timeline.transitions.count > before ? WorldPlay(player) : nil
    }
}
