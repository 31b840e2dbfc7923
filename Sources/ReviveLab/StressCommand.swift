#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Revive
import ReviveStore
import ReviveVocabulary

/// `revive-lab stress`: many real OS processes race on one store, some are SIGKILLed and
/// restarted, and the cross-process invariants are checked over the database and every timeline.
enum StressCommand {
    static let usage = """
    Usage: revive-lab stress [PATH...] --store URL|FILE [--processes N] [--runs M] [--kills K] [--seed S]
                             [--output DIR]
           revive-lab stress --contention --store URL|FILE [--connections C] [...]

    Starts N revive-lab processes that play M runs between them on one store (a postgres:// URL,
    or a SQLite file on this host). K processes are killed with SIGKILL, each after a decision
    number drawn from the seed, and restarted; a restarted process carries on from the database.

    Stress run k plays scenario k mod count of the PATHs (scenario files and folders, as `run`
    takes them; without PATHs, the shipped catalogue: the folder `scenarios` here), each run on
    its own virtual clock. Plays of the same scenario share its
    connections in every process (named SCENARIO/ID), so they race on the same grants,
    capabilities and generations; the provider's grants, rotating refresh tokens and effects and
    the owners' inbox live in the same database; a run parked on a case another process resolves
    is resumed in its own process. With --contention it plays the contention workload instead:
    each run posts one update through one of C connections, the provider's answers drawn from
    the seed (the sharpest race generator: one rotating refresh token, one capability).

    Every process's timeline is kept as JSONL under DIR. Then it checks every finished timeline
    with the invariant checker (per run, and the engine's committed decisions together) and the
    cross-process invariants: each capability consumed at most once, each generation rotated
    once, each refresh token redeemed once and no refresh loser classified dead, each effect
    once, no run lost, every run ended and none parked on a case that was resolved.
    The inputs and the kill schedule follow from the seed; the interleaving does not.

    Options:
      --store URL|FILE   the shared store (required)
      --processes N      processes at once (default 4)
      --runs M           runs in all (default 40)
      --kills K          SIGKILLs, each followed by a restart (default 0)
      --seed S           the seed of the outcomes and the kill schedule (default 1)
      --contention       play the contention workload, not scenarios
      --connections C    connections the contention workload shares (default 3; only with
                         --contention: scenarios name their own connections)
      --output DIR       where each process's JSONL goes (default: a new folder under /tmp)
      --plant BUG        debug builds only: switch on the store's planted bug, which checks a
                         capability in one transaction and consumes it in the next (docs/store.md),
                         or a planted engine bug (as `run --plant`) in every scenario play

    Exit codes: 0 every invariant held, 1 an invariant was breached, 2 usage or store error.

    """

    static var syntax: CommandSyntax {
        var options: [OptionSpec] = [
            .value("--store", needs: "a postgres:// URL or a store file"),
            .number("--processes", in: 1...64),
            .number("--runs", in: 1...100_000),
            .number("--kills", in: 0...10_000),
            .number("--seed", in: UInt64(0)...UInt64.max),
            .flag("--contention"),
            .number("--connections", in: 1...1_000),
            .value("--output", needs: "a directory"),
        ]
        #if REVIVE_PLANTED_BUGS
        let bugs = StorePlantedBug.allCases.map(\.rawValue) + PlantedBug.allCases.map(\.rawValue)
        options.append(OptionSpec(names: ["--plant"], needs: "one of \(bugs.joined(separator: ", "))", repeatable: false,
                                  accepts: { bugs.contains($0) }))
        #endif
        return CommandSyntax(command: "stress", usage: usage, options: options,
                             positionals: PositionalSpec(minimum: 0, maximum: nil, missing: "", tooMany: ""))
    }

    struct Options {
        /// The scenario files and folders (empty: the contention workload).
        var paths: [String]
        var store: String
        var processes: Int
        var runs: Int
        var kills: Int
        var seed: UInt64
        var connections: Int
        var output: String?
        var plant: String?

        init(_ parsed: ParsedArguments) throws(UsageError) {
            guard let store = parsed.value("--store") else { throw StressCommand.syntax.error("name the shared store with --store URL|FILE") }
            paths = try StressCommand.workload(parsed)
            self.store = store
            processes = parsed.number("--processes") ?? 4
            runs = parsed.number("--runs") ?? 40
            kills = parsed.number("--kills") ?? 0
            seed = parsed.number("--seed", as: UInt64.self) ?? 1
            connections = parsed.number("--connections") ?? 3
            output = parsed.value("--output")
            plant = parsed.value("--plant")
        }
    }

    static func run(_ arguments: [String], console: LabCommand.Console) -> LabCommand.ExitCode {
        switch syntax.options(from: arguments, console: console, Options.init) {
        case .done(let code): return code
        case .proceed(let options):
            let (files, problems) = StressScenarios.load(options.paths)
            guard problems.isEmpty else {
                for problem in problems { console.err("error: \(problem)\n") }
                return .usage
            }
            do {
                return try StressRunner(options, scenarioFiles: files, console: console).run()
            } catch let error as UsageError {
                console.err(error.message)
            } catch {
                console.err("error: --store \(options.store): \(error)\n")
            }
            return .usage
        }
    }

    /// The folder `stress` plays when given no PATH: the shipped catalogue, as the repository has it.
    static let catalogue = "scenarios"

    /// The scenario paths to play, or none for the contention workload (`--contention`).
    static func workload(_ parsed: ParsedArguments) throws(UsageError) -> [String] {
        let contention = parsed.isSet("--contention")
        if contention {
            guard parsed.positionals.isEmpty else {
                throw syntax.error("--contention plays its own workload: give it no scenario PATH")
            }
            return []
        }
        if parsed.value("--connections") != nil {
            throw syntax.error("--connections is for the contention workload only (--contention): scenarios name their own connections")
        }
        if !parsed.positionals.isEmpty { return parsed.positionals }
        guard FileSystem.kind(atPath: catalogue) == .folder else {
            throw syntax.error("no PATH given and no folder `\(catalogue)` here: name scenario files or folders, "
                + "run it where the shipped catalogue is, or play the contention workload with --contention")
        }
        return [catalogue]
    }

    /// The kill points: for each process, the decision numbers after which its incarnations die.
    static func killSchedule(_ options: Options) -> [[Int]] {
        var schedule = Array(repeating: [Int](), count: options.processes)
        var draw = SeededDraw(options.seed, "kills", options.processes, options.runs)
        let perProcess = max(8, options.runs * 5 / options.processes)
        for _ in 0..<options.kills {
            let process = Int(draw.next() % UInt64(options.processes))
            schedule[process].append(3 + Int(draw.next() % UInt64(max(1, perProcess / 3))))
        }
        return schedule
    }
}
