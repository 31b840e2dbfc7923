#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// The command line's behaviour, kept in the library so tests can reach it; `main.swift` only
/// calls `LabCommand.main`.
public enum LabCommand {
    /// The lab's version.
    public static let version = "0.1.0"

    /// Exit codes: every scenario passed, something failed, or usage/input error.
    public enum ExitCode: Int32 {
        case passed = 0
        case failed = 1
        case usage = 2
    }

    /// Where output goes.
    public struct Console {
        /// Writes to standard output. Replacing it drops `outBytes`, which wrote to the old
        /// destination: a console that captures `out` (as `bench --record` does) captures
        /// everything, the bytes `write(_:)` hands on included.
        public var out: (String) -> Void { didSet { outBytes = nil } }
        /// Writes to standard error.
        public var err: (String) -> Void
        /// Whether standard output is a terminal (for colour).
        public var isTerminal: Bool
        /// The environment variables the lab reads (`LabCommand.environmentVariables`), by name.
        public var environment: [String: String]
        /// Reads all of standard input (for `classify -`).
        public var readStandardInput: () -> [UInt8]?
        /// Whether standard error is a terminal (for progress lines).
        public var errorIsTerminal: Bool
        /// A monotonic clock in seconds, read only by `bench` and `explore` to report time taken;
        /// the executable supplies it so that nothing in the library reads a clock.
        public var monotonicSeconds: () -> Double
        /// Writes UTF-8 bytes to standard output as they are; nil: `write(_:)` makes them a String
        /// for `out`. `run` prints its rendered timelines this way: made Strings, their bytes were
        /// checked as UTF-8 (some 2,000 instructions a scenario) only to be written out unchanged.
        public var outBytes: ((UnsafeRawBufferPointer) -> Void)?

        /// Makes a console.
        public init(out: @escaping (String) -> Void, err: @escaping (String) -> Void, isTerminal: Bool, environment: [String: String],
                    readStandardInput: @escaping () -> [UInt8]? = { nil }, errorIsTerminal: Bool = false,
                    monotonicSeconds: @escaping () -> Double = { 0 }, outBytes: ((UnsafeRawBufferPointer) -> Void)? = nil) {
            self.out = out
            self.err = err
            self.isTerminal = isTerminal
            self.environment = environment
            self.readStandardInput = readStandardInput
            self.errorIsTerminal = errorIsTerminal
            self.monotonicSeconds = monotonicSeconds
            self.outBytes = outBytes
        }

        /// Writes `bytes`, valid UTF-8, to standard output: through `outBytes`, or as a String
        /// through `out` (the same bytes either way).
        func write(_ bytes: UnsafeRawBufferPointer) {
            if let outBytes { outBytes(bytes) } else { out(String(decoding: bytes, as: UTF8.self)) }
        }
    }

    /// Every environment variable the lab reads, so the executable hands over these alone rather
    /// than a dictionary of the whole environment (Foundation's `ProcessInfo.environment` cost a
    /// fifth of the instructions of `revive-lab --version` past the dynamic linker).
    public static let environmentVariables = ["NO_COLOR", "REVIVE_LIBPQ"]

