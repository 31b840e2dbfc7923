import Foundation
import Revive
import ReviveStore
import ReviveVocabulary
import Testing

/// The local fallback's journal in its own SQLite file, and a replica read back out of a store
/// file: what a process needs to take over a store and a journal another process left.
@Suite struct FallbackJournalTests {
    let folder = TemporaryFolder()
    static let key = IdempotencyKey(run: RunID("run_7f2"), action: ActionKey("send-briefing"))

    /// One write of every kind, the case, capability and ledger entry as an engine wrote them.
    func everyKindOfWrite() throws -> [StoreWrite] {
        let path = folder.file("source.db")
        let request = try SQLiteStoreTests().parkOnRevokedGrant(path)
        let store = SQLiteRecoveryStore.resume(play: 1, in: try SQLiteStoreFile(path: path))
        let (parked, capability, entry) = try store.transaction { (tx) throws(RecoveryStoreError) in
            (try tx.openCases().first, try tx.capability(request.capabilityID), try tx.ledgerEntry(FallbackJournalTests.key))
        }
        let (at, second) = (Instant(milliseconds: 1_500), try #require(LeaseGeneration(recorded: 2)))
        let lease = LeaseRecord(lease: Lease(id: LeaseID("lease-9"), connection: Fixture.mail.id, generation: second,
                                             holder: WorkerID("worker-b"), run: RunID("run_7f2"), issuedAt: at), revoked: true)
        var line = Transition(time: at, actor: .revive, name: .storeUnavailable)
        line.reason = "unavailable"
        line.notes = [.init("journal", "1")]
        return [.saveConnection(Fixture.mail), .setGeneration(second, of: Fixture.mail.id), .setDeadGeneration(.first, of: Fixture.mail.id),
                .saveLease(lease), .deleteLeases(of: Fixture.mail.id, olderThan: second), .deleteLeasesIssued(before: at),
                .setLastLoss(at, of: WorkerID("worker-a")), .deleteLosses(before: at), .saveCase(try #require(parked)),
                .deleteCases(closedBefore: at), .saveCapability(try #require(capability)), .saveLedgerEntry(try #require(entry)),
                .deleteSettledEntries(changedBefore: at),
                .saveRefreshMark(RefreshMark(run: RunID("run_7f2"), action: ActionKey("send-briefing"), attempt: 2, markedAt: at)),
                .deleteRefreshMarks(before: at), .record(line)]
    }

    @Test func journalEntriesSurviveReopeningTheFile() throws {
        let path = SQLiteFallbackJournal.path(besideStore: folder.file())
        let writes = try everyKindOfWrite()
        let journal = try SQLiteFallbackJournal(path: path, play: 1)
        try journal.append(JournalEntry(number: 1, writes: Array(writes.prefix(8))))
        try journal.append(JournalEntry(number: 2, writes: Array(writes.dropFirst(8))))
        try SQLiteFallbackJournal(path: path, play: 2).append(JournalEntry(number: 1, writes: [writes[0]]))
        // A new process: nothing but the file.
        let reopened = try SQLiteFallbackJournal(path: path, play: 1)
        #expect(reopened.entries == [JournalEntry(number: 1, writes: Array(writes.prefix(8))),
                                     JournalEntry(number: 2, writes: Array(writes.dropFirst(8)))])
        #expect(reopened.lastNumber == 2)
        #expect(try SQLiteFallbackJournal(path: path, play: 2).entries.count == 1, "each play keeps its own journal")
        #expect(try SQLiteFallbackJournal(path: path, play: 3).entries.isEmpty)
    }

    @Test func aDrainedEntryIsGoneFromTheFileAndNumbersGoOn() throws {
        let path = SQLiteFallbackJournal.path(besideStore: folder.file())
        let journal = try SQLiteFallbackJournal(path: path, play: 1)
        for number in 1...3 { try journal.append(JournalEntry(number: number, writes: [.deleteLosses(before: Instant(milliseconds: Int64(number)))])) }
        try journal.drained(through: 2)
        #expect(journal.entries.map(\.number) == [3])
        #expect(try SQLiteFallbackJournal(path: path, play: 1).entries.map(\.number) == [3])
        try journal.drained(through: 3)
        let reopened = try SQLiteFallbackJournal(path: path, play: 1)
        #expect(reopened.entries.isEmpty)
        #expect(reopened.lastNumber == 3)
        #expect(LocalFallback(replica: InMemoryRecoveryStore(), journal: reopened).nextNumber == 4, "journal=N names one decision for good")
    }

    @Test func aDamagedEntryIsCorruptNotEmpty() throws {
        let path = SQLiteFallbackJournal.path(besideStore: folder.file())
        try SQLiteFallbackJournal(path: path, play: 1).append(JournalEntry(number: 1, writes: [.deleteLosses(before: .zero)]))
        try Fixture.tamper(path, "UPDATE entries SET body = '[]'")
        #expect(throws: RecoveryStoreError.self) { try SQLiteFallbackJournal(path: path, play: 1) }
    }

    @Test func theReplicaReadFromAStoreFileHoldsWhatTheEngineWrote() throws {
        let path = folder.file()
        let file = try SQLiteStoreFile(path: path)
        let store = try file.beginPlay(scenario: "revoked-grant", seed: 1, mode: "revive")
        let recorder = Recorder()
        // The fallback's replica is the engine's own copy of every decision it committed.
        let fallback = LocalFallback()
        let engine = RecoveryEngine(store: store, ids: Counter(), broker: QuietBroker(), recorder: recorder, fallback: fallback)
        try engine.register(Fixture.mail)
        guard case .call(let ticket) = try engine.beginAction(Fixture.request(), at: .zero) else { throw CancellationError() }
        _ = try engine.clearForSend(ticket, at: .zero)
        guard case .parked(_, let request) = try engine.finishAction(ticket, .failed(Fixture.revoked), at: Instant(milliseconds: 100)) else {
            throw CancellationError()
        }
        _ = try engine.workerLost(WorkerID("worker-b"), at: Instant(milliseconds: 200))
        _ = try engine.presentReconnect(capabilityValue: request.capabilityValue,
                                        grant: PendingGrant(id: "g2", connection: Fixture.mail.id, identity: Fixture.pinned),
                                        at: Instant(milliseconds: 600_000))
        let replica = try SQLiteStoreFile(path: path).replica(of: store.play)
        let wrote = try StoreReads.of(fallback.replica, naming: recorder.transitions)
        #expect(wrote.found >= 4, "the comparison reads real records")
        #expect(try StoreReads.of(replica, naming: recorder.transitions) == wrote)
        #expect(try StoreReads.of(store, naming: recorder.transitions) == wrote)
    }
}
