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
    /// The connection.
    public var connection: String?
    /// The lease id.
    public var lease: String?
    /// The action's idempotency key.
    public var key: String?
    /// The checkpoint id.
    public var checkpoint: String?
    /// The attempt (low half) and the generation (high half), each 0 for none, the value plus 1,
    /// or all ones when the value does not fit and waits in the rare box (see `Counts`). Two
    /// `Int?` took 16 bytes each: a long run holds 240,000 transitions, and every play copies them.
    @usableFromInline var counts: UInt64 = 0
    /// Facts most transitions do not carry, in one shared box, copied only when written
    /// (copy-on-write): a play and its check copy every transition many times, and each string
    /// held inline is one more retain per copy.
    /// Internal, and read by inlinable getters: a getter called across modules made every
    /// checker loop copy the whole transition (a retain per string field) to lend it.
    @usableFromInline var rare: RareFacts?

    /// The recovery case.
    public var caseID: String? {
        @inlinable get { rare?.caseID }
        set { if let newValue { rareFacts().caseID = newValue } else if rare != nil { clearRare(\.caseID) } }
    }
    /// The recovery capability's id.
    public var capability: String? {
        @inlinable get { rare?.capability }
        set { if let newValue { rareFacts().capability = newValue } else if rare != nil { clearRare(\.capability) } }
    }
    /// A provider subject (pinned or presented).
    public var subject: String? {
        @inlinable get { rare?.subject }
        set { if let newValue { rareFacts().subject = newValue } else if rare != nil { clearRare(\.subject) } }
    }
    /// A provider tenant (pinned or presented).
    public var tenant: String? {
        @inlinable get { rare?.tenant }
        set { if let newValue { rareFacts().tenant = newValue } else if rare != nil { clearRare(\.tenant) } }
    }
    /// An outcome word (`committed`, `absent`, `ok` …).
    public var result: String? {
        @inlinable get { rare?.result }
        set { if let newValue { rareFacts().result = newValue } else if rare != nil { clearRare(\.result) } }
    }
    /// Why, in a word or two (`stale-generation`, `expired` …).
    public var reason: String? {
        @inlinable get { rare?.reason }
        set { if let newValue { rareFacts().reason = newValue } else if rare != nil { clearRare(\.reason) } }
    }
    /// When a capability stops being valid.
    public var expires: Instant? {
        @inlinable get { rare?.expires }
        set { if let newValue { rareFacts().expires = newValue } else if rare != nil { clearRare(\.expires) } }
    }

    /// An emptied box goes: a transition without rare facts has none, so equal transitions stay equal.
    private mutating func dropEmptyRare() {
        if let box = rare, box.isEmpty { rare = nil }
    }

    /// Clears one rare fact, and the box with it once it holds none. Only a clearing can empty the
    /// box: a setter of a value writes it alone, where each one also checked all nine facts for
    /// an empty box, on every fact set on every line that carries one.
    private mutating func clearRare<Value>(_ fact: ReferenceWritableKeyPath<RareFacts, Value?>) {
        guard rare![keyPath: fact] != nil else { return }
        rareFacts()[keyPath: fact] = nil
        dropEmptyRare()
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
    /// The failure class (last: it fits in the bytes that round the record up).
    public var failureClass: FailureClass?

    /// The step attempt, counted from 1 across the run's life.
    public var attempt: Int? {
        @inlinable get { Counts.value(UInt32(truncatingIfNeeded: counts)) { rare?.wideAttempt } }
        @inlinable set {
            // Inline when it fits and no boxed value is to be cleared: the emitters set it on most lines.
            let half = Counts.half(newValue)
            let stored = half != Counts.boxed && rare?.wideAttempt == nil ? half : storeWide(newValue, \.wideAttempt)
            counts = (counts & 0xFFFF_FFFF_0000_0000) | UInt64(stored)
        }
    }
    /// The lease generation involved.
    public var generation: Int? {
        @inlinable get { Counts.value(UInt32(truncatingIfNeeded: counts >> 32)) { rare?.wideGeneration } }
        // Always inlined: left to the optimizer, the engine's emitters called it (on most lines
        // they write) for a check and a shift.
        @inline(__always) @inlinable set {
            let half = Counts.half(newValue)
            let stored = half != Counts.boxed && rare?.wideGeneration == nil ? half : storeWide(newValue, \.wideGeneration)
            counts = (counts & 0xFFFF_FFFF) | UInt64(stored) << 32
        }
    }

    /// The half that stands for `value`, keeping a value that does not fit in the rare box.
    @usableFromInline mutating func storeWide(_ value: Int?, _ wide: ReferenceWritableKeyPath<RareFacts, Int?>) -> UInt32 {
        let half = Counts.half(value)
        let boxed = half == Counts.boxed ? value : nil
        if boxed != nil || (rare != nil && rare![keyPath: wide] != nil) {
            rareFacts()[keyPath: wide] = boxed
            dropEmptyRare()
        }
        return half
    }

    /// Appends `more` to the notes. A line without notes takes the array itself (shared, not
    /// copied), and an empty one costs nothing: `notes += …` ran the array's general append on
    /// every line the runtime records, most often to add nothing.
    @inlinable
    public mutating func addNotes(_ more: [Note]) {
        if notes.isEmpty {
            notes = more
        } else if !more.isEmpty {
            notes += more
        }
    }

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
    /// Inlinable: called across modules, the new transition came back through memory and each
    /// first write of a fact destroyed the nil it replaced through the generic `Optional`
    /// witnesses (its metadata looked up each time), several a line on every line of every play.
    @inlinable
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

/// How a transition's attempt and generation fit in half a word each.
@usableFromInline enum Counts {
    /// The half of a value kept in the rare box instead.
    @usableFromInline static let boxed = UInt32.max

    /// The half for `value`: 0 for none, the value plus 1 when it fits, else `boxed`.
    @inlinable static func half(_ value: Int?) -> UInt32 {
        guard let value else { return 0 }
        return value >= 0 && value < Int(boxed) - 1 ? UInt32(value + 1) : boxed
    }

    /// The value a half stands for; `wide` reads the boxed one.
    @inlinable static func value(_ half: UInt32, _ wide: () -> Int?) -> Int? {
        if half == 0 { return nil }
        return half == boxed ? wide() : Int(half) - 1
    }
}

/// Where the engine records its transitions.
public protocol TransitionRecorder: AnyObject {
    /// Appends one transition to the timeline. Consuming: the engine and the world build each
    /// transition for the recorder alone, so it is moved in rather than copied (a copy retained,
    /// and later released, every string it holds, on every line of every play).
    func record(_ transition: consuming Transition)
}

/// The facts of a `Transition` that most transitions leave out, boxed (see `Transition.rare`).
/// Compared and hashed by value, and never written while shared, so it is safe to send.
@usableFromInline final class RareFacts: Hashable, @unchecked Sendable {
    // Unchecked: a box is written only while uniquely referenced (`Transition.rareFacts()`), so
    // no access overlaps another; the checker reads these on every line of every play.
    @exclusivity(unchecked) @usableFromInline var caseID: String?
    @exclusivity(unchecked) @usableFromInline var capability: String?
    @exclusivity(unchecked) @usableFromInline var subject: String?
    @exclusivity(unchecked) @usableFromInline var tenant: String?
    @exclusivity(unchecked) @usableFromInline var result: String?
    @exclusivity(unchecked) @usableFromInline var reason: String?
    @exclusivity(unchecked) @usableFromInline var expires: Instant?
    /// An attempt or a generation too large (or negative) for its half of `Transition.counts`.
    @exclusivity(unchecked) @usableFromInline var wideAttempt: Int?
    @exclusivity(unchecked) @usableFromInline var wideGeneration: Int?

    init() {}

    var isEmpty: Bool {
        caseID == nil && capability == nil && subject == nil && tenant == nil && result == nil && reason == nil && expires == nil
            && wideAttempt == nil && wideGeneration == nil
    }

    func copy() -> RareFacts {
        let copy = RareFacts()
        (copy.caseID, copy.capability, copy.subject, copy.tenant) = (caseID, capability, subject, tenant)
        (copy.result, copy.reason, copy.expires) = (result, reason, expires)
        (copy.wideAttempt, copy.wideGeneration) = (wideAttempt, wideGeneration)
        return copy
    }

    @usableFromInline static func == (a: RareFacts, b: RareFacts) -> Bool {
        a.caseID == b.caseID && a.capability == b.capability && a.subject == b.subject && a.tenant == b.tenant
            && a.result == b.result && a.reason == b.reason && a.expires == b.expires
            && a.wideAttempt == b.wideAttempt && a.wideGeneration == b.wideGeneration
    }

    @usableFromInline func hash(into hasher: inout Hasher) {
        hasher.combine(caseID)
        hasher.combine(capability)
        hasher.combine(subject)
        hasher.combine(tenant)
        hasher.combine(result)
        hasher.combine(reason)
        hasher.combine(expires)
        hasher.combine(wideAttempt)
        hasher.combine(wideGeneration)
    }
}
