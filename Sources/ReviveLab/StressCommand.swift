import Foundation
import Revive
import ReviveStore
import ReviveVocabulary

/// `revive-lab stress`: many real OS processes race on one store, some are SIGKILLed and
/// restarted, and the cross-process invariants are checked over the database and every timeline.
enum StressCommand {
    static let usage = """
    Usage: revive-lab stress --store URL|FILE [--processes N] [--runs M] [--kills K] [--seed S]
                             [--connections C] [--output DIR]

    Starts N revive-lab processes that play M runs between them on one store (a postgres:// URL,
    or a SQLite file on this host). Each run posts one update through one of C connections that
    every process shares, so refreshes of the same rotating refresh token, reconnects presenting
    the same capability and generation rotations race between processes. The provider's state
    (refresh tokens, redeemable once; the effects of calls; the owners' inbox) lives in the same
    database. K processes are killed with SIGKILL, each after a decision number drawn from the
    seed, and restarted; a restarted process carries on from the database. Each process keeps its
    timeline as JSONL under DIR. Then it checks: each capability consumed at most once, each
    generation rotated once, each refresh token redeemed once and no refresh loser classified
    dead, each effect once, no run lost, every run completed or parked with an open case.
    The inputs and the kill schedule follow from the seed; the interleaving does not.

    Options:
      --store URL|FILE   the shared store (required)
      --processes N      processes at once (default 4)
      --runs M           runs in all (default 40)
      --kills K          SIGKILLs, each followed by a restart (default 0)
      --seed S           the seed of the outcomes and the kill schedule (default 1)
      --connections C    connections the runs share (default 3)
      --output DIR       where each process's JSONL goes (default: a new folder under /tmp)
      --plant BUG        debug builds only: switch on the store's planted bug, which checks a
                         capability in one transaction and consumes it in the next (docs/store.md)

    Exit codes: 0 every invariant held, 1 an invariant was breached, 2 usage or store error.

    """

    static var syntax: CommandSyntax {
        var options: [OptionSpec] = [
            .value("--store", needs: "a postgres:// URL or a store file"),
            .number("--processes", in: 1...64),
            .number("--runs", in: 1...100_000),
            .number("--kills", in: 0...10_000),
            .number("--seed", in: UInt64(0)...UInt64.max),
            .number("--connections", in: 1...1_000),
            .value("--output", needs: "a directory"),
        ]
        #if REVIVE_PLANTED_BUGS
        options.append(.choice("--plant", of: StorePlantedBug.self))
        #endif
        return CommandSyntax(command: "stress", usage: usage, options: options,
                             positionals: .none(tooMany: "takes no paths yet: it plays its own workload (see --help)"))
    }

    struct Options {
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
            do {
                return try StressRunner(options, console: console).run()
            } catch let error as UsageError {
                console.err(error.message)
            } catch {
                console.err("error: --store \(options.store): \(error)\n")
            }
            return .usage
        }
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
