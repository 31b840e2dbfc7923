#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Revive
import ReviveStore
import ReviveVocabulary
import ReviveWorld

/// `revive-lab stress-worker` with scenarios: one OS process of a `stress PATH...` play.
///
/// It plays its share of the stress runs, each a real scenario play (`WorldPlay`) whose engine
/// keeps its state in the shared store and whose provider, inbox and foreign cases are rows of
/// the same database (`StressSharedWorld`). A play that finishes keeps its whole timeline in the
/// database (`stress_timelines`) and in this process's JSONL; a restarted process plays again
/// every one of its runs that has no finished timeline, from its start, on what the database
/// holds: the engine's ledger and the provider's effects outlive the killed process, so a step
/// already done is found done (`alreadyDone`, or a lookup by its key), not done twice.
final class StressScenarioWorker {
    let options: StressWorkerOptions
    let world: StressWorld
    let shared: StressSharedWorld
    let store: SharedRecoveryStore
    let ids: StressIDs
    let scenarios: [Scenario]
    let jsonl: OutputFile
    /// The plays that ended parked on a case still open, kept to resume if another process resolves it.
    var pending: [Int: (play: SharedPlay, run: String)] = [:]

    init(_ options: StressWorkerOptions, scenarioList: String) throws(RecoveryStoreError) {
        self.options = options
        world = try StressWorld(location: options.store, play: options.play, libpqPath: options.libpq)
        #if REVIVE_PLANTED_BUGS
        world.plantUnlockedRefresh = options.plantUnlockedRefresh
        #endif
        shared = StressSharedWorld(world: world, process: options.process)
        store = try StressWorker.openStore(options)
        ids = StressIDs(tag: "p\(options.process)i\(options.incarnation)", seed: options.seed)
        do {
            guard case .success(let list) = FileSystem.text(atPath: scenarioList) else {
                throw InputError(file: scenarioList, "cannot read the list of scenario files")
            }
            let files = list.split(separator: "\n").map(String.init)
            scenarios = try files.map { (file) throws(InputError) in try ScenarioLoader.load(path: file) }
        } catch {
            throw RecoveryStoreError(code: .unavailable, message: "cannot read the scenarios of \(scenarioList): \(error)")
        }
        guard let handle = OutputFile(creatingAt: options.jsonl) else {
            throw RecoveryStoreError(code: .unavailable, message: "cannot write \(options.jsonl)")
        }
        jsonl = handle
        let (shared, dieAfter) = (shared, options.dieAfter)
        if options.incarnation > 0 {
            try world.forgetParkedPlays(of: options.process)
            try StressRestartSweep.run(world: world, shared: shared, store: store, ids: ids, process: options.process,
                                       recorder: StressFileRecorder(file: handle))
        }
        store.afterCommit = { decisions in
            shared.releaseAfterCommit()
            if decisions == dieAfter {
                handle.synchronize()
                kill(getpid(), SIGKILL)
            }
        }
    }

    /// Plays every run of this process that the database does not show finished, then resumes
    /// the parked ones whose case another process resolves, until every run has ended.
    func play() throws(RecoveryStoreError) {
        for index in options.runs where try !world.hasTimeline(index: index) { try play(run: index) }
        try finalPass()
        jsonl.synchronize()
    }

    /// Until every run of the stress play has ended (and once more after that), resumes each
    /// kept play whose case was resolved. Nobody presents a capability after every play ended,
    /// so what is still parked then stays parked, its case open. Bounded by a count of rounds
    /// (3,000 of 20 ms, about a minute), not by reading a clock.
    func finalPass() throws(RecoveryStoreError) {
        shared.polls = 1
        var rounds = 0
        while !pending.isEmpty && rounds < 3_000 {
            rounds += 1
            let allEnded = try world.finishedPlays() >= options.total
            for (index, kept) in pending.sorted(by: { $0.key < $1.key }) {
                guard let played = kept.play.resumeIfResolved() else { continue }
                try keep(played, index: index, scenarioRun: kept.run)
                if kept.play.parkedOn == nil { pending[index] = nil }
            }
            if allEnded { break }
            usleep(20_000)
        }
    }

    /// Plays stress run `index` to its end and keeps its timeline.
    func play(run index: Int) throws(RecoveryStoreError) {
        var scenario: Scenario
        do { scenario = try StressScenarios.copy(of: scenarios[index % scenarios.count], index: index, seed: options.seed) } catch {
            throw RecoveryStoreError(code: .unavailable, message: "stress run \(index): \(error)")
        }
        #if REVIVE_PLANTED_BUGS
        scenario.recovery.plantedBugs = options.plantedBugs
        #endif
        let run = scenario.workflow.run.rawValue
        try world.setRun(run, process: options.process, state: "running", attempt: 0, caseID: nil)
        let play = SharedPlay(scenario, store: store, shared: shared, ids: ids)
        let played = play.play()
        try keep(played, index: index, scenarioRun: run)
        if play.parkedOn != nil { pending[index] = (play, run) }
    }

    /// Keeps a play that ended: its timeline in the database and this process's JSONL, and where its run stands.
    func keep(_ played: WorldPlay, index: Int, scenarioRun run: String) throws(RecoveryStoreError) {
        if let failure = played.storeFailure { throw failure }
        let lines = played.transitions.enumerated().map { TimelineJSON.object(for: $0.element, sequence: $0.offset).compactText + "\n" }
        StressBroker.write(lines.joined(), to: jsonl)
        try world.saveTimeline(index: index, run: run, process: options.process, incarnation: options.incarnation,
                               outcome: played.outcome.rawValue, jsonl: lines.joined())
        let parkedOn = played.transitions.last(where: { $0.name == .runParked })?.caseID
        try world.setRun(run, process: options.process, state: played.outcome.rawValue, attempt: 0,
                         caseID: played.outcome == .parked ? parkedOn : nil)
    }
}
