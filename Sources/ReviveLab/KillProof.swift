#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Revive
import ReviveExplore
import ReviveStore
import ReviveWorld

/// `explore FILE --kill`: real SIGKILLs at every durable commit of the engine.
///
/// For each decision K after the connections' registrations, and for a kill right before and
/// right after its COMMIT: a child process plays the scenario on a fresh store file and kills
/// itself there; the file must then hold exactly the decisions committed before the kill (K - 1,
/// or K) with its digest chain whole; a second, fresh process takes the file over and carries the
/// run to its end. The point holds when the committed history of both processes breaks no
/// invariant, the run ends as it does without the kill (not stuck), and nothing the killed process
/// committed is lost: no case, no ledger entry, no generation, no capability consumption.
///
/// A SIGKILL tests crash atomicity: the operating system keeps the pages the process wrote. It
/// says nothing of power loss, which needs a file layer that drops unsynced writes.
enum KillProof {
    /// What one kill point showed.
    struct PointResult {
        let point: KillPoint
        /// Why it failed (empty: it held).
        var problems: [String] = []
        /// The second process's report (outcome, breaches, timeline), kept for a failure.
        var report = ""
    }

    /// The reference: the same scenario on a store file, never killed.
    struct Reference {
        let decisions: Int
        let outcome: String
        let final: StoreSnapshot
    }

