import Revive
import ReviveVocabulary

/// A decision's writes (`StoreWrite`) as the text a fallback journal keeps, and back: each write is
/// an object naming its operation (`op`) with its arguments, a saved record as the same object its
/// table row keeps, so a journal and a store file spell every record alike.
extension RecordCodec {
    /// One journal entry's writes as a JSON array.
    static func text(_ writes: [StoreWrite]) -> String {
        JSONValue.array(writes.map(value)).compactText
    }

    /// A journal entry's writes read back; anything unknown or damaged is `corrupt`.
    static func writes(_ text: String) throws(RecoveryStoreError) -> [StoreWrite] {
        guard case .array(let items)? = try? JSONValue.parse(text) else { throw .corrupt("a journal entry is not a JSON array") }
        var result: [StoreWrite] = []
        for item in items { result.append(try write(item.compactText)) }
        return result
    }

    /// A record's row text as a JSON value, to nest in a write.
    private static func nested(_ text: String) -> JSONValue { (try? JSONValue.parse(text)) ?? .string(text) }

    static func value(_ write: StoreWrite) -> JSONValue {
        var w = RecordWriter()
        switch write {
        case .saveConnection(let c): w.put("op", "save-connection"); w.put("record", nested(text(c)))
        case .setGeneration(let g, let c): w.put("op", "set-generation"); w.put("connection", c.rawValue); w.put("generation", g.value)
        case .setDeadGeneration(let g, let c):
            w.put("op", "set-dead-generation"); w.put("connection", c.rawValue); w.put("generation", g.value)
        case .saveLease(let l): w.put("op", "save-lease"); w.put("record", nested(text(l)))
        case .deleteLeases(let c, let g): w.put("op", "delete-leases-of"); w.put("connection", c.rawValue); w.put("generation", g.value)
        case .deleteLeasesIssued(let cutoff): w.put("op", "delete-leases-issued"); w.put("before", cutoff)
        case .setLastLoss(let at, let worker): w.put("op", "set-last-loss"); w.put("worker", worker.rawValue); w.put("at", at)
        case .deleteLosses(let cutoff): w.put("op", "delete-losses"); w.put("before", cutoff)
        case .saveCase(let c): w.put("op", "save-case"); w.put("record", nested(text(c)))
        case .deleteCases(let cutoff): w.put("op", "delete-cases"); w.put("before", cutoff)
        case .saveCapability(let c): w.put("op", "save-capability"); w.put("record", nested(text(c)))
        case .saveLedgerEntry(let e): w.put("op", "save-ledger-entry"); w.put("record", nested(text(e)))
        case .deleteSettledEntries(let cutoff): w.put("op", "delete-settled-entries"); w.put("before", cutoff)
        case .saveRefreshMark(let m): w.put("op", "save-refresh-mark"); w.put("record", nested(text(m)))
        case .deleteRefreshMarks(let cutoff): w.put("op", "delete-refresh-marks"); w.put("before", cutoff)
        case .record(let t): w.put("op", "record"); w.put("transition", nested(text(t)))
        }
        return .object(w.members)
    }

    static func write(_ text: String) throws(RecoveryStoreError) -> StoreWrite {
        let r = try RecordReader(text, what: "a journaled write")
        let record = { () throws(RecoveryStoreError) -> String in
            guard let value = r.value("record") else { throw .corrupt("a journaled write lacks its record") }
            return value.compactText
        }
        switch try r.string("op") {
        case "save-connection": return .saveConnection(try connection(try record()))
        case "set-generation": return .setGeneration(try r.generation("generation"), of: ConnectionID(try r.string("connection")))
        case "set-dead-generation": return .setDeadGeneration(try r.generation("generation"), of: ConnectionID(try r.string("connection")))
        case "save-lease": return .saveLease(try lease(try record()))
        case "delete-leases-of": return .deleteLeases(of: ConnectionID(try r.string("connection")), olderThan: try r.generation("generation"))
        case "delete-leases-issued": return .deleteLeasesIssued(before: try r.instant("before"))
        case "set-last-loss": return .setLastLoss(try r.instant("at"), of: WorkerID(try r.string("worker")))
        case "delete-losses": return .deleteLosses(before: try r.instant("before"))
        case "save-case": return .saveCase(try recoveryCase(try record()))
        case "delete-cases": return .deleteCases(closedBefore: try r.instant("before"))
        case "save-capability": return .saveCapability(try capability(try record()))
        case "save-ledger-entry": return .saveLedgerEntry(try ledgerEntry(try record()))
        case "delete-settled-entries": return .deleteSettledEntries(changedBefore: try r.instant("before"))
        case "save-refresh-mark": return .saveRefreshMark(try refreshMark(try record()))
        case "delete-refresh-marks": return .deleteRefreshMarks(before: try r.instant("before"))
        case "record":
            guard let value = r.value("transition") else { throw .corrupt("a journaled write lacks its transition") }
            return .record(try transition(value.compactText))
        case let other: throw .corrupt("a journaled write has an unknown operation \"\(other)\" (written by a newer revive-lab?)")
        }
    }
}
