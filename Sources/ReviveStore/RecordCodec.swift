import Revive
import ReviveVocabulary

/// Each engine record as the JSON text a row keeps, and back. Ids, times and states that the
/// store searches by are also columns of their own (`StoreSchema`); the text is the whole record.
enum RecordCodec {
    // MARK: Connections

    static func text(_ c: ConnectionRecord) -> String {
        var w = RecordWriter()
        w.put("id", c.id.rawValue)
        w.put("provider", c.provider.rawValue)
        w.put("broker", c.broker.rawValue)
        w.put("owner", c.ownerAddress)
        w.put("subject", c.pinnedIdentity.subject)
        w.put("tenant", c.pinnedIdentity.tenant)
        w.put("scopes", c.scopes)
        w.put("idempotency", c.idempotency.mode.rawValue)
        w.put("settleAfter", c.idempotency.settleAfter)
        w.put("keyRetention", c.idempotency.keyRetention)
        return w.text
    }

    static func connection(_ text: String) throws(RecoveryStoreError) -> ConnectionRecord {
        let r = try RecordReader(text, what: "a connection record")
        let promise = IdempotencyPromise(mode: try r.choice("idempotency", as: IdempotencyMode.self),
                                         settleAfter: try r.span("settleAfter"), keyRetention: try r.span("keyRetention"))
        return ConnectionRecord(id: ConnectionID(try r.string("id")), provider: try r.choice("provider", as: ProviderKind.self),
                                broker: try r.choice("broker", as: BrokerKind.self), ownerAddress: try r.string("owner"),
                                pinnedIdentity: ProviderIdentity(subject: try r.string("subject"), tenant: try r.string("tenant")),
                                scopes: try r.strings("scopes"), idempotency: promise)
    }

    // MARK: Leases

    static func text(_ l: LeaseRecord) -> String {
        var w = RecordWriter()
        w.put("id", l.lease.id.rawValue)
        w.put("connection", l.lease.connection.rawValue)
        w.put("generation", l.lease.generation.value)
        w.put("holder", l.lease.holder.rawValue)
        w.put("run", l.lease.run.rawValue)
        w.put("issuedAt", l.lease.issuedAt)
        w.put("revoked", l.revoked)
        return w.text
    }

    static func lease(_ text: String) throws(RecoveryStoreError) -> LeaseRecord {
        let r = try RecordReader(text, what: "a lease record")
        let lease = Lease(id: LeaseID(try r.string("id")), connection: ConnectionID(try r.string("connection")),
                          generation: try r.generation("generation"), holder: WorkerID(try r.string("holder")),
                          run: RunID(try r.string("run")), issuedAt: try r.instant("issuedAt"))
        return LeaseRecord(lease: lease, revoked: try r.bool("revoked"))
    }

    // MARK: Capabilities

    static func text(_ c: CapabilityRecord) -> String {
        var w = RecordWriter()
        w.put("id", c.id.rawValue)
        w.put("case", c.caseID.rawValue)
        w.put("connection", c.connection.rawValue)
        w.put("digest", c.digest)
        w.put("issuedAt", c.issuedAt)
        w.put("expiresAt", c.expiresAt)
        w.put("reminder", c.reminder)
        w.put("consumedAt", c.consumedAt)
        w.put("remindAt", c.remindAt)
        w.put("expiryRecorded", c.expiryRecorded)
        return w.text
    }

    static func capability(_ text: String) throws(RecoveryStoreError) -> CapabilityRecord {
        let r = try RecordReader(text, what: "a capability record")
        return CapabilityRecord(id: CapabilityID(try r.string("id")), caseID: CaseID(try r.string("case")),
                                connection: ConnectionID(try r.string("connection")), digest: try r.string("digest"),
                                issuedAt: try r.instant("issuedAt"), expiresAt: try r.instant("expiresAt"),
                                reminder: try r.int("reminder"), consumedAt: try r.optionalInstant("consumedAt"),
                                remindAt: try r.optionalInstant("remindAt"), expiryRecorded: try r.bool("expiryRecorded"))
    }

    // MARK: The ledger and refresh marks

    static func text(_ e: LedgerEntry) -> String {
        var w = RecordWriter()
        w.put("key", e.key.rawValue)
        w.put("run", e.run.rawValue)
        w.put("action", e.action.rawValue)
        w.put("connection", e.connection.rawValue)
        w.put("state", e.state.rawValue)
        w.put("executingWorker", e.executingWorker?.rawValue)
        w.put("changedAt", e.changedAt)
        w.put("settlesAt", e.settlesAt)
        w.put("firstSentAt", e.firstSentAt)
        return w.text
    }

    static func ledgerEntry(_ text: String) throws(RecoveryStoreError) -> LedgerEntry {
        let r = try RecordReader(text, what: "a ledger entry")
        return LedgerEntry(key: IdempotencyKey(rawValue: try r.string("key")), run: RunID(try r.string("run")),
                           action: ActionKey(try r.string("action")), connection: ConnectionID(try r.string("connection")),
                           state: try r.choice("state", as: LedgerState.self),
                           executingWorker: try r.optionalString("executingWorker").map(WorkerID.init),
                           changedAt: try r.instant("changedAt"), settlesAt: try r.optionalInstant("settlesAt"),
                           firstSentAt: try r.optionalInstant("firstSentAt"))
    }

    static func text(_ m: RefreshMark) -> String {
        var w = RecordWriter()
        w.put("run", m.run.rawValue)
        w.put("action", m.action.rawValue)
        w.put("attempt", m.attempt)
        w.put("markedAt", m.markedAt)
        return w.text
    }

    static func refreshMark(_ text: String) throws(RecoveryStoreError) -> RefreshMark {
        let r = try RecordReader(text, what: "a refresh mark")
        return RefreshMark(run: RunID(try r.string("run")), action: ActionKey(try r.string("action")),
                           attempt: try r.int("attempt"), markedAt: try r.instant("markedAt"))
    }
}
