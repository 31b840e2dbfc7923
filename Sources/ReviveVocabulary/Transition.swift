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
    /// The action's idempotency key.
    public var key: String?
    /// The failure class.
    public var failureClass: FailureClass?
    /// The checkpoint id.
    public var checkpoint: String?
    /// Facts most transitions do not carry, in one shared box, copied only when written
    /// (copy-on-write): a play and its check copy every transition many times, and each string
    /// held inline is one more retain per copy.
    private var rare: RareFacts?

    /// The recovery case.
    public var caseID: String? {
        get { rare?.caseID }
        set { if newValue != nil || rare != nil { rareFacts().caseID = newValue; dropEmptyRare() } }
    }
    /// The recovery capability's id.
    public var capability: String? {
        get { rare?.capability }
        set { if newValue != nil || rare != nil { rareFacts().capability = newValue; dropEmptyRare() } }
    }
    /// A provider subject (pinned or presented).
    public var subject: String? {
        get { rare?.subject }
        set { if newValue != nil || rare != nil { rareFacts().subject = newValue; dropEmptyRare() } }
    }
    /// A provider tenant (pinned or presented).
    public var tenant: String? {
        get { rare?.tenant }
        set { if newValue != nil || rare != nil { rareFacts().tenant = newValue; dropEmptyRare() } }
    }
    /// An outcome word (`committed`, `absent`, `ok` …).
    public var result: String? {
        get { rare?.result }
        set { if newValue != nil || rare != nil { rareFacts().result = newValue; dropEmptyRare() } }
    }
    /// Why, in a word or two (`stale-generation`, `expired` …).
    public var reason: String? {
        get { rare?.reason }
        set { if newValue != nil || rare != nil { rareFacts().reason = newValue; dropEmptyRare() } }
    }
    /// When a capability stops being valid.
    public var expires: Instant? {
        get { rare?.expires }
        set { if newValue != nil || rare != nil { rareFacts().expires = newValue; dropEmptyRare() } }
    }

    /// An emptied box goes: a transition without rare facts has none, so equal transitions stay equal.
    private mutating func dropEmptyRare() {
        if let box = rare, box.isEmpty { rare = nil }
    }

    /// The box, made unique before a write.
    private mutating func rareFacts() -> RareFacts {
        if rare == nil {
            rare = RareFacts()
        } else if !isKnownUniquelyReferenced(&rare!) {
            rare = rare!.copy()
        }
        return rare!
    }

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

/// The facts of a `Transition` that most transitions leave out, boxed (see `Transition.rare`).
/// Compared and hashed by value, and never written while shared, so it is safe to send.
final class RareFacts: Hashable, @unchecked Sendable {
    var caseID: String?
    var capability: String?
    var subject: String?
    var tenant: String?
    var result: String?
    var reason: String?
    var expires: Instant?

    init() {}

    var isEmpty: Bool {
        caseID == nil && capability == nil && subject == nil && tenant == nil && result == nil && reason == nil && expires == nil
    }

    func copy() -> RareFacts {
        let copy = RareFacts()
        (copy.caseID, copy.capability, copy.subject, copy.tenant) = (caseID, capability, subject, tenant)
        (copy.result, copy.reason, copy.expires) = (result, reason, expires)
        return copy
    }

    static func == (a: RareFacts, b: RareFacts) -> Bool {
        a.caseID == b.caseID && a.capability == b.capability && a.subject == b.subject && a.tenant == b.tenant
            && a.result == b.result && a.reason == b.reason && a.expires == b.expires
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(caseID)
        hasher.combine(capability)
        hasher.combine(subject)
        hasher.combine(tenant)
        hasher.combine(result)
        hasher.combine(reason)
        hasher.combine(expires)
    }
}
