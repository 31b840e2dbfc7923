#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Revive
import ReviveCheck
import ReviveExplore
import ReviveStore
import ReviveVocabulary
import ReviveWorld

/// `revive-lab kill-child`: the two processes of one `explore --kill` point. Internal: the
/// explorer starts it, people do not (it is in no help).
///
/// - The first plays the scenario with the engine's state in the store file and SIGKILLs
///   itself right before or right after the COMMIT of decision K.
/// - The second (`--resume`) is the fresh process: it plays the killed process's part again in
///   memory up to the kill, takes over the store file, finishes the run, and prints the outcome
///   and every breach of the committed history of both processes.
enum KillChildCommand {
    struct Options {
        var file: String
        var store: String
        var point: KillPoint
        var resume: Bool
        var plants: [String]
    }

    /// Exit codes of the first process when the kill never came (the play committed fewer decisions).
    static let notReached: Int32 = 3

    static func run(_ arguments: [String], console: LabCommand.Console) -> LabCommand.ExitCode {
        guard let options = parse(arguments) else {
            console.err("revive-lab kill-child: internal command of `explore --kill`; see `revive-lab explore --help`\n")
            return .usage
        }
        var scenario: Scenario
        do { scenario = try ScenarioLoader.load(path: options.file) } catch {
            for problem in error.problems { console.err("error: \(problem)\n") }
            return .usage
        }
        #if REVIVE_PLANTED_BUGS
        scenario.recovery.plantedBugs = Set(options.plants.compactMap(PlantedBug.init(rawValue:)))
        #endif
        do throws(RecoveryStoreError) {
            let file = try SQLiteStoreFile(path: options.store)
            return options.resume ? resume(scenario, file: file, options: options, console: console)
                                  : try killed(scenario, file: file, options: options, console: console)
        } catch {
            console.err("error: --store \(options.store): \(error)\n")
            return .usage
        }
    }

    /// Plays on the store file until the kill point, where the process kills itself.
    static func killed(_ scenario: Scenario, file: SQLiteStoreFile, options: Options,
                       console: LabCommand.Console) throws(RecoveryStoreError) -> LabCommand.ExitCode {
        let store = try file.beginPlay(scenario: scenario.name, seed: scenario.seed, mode: RecoveryMode.revive.rawValue)
        let point = options.point
        store.commitHook = { decision, committed in
            if decision == point.decision && committed == point.afterCommit { kill(getpid(), SIGKILL) }
        }
        _ = ScenarioPlayer.play(scenario, store: store)
        console.out("not reached: the play committed \(try store.committedDecisions()) decisions\n")
        exit(notReached)
    }

    /// The fresh process: takes over the store file at the kill point and carries the run to its end.
    static func resume(_ scenario: Scenario, file: SQLiteStoreFile, options: Options, console: LabCommand.Console) -> LabCommand.ExitCode {
        let point = options.point
        let play = WorldPlay.playRestarted(scenario, killedAt: point) { () throws(RecoveryStoreError) -> Restart in
            let store = SQLiteRecoveryStore.resume(play: 1, in: file)
            let committed = point.afterCommit ? try store.transitions(ofDecision: point.decision) : []
            return Restart(store: store, committedAtKill: committed)
        }
        if let failure = play.storeFailure { console.out("store-failure \(failure)\n") }
        if let limit = play.limitReached { console.out("limit \(limit)\n") }
        console.out("outcome \(play.outcome.rawValue)\n")
        for breach in InvariantChecker.check(play.transitions) {
            console.out("breach \(breach.invariant.rawValue): \(breach.message)\n")
        }
        console.out("timeline\n" + TextRenderer(color: false).render(ScenarioPlayer.judge(play, scenario: scenario), showing: nil))
        return .passed
    }

    static func parse(_ arguments: [String]) -> Options? {
        var file: String?
        var store: String?
        var decision: Int?
        var after: Bool?
        var resume = false
        var plants: [String] = []
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--store": store = rest.popFirst()
            case "--kill-at": decision = rest.popFirst().flatMap { Int($0) }
            case "--commit": after = rest.popFirst().map { $0 == "after" }
            case "--resume": resume = true
            case "--plant": rest.popFirst().map { plants.append($0) }
            default: file = argument
            }
        }
        guard let file, let store, let decision, let after else { return nil }
        return Options(file: file, store: store, point: KillPoint(decision: decision, afterCommit: after), resume: resume, plants: plants)
    }
}
