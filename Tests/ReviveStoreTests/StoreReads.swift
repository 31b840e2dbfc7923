import Revive
import ReviveStore
import ReviveVocabulary

/// Everything the store protocol answers about the ids a timeline names: two stores that give
/// equal reads hold the same state, as far as an engine can tell.
struct StoreReads: Equatable {
    var connections: [ConnectionRecord?] = []
    var generations: [LeaseGeneration] = []
    var deadGenerations: [LeaseGeneration?] = []
    var openCaseByConnection: [RecoveryCase?] = []
    var leases: [LeaseRecord?] = []
    var leasesHeld: [[LeaseRecord]] = []
    var losses: [Instant?] = []
    var cases: [RecoveryCase?] = []
    var openCases: [RecoveryCase] = []
    var capabilities: [CapabilityRecord?] = []
    var capabilitiesByDigest: [CapabilityRecord?] = []
    var ledger: [LedgerEntry?] = []
    var refreshMarks: [RefreshMark?] = []

    /// Reads `store` at every id `transitions` name.
    static func of(_ store: RecoveryStore, naming transitions: [Transition]) throws -> StoreReads {
        func ids(_ field: (Transition) -> String?) -> [String] { Array(Set(transitions.compactMap(field))).sorted() }
        return try store.transaction { (tx) throws(RecoveryStoreError) -> StoreReads in
            var reads = StoreReads()
            for id in ids(\.connection).map(ConnectionID.init) {
                reads.connections.append(try tx.connection(id))
                reads.generations.append(try tx.generation(of: id))
                reads.deadGenerations.append(try tx.deadGeneration(of: id))
                reads.openCaseByConnection.append(try tx.openCase(for: id))
            }
            for id in ids(\.lease) { reads.leases.append(try tx.lease(LeaseID(id))) }
            for worker in ids(\.worker).map(WorkerID.init) {
                reads.leasesHeld.append(try tx.leases(heldBy: worker).sorted { $0.lease.id.rawValue < $1.lease.id.rawValue })
                reads.losses.append(try tx.lastLoss(of: worker))
            }
            for id in ids(\.caseID) { reads.cases.append(try tx.recoveryCase(CaseID(id))) }
            reads.openCases = try tx.openCases()
            for id in ids(\.capability) {
                let capability = try tx.capability(CapabilityID(id))
                reads.capabilities.append(capability)
                if let capability { reads.capabilitiesByDigest.append(try tx.capability(digest: capability.digest)) }
            }
            for key in ids(\.key) { reads.ledger.append(try tx.ledgerEntry(IdempotencyKey(rawValue: key))) }
            for run in ids(\.run) {
                for step in ids(\.step) { reads.refreshMarks.append(try tx.refreshMark(run: RunID(run), action: ActionKey(step))) }
            }
            return reads
        }
    }

    /// How many records the reads found (a comparison of two empty stores proves nothing).
    var found: Int {
        connections.compactMap { $0 }.count + leases.compactMap { $0 }.count + cases.compactMap { $0 }.count
            + capabilities.compactMap { $0 }.count + ledger.compactMap { $0 }.count + losses.compactMap { $0 }.count
    }
}

/// A store behind a switch: while it is down every transaction is `.unavailable`.
final class SwitchedStore: RecoveryStore {
    let inner: RecoveryStore
    var down = false

    init(_ inner: RecoveryStore) { self.inner = inner }

    func transaction<T>(_ body: (RecoveryStoreTransaction) throws(RecoveryStoreError) -> T) throws(RecoveryStoreError) -> T {
        if down { throw RecoveryStoreError.unavailable("the test switched the store off") }
        return try inner.transaction(body)
    }
}
