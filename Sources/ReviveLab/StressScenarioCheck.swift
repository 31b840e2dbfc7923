#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Revive
import ReviveCheck
import ReviveStore
import ReviveVocabulary
import ReviveWorld

/// The final check of `stress PATH...`: the invariant checker over every finished play and over
/// the engine's committed decisions together, and the cross-process invariants over the database.
///
/// Which invariant is judged where, and why:
/// - Per run, on the run's own transitions of its finished play (the database's copy, which a
///   SIGKILL cannot cut short): every invariant but `capability-single-use` and
///   `history-complete`. A play sees its own provider calls, effects, checkpoints, keys and
///   resumes, and they are what those invariants are about. A play's engine may also decide for
///   another run (present the latest request of its case, answer its operator's alert): those
///   transitions are that run's. `history-complete` is judged on the whole play, since the
///   play's fallback journals every decision of its engine, whoever's run it was.
/// - `liveness` assumes one clock: a run is not charged with it when a presentation of its was
///   refused because the case had moved on (another play's timer may escalate a shared case on
///   that play's clock), or when it ended parked on a case another run opened.
/// - On the committed decisions of every process, in commit order: `capability-single-use`
///   (a capability may be issued in one process and presented in another, so only the merged
///   log has both), `identity-bound` and `token-custody` (engine transitions only, and true of
///   the merged log whatever the interleaving). The decision log holds no provider call, step
///   or runtime transition, so the other invariants cannot be judged on it.
/// - Three per-run breaches are facts of another process, settled against the merged log: a run
///   that resumed on a case verified in another process (`identity-bound` reads the
///   verification on its own timeline), a case opened by this run that another run's resume
///   closed (`durable-case` reads the close on its own timeline), and a call sent again after
///   another process's operator answered that the first did not happen (`reconcile-before-retry`
///   reads the reconciliation on its own timeline). They count only when the merged log does not
///   hold the verification, the close, or the reconciliation.
struct StressScenarioCheck {
    let world: StressWorld
    let runs: Int
    /// The SIGKILLs delivered (for the refresh-token check).
    let kills: Int
    /// Each scenario's expected outcome, by name: a run that fails where its story does not is a breach.
    let expected: [String: Outcome]

    static let merged: [Invariant] = [.capabilitySingleUse, .identityBound, .tokenCustody]
    static let perRun: [Invariant] = Invariant.allCases.filter { $0 != .capabilitySingleUse && $0 != .historyComplete }

    func run() throws -> StressReport {
        var report = StressReport()
        let committed = try world.committedTransitions()
        let cross = StressCheck(world: world, output: "", runs: runs, kills: kills)
        cross.checkTimelines(committed, into: &report)
        // Not judged here: "no refresh loser classified dead". In scenarios a grant one play
        // revokes is revoked for every play of that scenario, so a refresh may meet a really dead
        // grant, and Microsoft's answer to a spent refresh token is the same invalid_grant: the
        // counts cannot tell a loser from a refresh of a dead grant. `no-dead-retry` per run, and
        // each refresh token redeemed once, still are.
        report.deadRefreshesUnjudged = -report.refreshesAfterKill
        report.refreshesAfterKill = 0
        let verified = Set(committed.filter { $0.name == .reconnectVerified || $0.name == .caseResolved }.compactMap(\.caseID))
        let closed = Set(committed.filter { $0.name == .caseClosed }.compactMap(\.caseID))
        let absent = Set(committed.filter { $0.name == .actionReconciled && $0.result == "absent" }.compactMap(\.key))
        var seen = Set<Int>()
        var late = Set<String>()
        for played in try world.timelines() {
            seen.insert(played.index)
            // The run's own transitions: a play's engine may also decide for another run (present
            // the latest request of another run's case, confirm its action), which that run answers for.
            let whole = try StressScenarioCheck.transitions(played.jsonl, run: played.run)
            // `history-complete` accounts for every transition the play's engine journaled, whoever's run it was.
            report.breaches += InvariantChecker.check(whole, invariants: [.historyComplete]).map { "\(played.run): \($0.invariant.rawValue): \($0.message)" }
            let transitions = whole.filter { $0.run == nil || $0.run == played.run }
            late.formUnion(StressScenarioCheck.lateKeys(transitions))
            report.breaches += StressScenarioCheck.runBreaches(transitions, run: played.run,
                                                               settled: (verified: verified, closed: closed, absent: absent))
            try count(played.outcome, run: played.run, transitions: transitions, into: &report)
        }
        try cross.checkDatabase(into: &report, lateKeys: late)
        report.breaches += StressScenarioCheck.mergedBreaches(committed)
        for index in 0..<runs where !seen.contains(index) { report.breaches.append("stress run \(index) was lost: its play never finished") }
        for row in try world.query("SELECT id FROM cases WHERE play = ? AND state = 'awaiting-resume'") {
            report.breaches.append("case \(row[0].text ?? "?") was verified but its runs never resumed")
        }
        return report
    }

