import Revive
import ReviveVocabulary

/// The record of every transition of one scenario play, in order.
public final class Timeline: TransitionRecorder {
    /// The transitions so far.
    public private(set) var transitions: [Transition] = []
    /// Called after each transition is appended (the player uses it to fire `on` events).
    var observer: ((Transition) -> Void)?
    /// While the lab's process is dead (`explore --kill`, between the kill and the restart),
    /// nothing it would still do is history: what its code goes on doing is not recorded.
    var muted = false

    /// An empty timeline.
    public init() {}

    /// A timeline holding transitions recorded elsewhere.
    public init(_ transitions: [Transition]) { self.transitions = transitions }

    public func record(_ transition: Transition) {
        guard !muted else { return }
        transitions.append(transition)
        observer?(transition)
    }
}
