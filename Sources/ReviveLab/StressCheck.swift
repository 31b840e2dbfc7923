#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Revive
import ReviveStore
import ReviveVocabulary

/// What the final check of a stress play found.
struct StressReport {
    var decisions = 0
    var refreshesWon = 0
    var refreshesReread = 0
    var refreshesAfterKill = 0
    var verified = 0
    var refused = 0
    var completed = 0
    var parked = 0
    /// Scenario runs whose story ended failed (the runtime gave up: the scenario's own ending).
    var failed = 0
    /// Scenario runs only: refreshes classified dead_grant, which may have met a revoked grant (not judged).
    var deadRefreshesUnjudged = 0
    /// What the reader should know that is not a breach (scenario runs that failed unlike their story).
    var breaches: [String] = []
}

/// The cross-process invariants, over every process's timeline together and over the database.
struct StressCheck {
    let world: StressWorld
    let output: String
    let runs: Int
    /// The SIGKILLs delivered: each may orphan one redeemed refresh token (see `checkDatabase`).
    var kills = 0

    func run() throws -> StressReport {
        var report = StressReport()
        // What the store committed, this play's only: not the JSONL files, which a SIGKILL can
        // cut short and which an `--output` folder used before may hold from another play.
        let committed = try world.committedTransitions()
        checkTimelines(committed, into: &report)
        try checkDatabase(into: &report)
        try checkRuns(into: &report)
        // The invariant checker too, on what the workload has: the engine's committed decisions
        // (no provider, step or runtime transition is recorded, so only these three apply).
        report.breaches += StressScenarioCheck.mergedBreaches(committed)
        return report
    }

    /// Each capability consumed at most once; each generation rotated once; no refresh loser classified dead.
    func checkTimelines(_ transitions: [Transition], into report: inout StressReport) {
        var consumed: [String: Int] = [:]
        var rotated: [String: Int] = [:]
        var deadRefreshes = 0
        for t in transitions {
            switch t.name {
            case .reconnectVerified, .caseResolved:
                consumed[t.capability ?? "?", default: 0] += 1
                report.verified += 1
            case .capabilityRefused:
                report.refused += 1
            case .leaseRotated:
                rotated["\(t.connection ?? "?") generation \(t.generation ?? 0)", default: 0] += 1
            case .failureClassified where t.failureClass == .deadGrant && t.notes.contains { $0.name == "op" && $0.value == "refresh" }:
                deadRefreshes += 1
            default:
                break
            }
        }
        for (capability, count) in consumed.sorted(by: { $0.key < $1.key }) where count > 1 {
            report.breaches.append("capability \(capability) was consumed \(count) times")
        }
        for (generation, count) in rotated.sorted(by: { $0.key < $1.key }) where count > 1 {
            report.breaches.append("\(generation) was rotated to \(count) times")
        }
        report.refreshesAfterKill = -deadRefreshes // settled against the database's count below
    }

    /// Each refresh token redeemed once, each effect once (but for `lateKeys`, the provider's breaches).
    func checkDatabase(into report: inout StressReport, lateKeys: Set<String> = []) throws {
        report.decisions = Int(try world.query("SELECT count(*) FROM decisions WHERE play = ?").first?.first?.integer ?? 0)
        for row in try world.query("SELECT connection, generation, redeemed FROM stress_tokens WHERE play = ? AND redeemed > 1") {
            report.breaches.append("the refresh token of \(row[0].text ?? "?") generation \(row[1].integer ?? 0) was redeemed \(row[2].integer ?? 0) times")
        }
        // The provider refuses a second redemption (a conditional UPDATE), so `redeemed` stays 1:
        // what shows a broken single-flight is a refresher that found its token spent. The winner
        // holds the connection's lock until its rotation commits, so that happens only after the
        // winner was killed in between, and each kill orphans at most one token.
        let spent = Int(try world.query("SELECT count(*) FROM (SELECT DISTINCT connection, generation FROM stress_refreshes "
            + "WHERE play = ? AND outcome = 'winner-died') AS spent").first?.first?.integer ?? 0)
        if spent > kills {
            report.breaches.append("\(spent) refresh token(s) were found already redeemed, more than the \(kills) kill(s) could orphan: "
                + "a refresh ran while another process's refresh of the same token was under way")
        }
        for row in try world.query("SELECT key, count(*) FROM stress_effects WHERE play = ? GROUP BY key HAVING count(*) > 1")
        where !lateKeys.contains(row[0].text ?? "") {
            report.breaches.append("effect \(row[0].text ?? "?") happened \(row[1].integer ?? 0) times")
        }
        for row in try world.query("SELECT outcome, count(*) FROM stress_refreshes WHERE play = ? GROUP BY outcome") {
            let count = Int(row[1].integer ?? 0)
            switch row[0].text {
            case "won": report.refreshesWon = count
            case "reread": report.refreshesReread = count
            default: report.refreshesAfterKill += count
            }
        }
        if report.refreshesAfterKill < 0 {
            report.breaches.append("\(-report.refreshesAfterKill) refresh(es) lost a race and were classified dead_grant")
            report.refreshesAfterKill = 0
        }
    }

    /// No run lost; every run completed, or parked on a case still awaiting a reconnect; no case
    /// verified whose run never resumed.
    func checkRuns(into report: inout StressReport) throws {
        let rows = try world.query("""
            SELECT r.run, r.state, c.state FROM stress_runs r LEFT JOIN cases c ON c.play = r.play AND c.id = r.case_id WHERE r.play = ?
            """)
        var seen = Set<String>()
        for row in rows {
            let run = row[0].text ?? "?"
            seen.insert(run)
            switch (row[1].text, row[2].text) {
            case ("completed", _): report.completed += 1
            case ("parked", "awaiting-reconnect"): report.parked += 1
            default: report.breaches.append("\(run) ended \(row[1].text ?? "?") (case \(row[2].text ?? "none")): neither completed nor parked")
            }
        }
        for index in 0..<runs where !seen.contains("run-\(index)") { report.breaches.append("run-\(index) was lost: it never started") }
        for row in try world.query("SELECT id FROM cases WHERE play = ? AND state = 'awaiting-resume'") {
            report.breaches.append("case \(row[0].text ?? "?") was verified but its runs never resumed")
        }
    }
}
