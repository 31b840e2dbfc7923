/// One line of a timeline: who did what, when, with the facts that matter.
///
/// The engine, the simulated provider and the simulated runtime all record `Transition`s; the
/// invariant checker reads nothing else. Fields hold ids and names only, never a secret value.
public struct Transition: Hashable, Sendable {
    /// When it happened.
    public var time: Instant
    /// Who acted: a party of the contract or a worker.
    public var actor: Actor
    /// The transition's name, such as `lease.rotated` (names are a public interface: never renamed).
    public var name: TransitionName
    /// The logical run.
    public var run: String?
    /// The worker involved.
    public var worker: String?
    /// The step (LangGraph node, Temporal activity).
    public var step: String?
    /// The step attempt, counted from 1 across the run's life.
    public var attempt: Int?
    /// The connection.
    public var connection: String?
    /// The lease generation involved.
    public var generation: Int?
    /// The lease id.
    public var lease: String?
    /// The recovery case.
    public var caseID: String?
    /// The action's idempotency key.
    public var key: String?
    /// The failure class.
    public var failureClass: FailureClass?
    /// The recovery capability's id.
    public var capability: String?
    /// A provider subject (pinned or presented).
    public var subject: String?
    /// A provider tenant (pinned or presented).
    public var tenant: String?
    /// The checkpoint id.
    public var checkpoint: String?
    /// An outcome word (`committed`, `absent`, `ok` …).
    public var result: String?
    /// Why, in a word or two (`stale-generation`, `expired` …).
    public var reason: String?
    /// When a capability stops being valid.
    public var expires: Instant?
    /// Further facts for people, in print order.
    public var notes: [Note]

    /// A further fact: a name and a value.
    public struct Note: Hashable, Sendable {
        /// The fact's name.
        public var name: String
        /// The fact's value.
        public var value: String
        /// Makes a fact.
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Makes a transition with only the required parts; set the facts afterwards.
    public init(time: Instant, actor: Actor, name: TransitionName) {
        self.time = time
        self.actor = actor
        self.name = name
        self.notes = []
    }

    /// Every printable value this transition holds, for custody scans.
    public var allValues: [String] {
        var values: [String] = [actor.rawValue, name.rawValue]
        for value in [run, worker, step, connection, lease, caseID, key, failureClass?.rawValue, capability, subject, tenant,
                      checkpoint, result, reason] {
            if let value { values.append(value) }
        }
        for note in notes { values.append(note.value) }
        return values
    }
}

/// Where the engine records its transitions.
public protocol TransitionRecorder: AnyObject {
    /// Appends one transition to the timeline.
    func record(_ transition: Transition)
}
