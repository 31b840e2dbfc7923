import Revive
import ReviveVocabulary

/// The record of every transition of one scenario play, in order.
public final class Timeline: TransitionRecorder {
    // The world's objects (this one, the player, the wiring, the runtime) belong to one play on
    // one thread, and none of their properties is accessed while another access to it is open:
    // their properties are `@exclusivity(unchecked)`, because the runtime's exclusivity checks on
    // every access were some 6% of the explorer's instructions (callgrind, `bench --only fuzz`).
    /// The transitions so far.
    @exclusivity(unchecked) public private(set) var transitions: [Transition] = []
    /// Called after each transition is appended (the player uses it to fire `on` events).
    @exclusivity(unchecked) var observer: ((Transition) -> Void)?
    /// While the lab's process is dead (`explore --kill`, between the kill and the restart),
    /// nothing it would still do is history: what its code goes on doing is not recorded.
    @exclusivity(unchecked) var muted = false

    /// An empty timeline.
    public init() {}

    /// A timeline holding transitions recorded elsewhere.
    public init(_ transitions: [Transition]) { self.transitions = transitions }

    /// Hands the transition to the observer, then appends it: the append is its last use, so it
    /// moves the transition in (appending first copied it for the observer, on every line of
    /// every play). The observer only schedules events, never reads `transitions` or records, so
    /// the order between the two changes nothing it sees.
    public func record(_ transition: consuming Transition) {
        guard !muted else { return }
        observer?(transition)
        transitions.append(transition)
    }
}
