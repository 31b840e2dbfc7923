import Foundation
import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// `revive-lab run`: play scenario files and report them in the chosen format.
enum RunCommand {
    static let usage = """
    Usage: revive-lab run PATH... [--seed N] [--format F] [--output DIR] [--only PATTERN] [--quiet] [--without-revive] [--no-color]

    Plays each scenario file (a directory means every *.json below it, in sorted order) with the
    simulated provider and runtime and the real recovery engine, checks all invariants and the
    file's "expect" block, and ends with "N passed, N failed".

    Options:
      --seed N          play with seed N instead of the file's "seed" (same file + seed = same timeline)
      --format F        text (default), jsonl (one JSON object per transition, plus header and
                        footer records), junit (JUnit XML for CI), mermaid (a sequence diagram)
                        or html (a self-contained page per scenario; use it with --output)
      --output DIR      write one file per scenario (NAME.txt, .jsonl, .mmd or .html) plus DIR/junit.xml
                        instead of printing timelines; the summary still goes to standard output
      --only PATTERN    show only matching transitions: a name glob (lease.*) or FIELD=GLOB
                        (step=send-briefing, worker=worker-b, class=dead_*); repeat to narrow
      --quiet           print only failing scenarios and the summary
      --without-revive  play a naive integration instead of Revive (blind retries, any reconnect
                        accepted, nothing fenced, no reconciliation, context in worker memory);
                        "expect" is not checked, every invariant is: a breach makes it fail
      --no-color        never colour the output (colour is used only on a terminal, never with NO_COLOR)
      -h, --help        show this help

    With any format but text on standard output, the summary line goes to standard error so the
    stream stays machine-readable.

    Exit codes: 0 all passed, 1 a scenario failed, 2 usage or input error.

    """

    /// The output formats.
    enum Format: String, CaseIterable {
        case text, jsonl, junit, mermaid, html

        var fileExtension: String {
            switch self {
            case .text: return "txt"
            case .jsonl: return "jsonl"
            case .junit: return "xml"
            case .mermaid: return "mmd"
            case .html: return "html"
            }
        }

        /// The rendering of one result in this format (JUnit renders whole suites instead).
        func render(_ result: ScenarioResult, showing shown: [Int]?, color: Bool) -> String {
            switch self {
            case .text, .junit: return TextRenderer(color: color).render(result, showing: shown)
            case .jsonl: return TimelineJSON.lines(for: result, transitions: shown)
            case .mermaid: return MermaidRenderer.render(result, showing: shown)
            case .html: return HTMLRenderer.render(result, showing: shown)
            }
        }
    }

    struct Options {
        var paths: [String] = []
        var seed: UInt64?
        var format = Format.text
        var output: String?
        var only: [String] = []
        var quiet = false
        var color = false
        var mode = RecoveryMode.revive
        #if REVIVE_PLANTED_BUGS
        var plantedBugs: Set<PlantedBug> = []
        #endif
    }

    /// A usage problem with the command line, in words.
    struct UsageProblem: Error {
        let message: String
    }

    static func parse(_ arguments: [String], console: LabCommand.Console) -> Result<Options?, UsageProblem> {
        var options = Options()
        options.color = console.isTerminal && console.environment["NO_COLOR"] == nil
        var index = 0
        func value(_ flag: String) -> String? {
            if arguments[index].hasPrefix(flag + "=") { return String(arguments[index].dropFirst(flag.count + 1)) }
            index += 1
            return index < arguments.count ? arguments[index] : nil
        }
        while index < arguments.count {
            let argument = arguments[index]
            let flag = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            switch flag {
            case "-h", "--help":
                console.out(usage)
                return .success(nil)
            case "--no-color": options.color = false
            case "--quiet", "-q": options.quiet = true
            case "--without-revive": options.mode = .withoutRevive
            #if REVIVE_PLANTED_BUGS
            case "--plant":
                // Debug builds only: replay an explorer repro against the planted bug it found.
                guard let name = value("--plant"), let bug = PlantedBug(rawValue: name) else {
                    return .failure(UsageProblem(message: "--plant needs one of \(PlantedBug.allCases.map(\.rawValue).joined(separator: ", "))"))
                }
                options.plantedBugs.insert(bug)
            #endif
            case "--seed":
                guard let text = value("--seed"), let seed = UInt64(text) else {
                    return .failure(UsageProblem(message: "--seed needs a whole number from 0 to \(UInt64.max), like --seed 7"))
                }
                options.seed = seed
            case "--format":
                guard let text = value("--format"), let format = Format(rawValue: text) else {
                    return .failure(UsageProblem(message: "--format needs one of \(Format.allCases.map(\.rawValue).joined(separator: ", "))"))
                }
                options.format = format
            case "--output":
                guard let dir = value("--output"), !dir.isEmpty else { return .failure(UsageProblem(message: "--output needs a directory")) }
                options.output = dir
            case "--only":
                guard let pattern = value("--only"), !pattern.isEmpty else { return .failure(UsageProblem(message: "--only needs a pattern, like lease.* or step=send-briefing")) }
                options.only.append(pattern)
            default:
                if argument.hasPrefix("-") && argument != "-" {
                    return .failure(UsageProblem(message: "unknown option \"\(argument)\"; run `revive-lab run --help`"))
                }
                options.paths.append(argument)
            }
            index += 1
        }
        guard !options.paths.isEmpty else {
            return .failure(UsageProblem(message: "name at least one scenario file or directory, like `revive-lab run scenarios`"))
        }
        return .success(options)
    }

