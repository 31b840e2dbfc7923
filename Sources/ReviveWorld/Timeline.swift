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
    /// The player, told of each transition before it is appended (it fires `on` events), held
    /// unretained and lent without a retain: the player clears it when it goes (`Player.deinit`).
    /// A closure here (over an unowned player) cost two retains and two releases a transition,
    /// the closure's context and the player, in every play that watches its timeline.
    @exclusivity(unchecked) var observer: Unmanaged<Player>?
    /// While the lab's process is dead (`explore --kill`, between the kill and the restart),
    /// nothing it would still do is history: what its code goes on doing is not recorded.
    @exclusivity(unchecked) var muted = false

    /// An empty timeline, with room for a typical play's transitions: growing from empty moved
    /// the whole timeline six times in every play (a catalogue play records about thirty).
    public init() { transitions.reserveCapacity(Timeline.initialCapacity) }

    /// Room for the transitions of most catalogue plays before the array first grows. A power of
    /// two, so that a long run's timeline grows to the same capacity as from empty (48 doubled
    /// past 240,000 transitions reserved a third more than that).
    static let initialCapacity = 64

    /// A timeline holding transitions recorded elsewhere.
    public init(_ transitions: [Transition]) { self.transitions = transitions }

    /// Hands the transition to the observer, then appends it: the append is its last use, so it
    /// moves the transition in (appending first copied it for the observer, on every line of
    /// every play). The observer only schedules events, never reads `transitions` or records, so
    /// the order between the two changes nothing it sees.
    public func record(_ transition: consuming Transition) {
        guard !muted else { return }
        if let observer { observer._withUnsafeGuaranteedRef { $0.observe(transition) } }
        transitions.append(transition)
    }
}

/// Runs `body` on `transition`. The world's builders write a transition through this and then
/// hand it over with `record(consume t)`, which moves it into the timeline: this compiler
/// refuses `consume` of a variable whose fields were assigned directly, and accepts it once every
/// write goes through an `inout` call. Passed as a plain variable the transition was copied (a
/// retain per string it holds); swapped out for a bare placeholder (the way before), the
/// placeholder was made and destroyed on every line, some 180 instructions a line (1,306 lines of
/// a cold `run`); built by a closure that returns it, it was copied out again once the builder
/// was inlined (measured).
@inline(__always)
func writing(_ transition: inout Transition, _ body: (inout Transition) -> Void) { body(&transition) }