    /// The breaches of the invariants judged on the merged decision log.
    static func mergedBreaches(_ committed: [Transition]) -> [String] {
        InvariantChecker.check(committed, invariants: merged).map { "committed decisions: \($0.invariant.rawValue): \($0.message)" }
    }

    /// The breaches of one run's play, less those the merged log shows are another process's doing.
    static func runBreaches(_ ts: [Transition], run: String,
                            settled: (verified: Set<String>, closed: Set<String>, absent: Set<String>)) -> [String] {
        let opened = Set(ts.filter { $0.name == .caseOpened }.compactMap(\.caseID))
        let lastParked = ts.last(where: { $0.name == .runParked })?.caseID
        // A presentation refused because the case had moved on (used, superseded, escalated):
        // in one play only the story's own events do that; here another play's may, on its clock.
        // It excuses liveness only for the cases it was refused on (the breach's evidence).
        func movedElsewhere(_ cases: Set<String>) -> Bool {
            ts.contains { $0.name == .capabilityRefused && ["case-not-open", "superseded", "already-used"].contains($0.reason ?? "")
                && $0.caseID.map(cases.contains) == true }
        }
        return InvariantChecker.check(ts, invariants: perRun).filter { breach in
            let first = breach.evidence.first.map { ts[$0] }
            switch breach.invariant {
            case .liveness:
                let cases = Set(breach.evidence.compactMap { ts[$0].caseID })
                // Liveness judges the cases on the run's own timeline, on one clock. A run that ended
                // parked on a case another run opened waited on a case its timeline cannot show
                // answered; a shared case's reminders and expiry run on the clock of whichever play
                // holds its current capability, so another play may escalate it first.
                return !movedElsewhere(cases) && (lastParked.map(opened.contains) ?? true)
            case .identityBound where first?.name == .runResumed:
                return !settled.verified.contains(first?.caseID ?? "")
            case .durableCase where first?.name == .caseOpened && breach.evidence.count == 2:
                return !settled.closed.contains(first?.caseID ?? "")
            case .reconcileBeforeRetry where first?.name == .actionUnknown:
                return !settled.absent.contains(first?.key ?? "")
            default:
                return true
            }
        }.map { "\(run): \($0.invariant.rawValue): \($0.message)" }
    }

    /// A stored play's transitions (its JSONL lines).
    static func transitions(_ jsonl: String, run: String) throws -> [Transition] {
        try jsonl.split(separator: "\n").map { line in
            guard let value = try? JSONValue.parse(String(line)), case .success(let t) = TimelineJSON.transition(from: value) else {
                throw UsageError(command: "stress", text: "the stored timeline of \(run) holds a line that is not a transition")
            }
            return t
        }
    }

    /// The keys of effects a provider applied past its declared bound (a `late-apply`): a second
    /// effect they cause is the provider's broken promise, charged to it as in `run`, not to `effect-once`.
    static func lateKeys(_ ts: [Transition]) -> [String] {
        ts.filter { $0.name == .effectApplied && $0.notes.contains { $0.name == "late" } }.compactMap(\.key)
    }

    /// Counts how the run ended. A parked run must be parked on a case still open (awaiting a
    /// reconnect, or escalated to an operator): one whose case was resolved was never resumed.
    func count(_ outcome: String, run: String, transitions: [Transition], into report: inout StressReport) throws {
        switch outcome {
        case "completed": report.completed += 1
        case "failed":
            report.failed += 1
            // Some stories end failed. A run whose story does not was given up under the race,
            // which "every run completed or parked with an open case" forbids: a run that meets a
            // connection another run left dead must wait on that case, not be fenced until the
            // runtime gives up (the gap this check first found).
            let scenario = String(run.prefix { $0 != "/" })
            if expected[scenario] != .failed {
                let reason = transitions.last(where: { $0.name == .runFailed })?.reason ?? "?"
                report.breaches.append("\(run) failed, but its scenario ends \(expected[scenario]?.rawValue ?? "?"): \(reason)")
            }
        default:
            report.parked += 1
            // Parked by the runtime (waiting for a worker or an invoke) rather than on a case: the story's own ending.
            guard let parked = transitions.lastIndex(where: { $0.name == .runParked }),
                  !transitions[parked...].contains(where: { $0.name == .runResumed }) else { return }
            let caseID = transitions[parked].caseID ?? ""
            let state = try world.caseState(caseID)
            if state != "awaiting-reconnect" && state != "escalated" {
                report.breaches.append("\(run) ended parked on case \(caseID), which is \(state ?? "missing"): it was never resumed")
            }
        }
    }
}