    static let usage = """
    revive-lab \(version): a fault injector and lab for credential recovery in agent workflows.

    Usage:
      revive-lab run PATH... [--seed N] [--format F] [--output DIR] [--only PATTERN] [--store FILE|URL] [--quiet] [--without-revive] [--no-color] [--jobs N]
      revive-lab validate PATH...
      revive-lab schema
      revive-lab check PATH... [--no-color]
      revive-lab replay PATH...
      revive-lab history --store FILE|URL [--play N] [--run ID] [--connection ID] [--case ID] [--class C] [--name N] [--since +T] [--until +T] [--format F]
      revive-lab stress [PATH... | --contention [--connections C]] --store URL|FILE [--processes N] [--runs M] [--kills K] [--seed S] [--output DIR]
      revive-lab compare PATH... [--seed N]
      revive-lab explore PATH... [--depth 1|2] [--seeds N [--seed-from K]] [--liveness] [--attempts N] [--no-time] [--provider-faults] [--jobs N] [--out DIR] [--kill [--kill-at K]]
      revive-lab bench [DIR] [--repetitions N] [--seeds N] [--explore FILE] [--long-run STEPS] [--only SECTION] [--record FILE] [--store FILE]
      revive-lab classify [FILE | -] --provider NAME [--broker NAME] [--json]
      revive-lab --help | --version
      revive-lab COMMAND --help

    Every option that takes a value takes it as --option VALUE or --option=VALUE; -- ends the
    options (what follows is a path even if it starts with -). PATH may be a file or a
    directory for every command that takes one. Debug builds (`swift build`) also give run,
    explore and stress --plant BUG, which switches on a planted bug (release builds have none).

    Commands:
      run       play scenario files (a directory means every *.json below it) and print their timelines
      validate  check scenario files against the format without playing them (every problem, every file)
      schema    print the JSON Schema of the scenario format
      check     run the invariant checker over recorded JSONL timelines
      replay    play a recorded JSONL timeline's scenario again and report where history diverges
      compare   play scenarios with Revive and without it, side by side
      history   list and search the plays kept in a store (`run --store FILE|URL`)
      stress    race many real processes on one store (PostgreSQL or SQLite), with SIGKILLs; check it held
      explore   search the fault space around a scenario; shrink any breach to a replayable file
      bench     measure transitions/s, scenarios/s, schedules/s and peak memory on one core
      classify  classify one real provider failure: class, rule, confidence and recovery action

    Exit codes:
      0  every scenario passed
      1  at least one scenario broke an expectation or an invariant
      2  usage or input error (bad flag, unreadable or invalid scenario file)

    """

    /// Every command's grammar, for the help and the tests that keep the help complete.
    static var syntaxes: [CommandSyntax] {
        [RunCommand.syntax, ValidateCommand.syntax, ValidateCommand.schemaSyntax, CheckCommand.syntax, ReplayCommand.syntax,
         CompareCommand.syntax, ExploreCommand.syntax, BenchCommand.syntax, ClassifyCommand.syntax, StressCommand.syntax]
    }

    /// Runs the command line and returns the exit code.
    public static func main(arguments: [String], console: Console) -> Int32 {
        guard let command = arguments.first else {
            console.err(usage)
            return ExitCode.usage.rawValue
        }
        switch command {
        case "-h", "--help", "help":
            console.out(usage)
            return ExitCode.passed.rawValue
        case "--version", "-V":
            console.out("revive-lab \(version)\n")
            return ExitCode.passed.rawValue
        case "run":
            return RunCommand.run(Array(arguments.dropFirst()), console: console).rawValue
        case "validate":
            return ValidateCommand.run(Array(arguments.dropFirst()), console: console).rawValue
        case "schema":
            return ValidateCommand.schema(Array(arguments.dropFirst()), console: console).rawValue
        case "bench":
            return BenchCommand.run(Array(arguments.dropFirst()), console: console).rawValue
        case "explore":
            return ExploreCommand.run(Array(arguments.dropFirst()), console: console).rawValue
        case "compare":
            return CompareCommand.run(Array(arguments.dropFirst()), console: console).rawValue
        case "replay":
            return ReplayCommand.run(Array(arguments.dropFirst()), console: console).rawValue
        case "history":
            return HistoryCommand.run(Array(arguments.dropFirst()), console: console).rawValue
        case "stress":
            return StressCommand.run(Array(arguments.dropFirst()), console: console).rawValue
        case "stress-worker":
            // Hidden: the processes `stress` starts.
            return StressWorker.main(Array(arguments.dropFirst()), console: console).rawValue
        case "check":
            return CheckCommand.run(Array(arguments.dropFirst()), console: console).rawValue
        case "kill-child":
            // Internal: the processes `explore --kill` starts and kills (in no help).
            return KillChildCommand.run(Array(arguments.dropFirst()), console: console).rawValue
        case "classify":
            return ClassifyCommand.run(Array(arguments.dropFirst()), console: console, readStandardInput: console.readStandardInput).rawValue
        default:
            console.err("revive-lab: unknown command \"\(command)\"; run `revive-lab --help` for the commands\n")
            return ExitCode.usage.rawValue
        }
    }
}
