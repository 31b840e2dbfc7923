import Revive
import ReviveVocabulary

/// One attempt of one step on one worker.
///
/// Seven stored words: the numbers two to a word (`Halves`), the flags in a byte. An attempt is
/// copied out of the runtime's table at every phase, through its type's value witnesses, which
/// copy and destroy it field by field: with fifteen stored fields (three counters, two optional
/// call numbers, three flags …) its copies cost 174 K instructions of a cold `run` and its
/// destroys 255 K; in seven words, 93 K and 138 K.
struct Attempt {
    /// The call's lease, once the action has begun.
    var lease: Lease? { facts.ticket?.lease }
    /// The ledger's key for a mutating call (nil for reads).
    var key: IdempotencyKey? { facts.ticket?.ledgerKey }

    /// The attempt's number in the runtime's books.
    var id: Int { ids.low }
    /// The step attempted.
    var stepIndex: Int { ids.high }
    /// The step's attempt number, counted from 1 across the run's life.
    var number: Int { counts.low }
    /// The worker making the attempt.
    var worker: WorkerID { facts.worker }
    /// The engine's ticket for the step's provider call (nil for a step without a connection).
    var ticket: ActionTicket? {
        get { facts.ticket }
        set { facts = AttemptFacts(worker: facts.worker, ticket: newValue, activityTimeout: facts.activityTimeout, prefixLease: facts.prefixLease) }
    }
    /// The ticket's box (nil when there is no ticket): read `ticket!` in it to lend the ticket to
    /// the engine without copying its eleven strings out.
    var ticketBox: AttemptFacts? { facts.ticket == nil ? nil : facts }
    /// Everything in the attempt that is not a number, boxed: the worker, the ticket and the rare
    /// facts. An attempt is copied in and out of the runtime's table at every phase; with the
    /// worker's name and two boxes inline, each copy and destroy went through the type's generic
    /// value witnesses (three retains or releases each, some 10 M instructions a catalogue and
    /// 140 M an exploration). With one box a copy is a move of plain words and one retain. The box
    /// is never written, so copies still share nothing that changes.
    private(set) var facts: AttemptFacts
    /// `id` and `stepIndex`.
    private let ids: Halves
    /// `number` and `runtimeAttempt`.
    private var counts: Halves
    /// `immediateRetries` and `activityID`.
    private var more = Halves(0, 0)
    /// `awaitingCall` and `replayCall`, each `Halves.none` for nil.
    private var calls = Halves(Halves.none, Halves.none)
    /// `skipCall`, `replaysPrefix` and `afterInterrupt`, one bit each.
    private var flags: UInt8 = 0
    /// When the attempt began (Temporal's start-to-close runs from here).
    var startedAt = Instant.zero

    /// The effect is already known to have happened: no call is made.
    var skipCall: Bool {
        get { flag(1) }
        set { setFlag(1, newValue) }
    }
    /// The call the worker is waiting on (nil when none is out, or the caller stopped waiting).
    var awaitingCall: Int? {
        get { Halves.optional(calls.low) }
        set { calls.low = Halves.stored(newValue) }
    }
    /// Retries made at once, without the retry policy's wait.
    var immediateRetries: Int {
        get { more.low }
        set { more.low = newValue }
    }
    /// The runtime's own attempt number: LangGraph counts per invocation of the node (a resume
    /// starts again at 1), Temporal per activity (a resend after the signal is a new activity).
    var runtimeAttempt: Int {
        get { counts.high }
        set { counts.high = newValue }
    }
    /// The Temporal activity this attempt belongs to (each new invocation is a new activity id).
    var activityID: Int {
        get { more.high }
        set { more.high = newValue }
    }
    /// (format 2, Temporal) which timeout ends the attempt if its worker stays frozen.
    var activityTimeout: String? {
        get { facts.activityTimeout }
        set { facts = AttemptFacts(worker: facts.worker, ticket: facts.ticket, activityTimeout: newValue, prefixLease: facts.prefixLease) }
    }
    /// (format 2, LangGraph) the node was resumed by `Command(resume)` and re-runs from its start:
    /// its first call replays the prefix it ran before `interrupt()`.
    var replaysPrefix: Bool {
        get { flag(2) }
        set { setFlag(2, newValue) }
    }
    /// (format 2, LangGraph, without Revive) the credential the node held when it called
    /// `interrupt()`: its replayed prefix calls with it, not with the reconnected grant.
    var prefixLease: Lease? {
        get { facts.prefixLease }
        set { facts = AttemptFacts(worker: facts.worker, ticket: facts.ticket, activityTimeout: facts.activityTimeout, prefixLease: newValue) }
    }
    /// The replayed call the worker waits on, while one is out.
    var replayCall: Int? {
        get { Halves.optional(calls.high) }
        set { calls.high = Halves.stored(newValue) }
    }
    /// The replayed prefix failed and `interrupt()` returned the resume value: the call that follows uses it.
    var afterInterrupt: Bool {
        get { flag(4) }
        set { setFlag(4, newValue) }
    }

    /// A fresh attempt on `facts`'s worker (a box with no ticket, which attempts may share).
    init(id: Int, stepIndex: Int, number: Int, facts: AttemptFacts) {
        ids = Halves(id, stepIndex)
        counts = Halves(number, 0)
        self.facts = facts
    }

    /// A fresh attempt on `worker`.
    init(id: Int, stepIndex: Int, number: Int, worker: WorkerID) {
        self.init(id: id, stepIndex: stepIndex, number: number, facts: AttemptFacts(worker: worker))
    }

    private func flag(_ bit: UInt8) -> Bool { flags & bit != 0 }

    private mutating func setFlag(_ bit: UInt8, _ on: Bool) { flags = on ? flags | bit : flags & ~bit }
}

/// Two numbers in one word, each as an `Int32`. An attempt's counters and call numbers count the
/// calls and attempts of one play, which stops at 250,000 transitions: they stay far below
/// `Int32.max` (a number that did not fit would stop the play at the conversion, never wrap).
struct Halves {
    /// The half that stands for nil in an optional number.
    static let none = Int(Int32.min)

    private var bits: UInt64 = 0

    init(_ low: Int, _ high: Int) {
        self.low = low
        self.high = high
    }

    /// The first number.
    var low: Int {
        get { Int(Int32(truncatingIfNeeded: bits)) }
        set { bits = (bits & 0xFFFF_FFFF_0000_0000) | UInt64(UInt32(bitPattern: Int32(newValue))) }
    }

    /// The second number.
    var high: Int {
        get { Int(Int32(truncatingIfNeeded: bits >> 32)) }
        set { bits = (bits & 0xFFFF_FFFF) | UInt64(UInt32(bitPattern: Int32(newValue))) << 32 }
    }

    /// The optional number a half stands for.
    static func optional(_ half: Int) -> Int? { half == none ? nil : half }

    /// The half for an optional number (`none` itself is no number an attempt holds).
    static func stored(_ value: Int?) -> Int {
        guard let value else { return none }
        precondition(value != none, "an attempt's call number must not be Int32.min")
        return value
    }
}