    /// Runs the proof on one scenario; `only` narrows it to one decision. Prints progress and the verdict.
    static func run(_ file: String, base: Scenario, only: Int?, plants: [String], console: LabCommand.Console) -> LabCommand.ExitCode {
        guard let folder = scratchFolder() else {
            console.err("error: cannot make a scratch folder under \(FileSystem.temporaryFolder) for the kill proof's store files\n")
            return .usage
        }
        defer { FileSystem.removeTree(folder) }
        let reference: Reference
        do throws(RecoveryStoreError) { reference = try referencePlay(base, in: folder) } catch {
            console.err("error: the reference play on a store file failed: \(error)\n")
            return .usage
        }
        let first = base.connections.count + 1
        if let only, !(first...max(first, reference.decisions)).contains(only) {
            // A point no play reaches would prove nothing: "0 kill points, 0 held" must not pass.
            console.err("error: --kill-at \(only): \(base.name) makes \(reference.decisions) engine decisions and decisions 1-\(first - 1) "
                        + "register its connections; give a decision from \(first) to \(reference.decisions)\n")
            return .usage
        }
        let decisions = only.map { [$0] } ?? Array(first...max(first, reference.decisions))
        console.out("explore \(base.name) (\(file)): kill, \(reference.decisions) engine decisions, registrations 1-\(first - 1) not killed\n")
        var results: [PointResult] = []
        for decision in decisions where decision >= first && decision <= reference.decisions {
            for after in [false, true] {
                let point = KillPoint(decision: decision, afterCommit: after)
                results.append(prove(point, file: file, reference: reference, plants: plants,
                                     store: Path.join(folder, "k\(decision)-\(after ? "a" : "b").db")))
            }
        }
        let failed = results.filter { !$0.problems.isEmpty }
        console.out("  \(results.count) kill points, \(results.count - failed.count) held\n")
        for result in failed {
            console.out("  FAIL \(result.point.label): \(result.problems.joined(separator: "; "))\n")
            console.out("       reproduce: revive-lab explore \(file) --kill --kill-at \(result.point.decision)"
                        + plants.map { " --plant \($0)" }.joined() + "\n")
        }
        if let first = failed.first, !first.report.isEmpty {
            console.out("  what the fresh process saw at \(first.point.label):\n")
            console.out(first.report.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n") + "\n")
        }
        return failed.isEmpty ? .passed : .failed
    }

    /// A fresh folder for the store files, named by the operating system (`mkdtemp`), not by a
    /// random draw of ours.
    static func scratchFolder() -> String? { FileSystem.makeTemporaryFolder(prefix: "revive-kill-") }

    /// Plays the scenario once on a store file, in this process, never killed.
    static func referencePlay(_ base: Scenario, in folder: String) throws(RecoveryStoreError) -> Reference {
        let file = try SQLiteStoreFile(path: Path.join(folder, "reference.db"))
        let store = try file.beginPlay(scenario: base.name, seed: base.seed, mode: RecoveryMode.revive.rawValue)
        let result = ScenarioPlayer.play(base, store: store)
        if let failure = result.storeFailure { throw failure }
        return Reference(decisions: try store.committedDecisions(), outcome: result.outcome.rawValue, final: try file.snapshot(of: store.play))
    }

    /// One kill point: kill, check the file, restart, check the end.
    static func prove(_ point: KillPoint, file: String, reference: Reference, plants: [String], store: String) -> PointResult {
        var result = PointResult(point: point)
        let arguments = ["kill-child", file, "--store", store, "--kill-at", String(point.decision),
                         "--commit", point.afterCommit ? "after" : "before"] + plants.flatMap { ["--plant", $0] }
        let killed = ChildProcess.run(arguments)
        guard killed.signal == SIGKILL else {
            result.problems.append("the first process was not killed at the point (\(killed.describe()))")
            return result
        }
        let before: StoreSnapshot
        do throws(RecoveryStoreError) { before = try SQLiteStoreFile(path: store).snapshot(of: 1) } catch {
            result.problems.append("the store file did not survive the kill: \(error)")
            return result
        }
        let expected = point.decision - (point.afterCommit ? 0 : 1)
        if before.decisions != expected {
            result.problems.append("the killed process left \(before.decisions) committed decisions, not \(expected)")
        }
        let resumed = ChildProcess.run(arguments + ["--resume"])
        result.report = resumed.output
        guard resumed.status == 0 else {
            result.problems.append("the fresh process failed (\(resumed.describe()))")
            return result
        }
        do throws(RecoveryStoreError) {
            let end = try SQLiteStoreFile(path: store).snapshot(of: 1)
            result.problems += judge(resumed.output, end: end, reference: reference)
            result.problems += lost(before, after: end, reference: reference.final)
        } catch {
            result.problems.append("the store file is damaged after the restart: \(error)")
        }
        return result
    }

    /// The fresh process's report: no breach, no store failure, and the run neither stuck nor
    /// failed where the unkilled play completed. A kill moves time (the runtime notices the dead
    /// workers at its heartbeat timeout), so a story with timed faults may end waiting for an
    /// owner where it completed unkilled; it may not end unfinished with nobody left to act:
    /// parked with no case waiting for its owner or an operator.
    static func judge(_ report: String, end: StoreSnapshot, reference: Reference) -> [String] {
        var problems: [String] = []
        for line in report.split(separator: "\n").prefix(while: { $0 != "timeline" }) {
            if line.hasPrefix("breach ") || line.hasPrefix("store-failure ") || line.hasPrefix("limit ") {
                problems.append(String(line))
            } else if line == "outcome parked", reference.outcome != "parked",
                      !end.cases.values.contains(where: { $0 == "awaiting-reconnect" || $0 == "escalated" }) {
                problems.append("the run is stuck: unfinished, with no case waiting for anyone (unkilled, it ended \(reference.outcome))")
            } else if line == "outcome failed", reference.outcome == "completed" {
                problems.append("the run failed where, unkilled, it completed")
            }
        }
        return problems
    }

    /// What the killed process committed that the end state no longer has. A record the
    /// uninterrupted play pruned by its end (retention) may be gone; anything else may not.
    static func lost(_ committed: StoreSnapshot, after end: StoreSnapshot, reference: StoreSnapshot) -> [String] {
        var problems: [String] = []
        for id in committed.cases.keys.sorted() where end.cases[id] == nil && reference.cases[id] != nil {
            problems.append("case \(id) was lost")
        }
        for key in committed.ledger.keys.sorted() where end.ledger[key] == nil && reference.ledger[key] != nil {
            problems.append("ledger entry \(key) was lost")
        }
        for (connection, generation) in committed.generations.sorted(by: { $0.key < $1.key }) where (end.generations[connection] ?? 0) < generation {
            problems.append("\(connection)'s generation went back from \(generation)")
        }
        for id in committed.consumed.sorted() where !end.consumed.contains(id) && reference.consumed.contains(id) {
            problems.append("capability \(id)'s consumption was lost")
        }
        return problems
    }
}
