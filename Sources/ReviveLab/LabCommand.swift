import Foundation
import Revive

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
        /// Writes to standard output.
        public var out: (String) -> Void
        /// Writes to standard error.
        public var err: (String) -> Void
        /// Whether standard output is a terminal (for colour).
        public var isTerminal: Bool
        /// The environment (for NO_COLOR).
        public var environment: [String: String]
        /// Reads all of standard input (for `classify -`).
        public var readStandardInput: () -> Data?

        /// Makes a console.
        public init(out: @escaping (String) -> Void, err: @escaping (String) -> Void, isTerminal: Bool, environment: [String: String],
                    readStandardInput: @escaping () -> Data? = { nil }) {
            self.out = out
            self.err = err
            self.isTerminal = isTerminal
            self.environment = environment
            self.readStandardInput = readStandardInput
        }
    }

    static let usage = """
    revive-lab \(version): a fault injector and lab for credential recovery in agent workflows.

    Usage:
      revive-lab run PATH... [--seed N] [--no-color]
      revive-lab classify [FILE | -] --provider NAME [--broker NAME] [--json]
      revive-lab --help | --version
      revive-lab COMMAND --help

    Commands:
      run       play scenario files (a directory means every *.json below it) and print their timelines
      classify  classify one real provider failure: class, rule, confidence and recovery action

    Exit codes:
      0  every scenario passed
      1  at least one scenario broke an expectation or an invariant
      2  usage or input error (bad flag, unreadable or invalid scenario file)

    """

    static let runUsage = """
    Usage: revive-lab run PATH... [--seed N] [--no-color]

    Plays each scenario file (a directory means every *.json below it, in sorted order) with the
    simulated provider and runtime and the real recovery engine, prints its timeline, checks all
    invariants and the file's "expect" block, and ends with "N passed, N failed".

    Options:
      --seed N     play with seed N instead of the file's "seed" (same file + seed = same timeline)
      --no-color   never colour the output (colour is used only on a terminal, and never with NO_COLOR set)
      -h, --help   show this help

    Exit codes: 0 all passed, 1 a scenario failed, 2 usage or input error.

    """

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
            return run(Array(arguments.dropFirst()), console: console).rawValue
        case "classify":
            return ClassifyCommand.run(Array(arguments.dropFirst()), console: console, readStandardInput: console.readStandardInput).rawValue
        default:
            console.err("revive-lab: unknown command \"\(command)\"; run `revive-lab --help` for the commands\n")
            return ExitCode.usage.rawValue
        }
    }

    static func run(_ arguments: [String], console: Console) -> ExitCode {
        var paths: [String] = []
        var seed: UInt64?
        var color = console.isTerminal && console.environment["NO_COLOR"] == nil
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "-h", "--help":
                console.out(runUsage)
                return .passed
            case "--no-color":
                color = false
            case "--seed":
                index += 1
                guard index < arguments.count, let value = UInt64(arguments[index]) else {
                    console.err("revive-lab run: --seed needs a whole number from 0 to \(UInt64.max), like --seed 7\n")
                    return .usage
                }
                seed = value
            default:
                if argument.hasPrefix("--seed=") {
                    guard let value = UInt64(argument.dropFirst("--seed=".count)) else {
                        console.err("revive-lab run: --seed needs a whole number from 0 to \(UInt64.max), like --seed 7\n")
                        return .usage
                    }
                    seed = value
                } else if argument.hasPrefix("-") && argument != "-" {
                    console.err("revive-lab run: unknown option \"\(argument)\"; run `revive-lab run --help`\n")
                    return .usage
                } else {
                    paths.append(argument)
                }
            }
            index += 1
        }
        guard !paths.isEmpty else {
            console.err("revive-lab run: name at least one scenario file or directory, like `revive-lab run scenarios`\n")
            return .usage
        }
        let (files, pathProblems) = ScenarioFiles.expand(paths)
        var inputErrors = pathProblems.count
        for problem in pathProblems { console.err("error: \(problem)\n") }
        var passed = 0
        var failed = 0
        let renderer = TextRenderer(color: color)
        var first = true
        for file in files {
            let scenario: Scenario
            do {
                scenario = try ScenarioLoader.load(path: file)
            } catch {
                inputErrors += 1
                for problem in error.problems { console.err("error: \(problem)\n") }
                continue
            }
            var chosen = scenario
            if let seed { chosen.seed = seed }
            let result = ScenarioPlayer.play(chosen)
            console.out((first ? "" : "\n") + renderer.render(result))
            first = false
            if result.passed { passed += 1 } else { failed += 1 }
        }
        let summary = "\(passed) passed, \(failed + inputErrors) failed"
        console.out((first ? "" : "\n") + summary + "\n")
        if inputErrors > 0 { return .usage }
        return failed > 0 ? .failed : .passed
    }
}
