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

/// `revive-lab validate`: check scenario files against the format without playing them;
/// `revive-lab schema`: print the format's JSON Schema.
enum ValidateCommand {
    static let usage = """
    Usage: revive-lab validate PATH...

    Checks each scenario file (a directory means every *.json below it) against its format (1 or
    2) and reports every problem in every file with its key path; nothing is played. Each valid
    file's line is followed by an indented line that says which runtime defaults its format gives
    it (format 1: the lab's original model; format 2: LangGraph's retries, durability and liveness
    and Temporal's activity timeouts as measured). A value that looks
    like a token or secret (the shapes the token-custody invariant scans for) is a warning: the
    lab puts a digest in its place in every output, but it should not be in the file.

    Options:
      -h, --help  show this help

    Exit codes: 0 every file is valid (warnings or not), 2 usage error or at least one invalid file.

    """

    /// The grammar of `validate`: no options, one or more paths.
    static let syntax = CommandSyntax(command: "validate", usage: usage, options: [],
                                      positionals: .oneOrMore(missing: "name at least one scenario file or directory"))

    static let schemaUsage = """
    Usage: revive-lab schema

    Prints the JSON Schema of scenario formats 1 and 2 (the same as the committed scenario.schema.json,
    generated from the loader's own key lists). Point a scenario's "$schema" key at that file to
    get completion and checking in an editor.

    Options:
      -h, --help  show this help

    Exit codes: 0 printed, 2 usage error.

    """

    /// The grammar of `schema`: nothing at all.
    static let schemaSyntax = CommandSyntax(command: "schema", usage: schemaUsage, options: [], positionals: .none(tooMany: "takes no arguments"))

    static func run(_ arguments: [String], console: LabCommand.Console) -> LabCommand.ExitCode {
        switch syntax.options(from: arguments, console: console, { parsed throws(UsageError) in parsed.positionals }) {
        case .done(let code): return code
        case .proceed(let paths): return validate(paths, console: console)
        }
    }

    /// Loads every scenario file without playing it and reports each problem.
    static func validate(_ paths: [String], console: LabCommand.Console) -> LabCommand.ExitCode {
        let (files, pathProblems) = ScenarioFiles.expand(paths)
        var invalid = Set(pathProblems.map(\.file))
        for problem in pathProblems { console.err("error: \(problem)\n") }
        for file in files {
            do {
                let scenario = try ScenarioLoader.load(path: file)
                // The defaults go on an indented second line, so `FILE: valid` lines stay as they were.
                console.out("\(file): valid\n  \(scenario.defaultsSummary)\n")
                warnAboutSecrets(in: file, console: console)
            } catch {
                invalid.insert(file)
                for problem in error.problems { console.err("error: \(problem)\n") }
            }
        }
        console.out("\(files.count - invalid.subtracting(pathProblems.map(\.file)).count) valid, \(invalid.count) invalid\n")
        return invalid.isEmpty ? .passed : .usage
    }

    /// Warns about every value that looks like a token: the lab redacts them from its outputs,
    /// but a real credential has no place in a file that is committed and shared.
    static func warnAboutSecrets(in file: String, console: LabCommand.Console) {
        guard let bytes = FileSystem.contents(atPath: file), let text = UTF8Text.decode(bytes),
              let document = try? JSONValue.parse(text) else { return }
        for finding in SecretRedactor.redact(document).findings {
            console.err("warning: \(file): \(finding.path): holds what looks like a secret (a value with \(finding.marker)); "
                        + "every output carries a digest in its place, but remove it from the file and use a made-up value\n")
        }
    }

    static func schema(_ arguments: [String], console: LabCommand.Console) -> LabCommand.ExitCode {
        switch schemaSyntax.options(from: arguments, console: console, { _ throws(UsageError) in () }) {
        case .done(let code): return code
        case .proceed: break
        }
        console.out(ScenarioSchema.text)
        return .passed
    }
}
