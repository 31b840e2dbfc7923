import Testing
import Revive
import ReviveVocabulary

/// A shared store behind a switch: while it is down every transaction is `.unavailable`.
final class SwitchableStore: RecoveryStore {
    let inner = InMemoryRecoveryStore()
    var down = false

    func transaction<T>(_ body: (RecoveryStoreTransaction) throws(RecoveryStoreError) -> T) throws(RecoveryStoreError) -> T {
        if down { throw RecoveryStoreError.unavailable("the test switched the store off") }
        return try inner.transaction(body)
    }

    func ledgerEntry(_ key: IdempotencyKey) throws(RecoveryStoreError) -> LedgerEntry? {
        try inner.transaction { (tx) throws(RecoveryStoreError) in try tx.ledgerEntry(key) }
    }

    func capability(_ id: CapabilityID) throws(RecoveryStoreError) -> CapabilityRecord? {
        try inner.transaction { (tx) throws(RecoveryStoreError) in try tx.capability(id) }
    }
}

/// The engine's local fallback through its public API: decisions journaled while the shared store
/// is away, drained in order before the next decision, and the decisions that must wait for it.
@Suite("RecoveryEngine with a LocalFallback")
struct LocalFallbackTests {
    let shared = SwitchableStore()
    let timeline = TimelineRecorder()
    let broker = RecordingBroker()
    let fallback = LocalFallback()
    let engine: RecoveryEngine
    static let key = IdempotencyKey(run: RunID("run-1"), action: ActionKey("post-summary"))

    init() throws {
        engine = RecoveryEngine(store: shared, ids: CountingIdentifiers(), broker: broker, recorder: timeline, fallback: fallback)
        try engine.register(EngineHarness.slack)
    }

    func journal(of name: String) -> String? {
        timeline.named(name).last?.notes.first(where: { $0.name == "journal" })?.value
    }

    /// Begins, sends and finishes the mutating action with `outcome`.
    func act(_ outcome: ActionOutcome, at time: Instant) throws -> ActionVerdict {
        guard case .call(let ticket) = try engine.beginAction(EngineTransactionTests.request(), at: time) else {
            Issue.record("the action did not start")
            return .completed
        }
        #expect(try engine.clearForSend(ticket, at: time) == .allowed)
        return try engine.finishAction(ticket, outcome, at: time)
    }

    @Test("While the store is away the engine decides on its replica and journals; the next decision drains first")
    func journalsThenDrains() throws {
        shared.down = true
        #expect(try act(.succeeded, at: clock(1)) == .completed)
        #expect(timeline.names.suffix(4) == ["store.unavailable", "lease.issued", "action.intended", "action.committed"])
        #expect(journal(of: "action.committed") != nil)
        #expect(try shared.ledgerEntry(LocalFallbackTests.key) == nil, "nothing reached the shared store yet")
        #expect(fallback.isJournaling)

        shared.down = false
        let mark = timeline.transitions.count
        #expect(try engine.ledgerEntry(LocalFallbackTests.key)?.state == .committed, "a read answers from the replica meanwhile")
        _ = try engine.closeCase(CaseID("case-none"), resumedOn: WorkerID("worker-a"), at: clock(2))
        #expect(timeline.names(since: mark) == ["store.drained"])
        let drained = try #require(timeline.named("store.drained").first)
        #expect(drained.notes.map(\.name) == ["journal", "decisions", "transitions"])
        #expect(try shared.ledgerEntry(LocalFallbackTests.key)?.state == .committed)
        #expect(!fallback.isJournaling)
    }

    @Test("A reconnect waits for the shared store: store.waiting, nothing consumed or installed; verified once it is back")
    func reconnectWaits() throws {
        guard case .parked(_, let request) = try act(.failed(EngineHarness.tokenRevoked), at: clock(1)) else {
            Issue.record("the dead grant did not park the run")
            return
        }
        shared.down = true
        let grant = PendingGrant(id: "grant-1", connection: EngineHarness.slack.id, identity: EngineHarness.pinned)
        let error = #expect(throws: RecoveryStoreError.self) {
            try engine.presentReconnect(capabilityValue: request.capabilityValue, grant: grant, at: clock(1, 10))
        }
        #expect(error?.code == .unavailable)
        let waiting = try #require(timeline.named("store.waiting").first)
        #expect(waiting.reason == "consume-capability" && waiting.capability == request.capabilityID.rawValue)
        #expect(timeline.named("reconnect.verified").isEmpty && timeline.named("lease.rotated").isEmpty)
        #expect(broker.installs.isEmpty)
        #expect(try shared.capability(request.capabilityID)?.consumedAt == nil)

        shared.down = false
        let outcome = try engine.presentReconnect(capabilityValue: request.capabilityValue, grant: grant, at: clock(1, 20))
        guard case .verified = outcome else {
            Issue.record("the reconnect was not verified: \(outcome)")
            return
        }
        let names = timeline.names
        let drained = try #require(names.firstIndex(of: "store.drained"))
        #expect(drained < (names.firstIndex(of: "reconnect.verified") ?? -1))
        #expect(try shared.capability(request.capabilityID)?.consumedAt == clock(1, 20))
    }

    @Test("A drain while the store is still away throws .unavailable and keeps the journal whole")
    func drainWhileAway() throws {
        shared.down = true
        _ = try act(.succeeded, at: clock(1))
        let pending = fallback.pending
        #expect(throws: RecoveryStoreError.self) { try engine.drainJournal(at: clock(2)) }
        #expect(fallback.pending == pending)
        shared.down = false
        #expect(try engine.drainJournal(at: clock(3)) == pending.count)
        #expect(try engine.drainJournal(at: clock(4)) == 0)
    }

    @Test("A process that takes over forgets a drain the store's decision log shows committed")
    func forgetsACommittedDrain() throws {
        shared.down = true
        _ = try act(.succeeded, at: clock(1))
        let last = try #require(fallback.pending.last?.number)
        let taken = LocalFallback(journal: fallback.pending, nextNumber: fallback.nextNumber)
        var drained = Transition(time: clock(2), actor: .revive, name: .storeDrained)
        drained.notes = [.init("journal", "1-\(last)")]
        try taken.forgetDrained(recordedIn: [drained])
        #expect(!taken.isJournaling)
        #expect(taken.nextNumber == last + 1)
    }
}
