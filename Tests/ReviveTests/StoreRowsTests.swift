import Testing
@testable import Revive
import ReviveVocabulary

/// The in-memory store's tables and their one undo log: a rollback puts back every table's rows,
/// newest first, however many rows the log held; a commit forgets them.
@Suite("Rows: eleven tables, one undo log")
struct StoreRowsTests {
    private static func lease(_ id: String, generation: LeaseGeneration = .first) -> LeaseRecord {
        LeaseRecord(lease: Lease(id: LeaseID(id), connection: ConnectionID("conn"), generation: generation,
                                 holder: WorkerID("worker-a"), run: RunID("run-1"), issuedAt: .zero),
                    revoked: false)
    }

    @Test("A rollback puts back the rows of every table written, written once or many times", arguments: [1, 5, 9, 70, 200])
    func rollbackRestoresEveryTable(writes: Int) {
        var rows = Rows()
        rows.setLease(LeaseID("lease_kept"), StoreRowsTests.lease("lease_kept"))
        rows.setLoss(WorkerID("worker-a"), Instant(milliseconds: 5))
        rows.commit()
        for i in 0..<writes {
            rows.setLease(LeaseID("lease_\(i % 7)"), StoreRowsTests.lease("lease_\(i % 7)"))
            rows.setLoss(WorkerID("worker-a"), Instant(milliseconds: Int64(100 + i)))
            rows.setDigest(DigestKey("digest-\(i % 3)"), CapabilityID("cap_\(i)"))
        }
        rows.setLease(LeaseID("lease_kept"), nil)
        rows.deleteLosses { _ in true }
        #expect(rows.leases[LeaseID("lease_kept")] == nil)
        #expect(rows.losses[WorkerID("worker-a")] == nil)
        rows.rollback()
        #expect(rows.leases[LeaseID("lease_kept")] == StoreRowsTests.lease("lease_kept"))
        #expect(rows.leases.values.count == 1)
        #expect(rows.losses[WorkerID("worker-a")] == Instant(milliseconds: 5))
        #expect(rows.capabilityByDigest.values.isEmpty)
        // The log is empty again: a second rollback changes nothing.
        rows.rollback()
        #expect(rows.leases.values.count == 1)
    }

    @Test("A rollback puts back replaced and deleted rows of a table walked or indexed", arguments: [3, 40])
    func rollbackRestoresWalkedAndIndexedTables(count: Int) {
        var rows = Rows()
        for i in 0..<count { rows.setLease(LeaseID("lease_\(i)"), StoreRowsTests.lease("lease_\(i)")) }
        rows.commit()
        rows.setLease(LeaseID("lease_0"), StoreRowsTests.lease("lease_moved"))
        rows.setLease(LeaseID("lease_1"), nil)
        rows.deleteLeases { $0.lease.id == LeaseID("lease_2") }
        rows.setLease(LeaseID("lease_new"), StoreRowsTests.lease("lease_new"))
        #expect(rows.leases[LeaseID("lease_0")] == StoreRowsTests.lease("lease_moved"))
        #expect(rows.leases[LeaseID("lease_1")] == nil)
        #expect(rows.leases[LeaseID("lease_2")] == nil)
        rows.rollback()
        for i in 0..<count { #expect(rows.leases[LeaseID("lease_\(i)")] == StoreRowsTests.lease("lease_\(i)")) }
        #expect(rows.leases[LeaseID("lease_new")] == nil)
        #expect(rows.leases.values.count == count)
    }

    @Test("A commit keeps the rows and forgets the log, big or small", arguments: [3, 100])
    func commitForgetsTheLog(writes: Int) {
        var rows = Rows()
        for i in 0..<writes { rows.setLease(LeaseID("lease_\(i)"), StoreRowsTests.lease("lease_\(i)")) }
        rows.commit()
        rows.setLease(LeaseID("lease_new"), StoreRowsTests.lease("lease_new"))
        rows.rollback()
        #expect(rows.leases.values.count == writes)
        #expect(rows.leases[LeaseID("lease_new")] == nil)
    }

    @Test("A copy of the tables given its own log (as a store's copy is) rolls back apart from the original")
    func copiesHaveTheirOwnLog() {
        var rows = Rows()
        rows.setLoss(WorkerID("worker-a"), Instant(milliseconds: 1))
        var other = rows.copied()
        other.rollback()
        #expect(other.losses[WorkerID("worker-a")] == Instant(milliseconds: 1))
        rows.rollback()
        #expect(rows.losses[WorkerID("worker-a")] == nil)
    }
}
