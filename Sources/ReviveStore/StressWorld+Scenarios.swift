import Revive
import ReviveVocabulary

/// The rows `stress PATH...` adds for real scenario plays: the provider's grant liveness per
/// connection, the full reconnect requests of the shared inbox (so any process can present the
/// latest one), and each finished play's timeline. Refresh tokens and effects use the tables the
/// contention workload already has (`stress_tokens`, `stress_effects`).
extension StressWorld {
    static let scenarioTables = [
        "stress_grants (play BIGINT NOT NULL, connection TEXT NOT NULL, alive BIGINT NOT NULL, PRIMARY KEY (play, connection))",
        "stress_requests (play BIGINT NOT NULL, n BIGINT NOT NULL, capability_id TEXT NOT NULL, capability TEXT NOT NULL, "
            + "connection TEXT NOT NULL, case_id TEXT NOT NULL, recipient TEXT NOT NULL, responder TEXT NOT NULL, "
            + "expires BIGINT NOT NULL, kind TEXT NOT NULL, PRIMARY KEY (play, capability_id))",
        "stress_timelines (play BIGINT NOT NULL, run_index BIGINT NOT NULL, run TEXT NOT NULL, process BIGINT NOT NULL, "
            + "incarnation BIGINT NOT NULL, outcome TEXT NOT NULL, jsonl TEXT NOT NULL, PRIMARY KEY (play, run_index))",
    ]

    // MARK: The provider's ledger

    /// Whether the connection's grant is alive (no row: it never died).
    public func isGrantAlive(_ connection: String) throws(RecoveryStoreError) -> Bool {
        (try rows("SELECT alive FROM stress_grants WHERE play = ? AND connection = ?", [.text(connection)]).first?.first?.integer ?? 1) != 0
    }

    /// Revokes or restores the connection's grant.
    public func setGrantAlive(_ connection: String, _ alive: Bool) throws(RecoveryStoreError) {
        try change(Upsert.statement("stress_grants", keys: ["connection"], columns: ["alive"]), [.text(connection), .integer(alive ? 1 : 0)])
    }

    /// The generation of the connection's newest token pair (1 before any was issued).
    public func tokenGeneration(_ connection: String) throws(RecoveryStoreError) -> Int {
        Int(try rows("SELECT MAX(generation) FROM stress_tokens WHERE play = ? AND connection = ?", [.text(connection)]).first?.first?.integer ?? 1)
    }

    /// How many times an effect with `key` took effect at the provider.
    public func effectCount(key: String) throws(RecoveryStoreError) -> Int {
        Int(try rows("SELECT count(*) FROM stress_effects WHERE play = ? AND key = ?", [.text(key)]).first?.first?.integer ?? 0)
    }

    // MARK: The shared inbox

    /// Delivers a reconnect request (or an operator's alert), numbered after every earlier one.
    public func post(_ request: ReconnectRequest) throws(RecoveryStoreError) {
        try change("""
            INSERT INTO stress_requests (play, n, capability_id, capability, connection, case_id, recipient, responder, expires, kind)
            SELECT ?1, COALESCE(MAX(n), 0) + 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 FROM stress_requests WHERE play = ?1
            ON CONFLICT DO NOTHING
            """, [.text(request.capabilityID.rawValue), .text(request.capabilityValue), .text(request.connection.rawValue),
                  .text(request.caseID.rawValue), .text(request.recipient), .text(request.responder.rawValue),
                  .integer(request.expiresAt.milliseconds), .text(request.kind.rawValue)])
    }

