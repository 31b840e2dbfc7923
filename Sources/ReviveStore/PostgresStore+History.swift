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
            let rows = try connection.query("""
                SELECT p.id, p.scenario, p.seed, p.mode, p.outcome, p.passed,
                       (SELECT string_agg(DISTINCT run, ',') FROM history h WHERE h.play = p.id AND h.run IS NOT NULL),
                       (SELECT count(*) FROM history h WHERE h.play = p.id)
                FROM plays p ORDER BY p.id
                """).rows
            return rows.map { row in
                StoredPlay(id: row[0].integer ?? 0, scenario: row[1].text ?? "", seed: UInt64(bitPattern: row[2].integer ?? 0),
                           mode: row[3].text ?? "", outcome: row[4].text, passed: row[5].integer.map { $0 != 0 },
                           runs: (row[6].text ?? "").split(separator: ",").map(String.init).sorted(),
                           transitions: Int(row[7].integer ?? 0))
            }
        }
    }

    public func history(_ query: HistoryQuery) throws(RecoveryStoreError) -> [(play: Int64, seq: Int, transition: Transition)] {
        var conditions: [String] = []
        var values: [SQLiteValue] = []
        func add(_ condition: String, _ value: SQLiteValue?) {
            guard let value else { return }
            conditions.append(condition)
            values.append(value)
        }
        add("play = ?", query.play.map { .integer($0) })
        add("run = ?", query.run.map { .text($0) })
        add("connection = ?", query.connection.map { .text($0) })
        add("case_id = ?", query.caseID.map { .text($0) })
        add("class = ?", query.failureClass.map { .text($0) })
        // SQLite's GLOB in PostgreSQL's words: a LIKE pattern with its own wildcards escaped.
        add("name LIKE ?", query.name.map { .text(PostgresStore.likePattern(glob: $0)) })
        add("time_ms >= ?", query.since.map { .integer($0.milliseconds) })
        add("time_ms <= ?", query.until.map { .integer($0.milliseconds) })
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let rows = try run("searching the history") { () throws(PostgresError) in
            try connection.query("SELECT play, seq, record FROM history\(filter) ORDER BY play, seq", values).rows
        }
        var result: [(play: Int64, seq: Int, transition: Transition)] = []
        for row in rows {
            guard let play = row[0].integer, let seq = row[1].integer, let text = row[2].text else {
                throw .corrupt("\(url): a history row has the wrong types")
            }
            result.append((play, Int(seq), try RecordCodec.transition(text)))
        }
        return result
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