    static func run(_ arguments: [String], console: LabCommand.Console) -> LabCommand.ExitCode {
        let options: Options
        switch parse(arguments, console: console) {
        case .failure(let problem):
            console.err("revive-lab run: \(problem.message)\n")
            return .usage
        case .success(nil):
            return .passed
        case .success(let parsed?):
            options = parsed
        }
        let filter: TransitionFilter
        do { filter = try TransitionFilter(options.only) } catch {
            console.err("revive-lab run: --only: \(error.problems[0].message)\n")
            return .usage
        }
        if let output = options.output {
            do {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            } catch {
                console.err("revive-lab run: cannot create the output directory \(output); check the path and permissions\n")
                return .usage
            }
        }
        let (files, pathProblems) = ScenarioFiles.expand(options.paths)
        var inputProblems = pathProblems
        for problem in pathProblems { console.err("error: \(problem)\n") }
        var results: [ScenarioResult] = []
        var writtenNames = Set<String>()
        var printedAny = false
        for file in files {
            var scenario: Scenario
            do {
                scenario = try ScenarioLoader.load(path: file)
            } catch {
                inputProblems += error.problems
                for problem in error.problems { console.err("error: \(problem)\n") }
                continue
            }
            if let seed = options.seed { scenario.seed = seed }
            #if REVIVE_PLANTED_BUGS
            scenario.recovery.plantedBugs = options.plantedBugs
            #endif
            let result = ScenarioPlayer.play(scenario, mode: options.mode)
            results.append(result)
            let shown = filter.isEmpty ? nil : result.transitions.indices.filter { filter.matches(result.transitions[$0]) }
            if let output = options.output {
                guard options.format != .junit else { continue }
                var name = scenario.name
                var suffix = 2
                while writtenNames.contains(name) { name = "\(scenario.name)-\(suffix)"; suffix += 1 }
                writtenNames.insert(name)
                let text = options.format.render(result, showing: shown, color: false)
                let path = (output as NSString).appendingPathComponent("\(name).\(options.format.fileExtension)")
                guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
                    console.err("revive-lab run: cannot write \(path)\n")
                    return .usage
                }
                continue
            }
            if options.quiet && result.passed { continue }
            switch options.format {
            case .text, .mermaid:
                console.out((printedAny ? "\n" : "") + options.format.render(result, showing: shown, color: options.color))
                printedAny = options.format == .text
            case .jsonl, .html:
                console.out(options.format.render(result, showing: shown, color: false))
            case .junit:
                break
            }
        }
        let junit = JUnitRenderer.render(results, inputErrors: inputProblems.filter { !$0.file.isEmpty })
        if let output = options.output {
            let path = (output as NSString).appendingPathComponent("junit.xml")
            guard FileManager.default.createFile(atPath: path, contents: Data(junit.utf8)) else {
                console.err("revive-lab run: cannot write \(path)\n")
                return .usage
            }
        } else if options.format == .junit {
            console.out(junit)
        }
        let failedInputs = Set(inputProblems.map(\.file)).count
        let passed = results.filter(\.passed).count
        let summary = "\(passed) passed, \(results.count - passed + failedInputs) failed\n"
        if options.output == nil && options.format != .text {
            console.err(summary)
        } else {
            console.out((printedAny ? "\n" : "") + summary)
        }
        if failedInputs > 0 { return .usage }
        return passed == results.count ? .passed : .failed
    }
}