    /// The latest request for `connection` from any process (to `responder` only, when given).
    public func latestRequest(for connection: String, responder: String?) throws(RecoveryStoreError) -> ReconnectRequest? {
        let filter = responder == nil ? "" : " AND responder = ?"
        let values: [SQLiteValue] = [.text(connection)] + (responder.map { [.text($0)] } ?? [])
        guard let row = try rows("""
            SELECT capability_id, capability, case_id, recipient, responder, expires, kind FROM stress_requests
            WHERE play = ? AND connection = ?\(filter) ORDER BY n DESC, capability_id DESC LIMIT 1
            """, values).first,
              let responder = row[4].text.flatMap(Responder.init(rawValue:)), let kind = row[6].text.flatMap(RequestKind.init(rawValue:))
        else { return nil }
        // Only what presenting it needs: its timers belong to the play that received it.
        return ReconnectRequest(caseID: CaseID(row[2].text ?? ""), connection: ConnectionID(connection), recipient: row[3].text ?? "",
                                responder: responder, capabilityID: CapabilityID(row[0].text ?? ""), capabilityValue: row[1].text ?? "",
                                expiresAt: Instant(milliseconds: row[5].integer ?? 0), reminder: 0, kind: kind, scopes: [])
    }

    /// The idempotency key of a case's action (nil: no such case, or no key).
    public func caseKey(_ caseID: String) throws(RecoveryStoreError) -> String? {
        guard let text = try rows("SELECT record FROM cases WHERE play = ? AND id = ?", [.text(caseID)]).first?.first?.text else { return nil }
        return try RecordCodec.recoveryCase(text).idempotencyKey?.rawValue
    }

    // MARK: Finished plays

    /// The process a run was last played in (nil: never started).
    public func owner(ofRun run: String) throws(RecoveryStoreError) -> Int? {
        try rows("SELECT process FROM stress_runs WHERE play = ? AND run = ?", [.text(run)]).first?.first?.integer.map { Int($0) }
    }

    /// Keeps a finished play's timeline (JSONL lines) and outcome; a later version of the same run replaces it.
    public func saveTimeline(index: Int, run: String, process: Int, incarnation: Int, outcome: String,
                             jsonl: String) throws(RecoveryStoreError) {
        try change(Upsert.statement("stress_timelines", keys: ["run_index"], columns: ["run", "process", "incarnation", "outcome", "jsonl"]),
                   [.integer(Int64(index)), .text(run), .integer(Int64(process)), .integer(Int64(incarnation)), .text(outcome), .text(jsonl)])
    }

    /// Whether stress run `index` has finished its play (in any incarnation of any process).
    public func hasTimeline(index: Int) throws(RecoveryStoreError) -> Bool {
        try rows("SELECT 1 FROM stress_timelines WHERE play = ? AND run_index = ?", [.integer(Int64(index))]).first != nil
    }

    /// How many stress runs have a finished play.
    public func finishedPlays() throws(RecoveryStoreError) -> Int {
        Int(try rows("SELECT count(*) FROM stress_timelines WHERE play = ?", []).first?.first?.integer ?? 0)
    }

    /// Forgets the plays of `process` that ended parked: a restarted process plays them again,
    /// because the plays its killed predecessor kept, to resume them, died with it.
    public func forgetParkedPlays(of process: Int) throws(RecoveryStoreError) {
        try change("DELETE FROM stress_timelines WHERE play = ? AND process = ? AND outcome = 'parked'", [.integer(Int64(process))])
    }

    /// Every finished play: its stress run index, run id, outcome and timeline, by index.
    public func timelines() throws(RecoveryStoreError) -> [(index: Int, run: String, outcome: String, jsonl: String)] {
        try rows("SELECT run_index, run, outcome, jsonl FROM stress_timelines WHERE play = ? ORDER BY run_index", [])
            .map { (Int($0[0].integer ?? 0), $0[1].text ?? "", $0[2].text ?? "", $0[3].text ?? "") }
    }

    /// Every transition the engine committed in this play, in commit order (the decision log).
    public func committedTransitions() throws(RecoveryStoreError) -> [Transition] {
        var result: [Transition] = []
        for row in try rows("SELECT body FROM decisions WHERE play = ? ORDER BY seq", []) {
            guard let body = row.first?.text, case .array(let items)? = try? JSONValue.parse(body) else {
                throw .corrupt("a decision's log entry is not a JSON array")
            }
            for item in items { result.append(try RecordCodec.transition(item.compactText)) }
        }
        return result
    }
}
