import Revive
import ReviveVocabulary

/// The searchable history on PostgreSQL: the same rows and answers as a SQLite store file's.
extension PostgresStore {
    public func recordPlay(_ play: Int64, transitions: [Transition], outcome: String, passed: Bool, jsonl: String) throws(RecoveryStoreError) {
        try run("recording the play's history") { () throws(PostgresError) in
            try connection.execute("BEGIN")
            do throws(PostgresError) {
                for (seq, t) in transitions.enumerated() {
                    try connection.query("""
                        INSERT INTO history (play, seq, time_ms, name, actor, run, step, connection, case_id, class, record)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, [.integer(play), .integer(Int64(seq)), .integer(t.time.milliseconds), .text(t.name.rawValue),
                              .text(t.actor.rawValue), .optional(t.run), .optional(t.step), .optional(t.connection),
                              .optional(t.caseID), .optional(t.failureClass?.rawValue), .text(RecordCodec.text(t))])
                }
                try connection.query("UPDATE plays SET outcome = ?, passed = ?, jsonl = ? WHERE id = ?",
                                     [.text(outcome), .integer(passed ? 1 : 0), .text(jsonl), .integer(play)])
                try connection.execute("COMMIT")
            } catch {
                _ = try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    public func plays() throws(RecoveryStoreError) -> [StoredPlay] {
        try run("listing the plays") { () throws(PostgresError) -> [StoredPlay] in
            try connection.query(StoredPlay.listing(runs: "string_agg(DISTINCT run, ',')")).rows.map(StoredPlay.init(row:))
        }
    }

    public func history(_ query: HistoryQuery) throws(RecoveryStoreError) -> [(play: Int64, seq: Int, transition: Transition)] {
        // SQLite's GLOB in PostgreSQL's words: a LIKE pattern with its own wildcards escaped.
        let filter = query.whereClause(nameMatch: "name LIKE ?", namePattern: PostgresStore.likePattern(glob:))
        let rows = try run("searching the history") { () throws(PostgresError) in
            try connection.query("SELECT play, seq, record FROM history\(filter.sql) ORDER BY play, seq", filter.values).rows
        }
        return try HistoryRows.transitions(rows, source: "\(url)")
    }

    public func jsonl(of play: Int64) throws(RecoveryStoreError) -> String? {
        try run("reading a play's record") { () throws(PostgresError) in
            try connection.query("SELECT jsonl FROM plays WHERE id = ?", [.integer(play)]).rows.first?.first?.text
        }
    }

    /// `lease.*` → `lease.%`, `?` → `_`; `%`, `_` and `\` match themselves.
    static func likePattern(glob: String) -> String {
        var out = ""
        for c in glob {
            switch c {
            case "*": out += "%"
            case "?": out += "_"
            case "%", "_", "\\": out += "\\" + String(c)
            default: out.append(c)
            }
        }
        return out
    }
}
