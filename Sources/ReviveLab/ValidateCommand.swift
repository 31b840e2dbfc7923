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
           revive-lab schema

    validate checks each scenario file (a directory means every *.json below it) against format
    v1 and reports every problem in every file with its key path; nothing is played.
    schema prints the JSON Schema of the format (the same as scenario.schema.json); point a
    scenario's "$schema" key at that file to get completion and checking in an editor.

    Exit codes: 0 every file is valid, 2 usage error or at least one invalid file.

    """

    /// The grammar of `validate`: no options, one or more paths.
    static let syntax = CommandSyntax(command: "validate", usage: usage, options: [],
                                      positionals: .oneOrMore(missing: "name at least one scenario file or directory"))

    /// The grammar of `schema`: nothing at all.
    static let schemaSyntax = CommandSyntax(command: "schema", usage: usage, options: [], positionals: .none(tooMany: "takes no arguments"))

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
                _ = try ScenarioLoader.load(path: file)
                console.out("\(file): valid\n")
            } catch {
                invalid.insert(file)
                for problem in error.problems { console.err("error: \(problem)\n") }
            }
        }
        console.out("\(files.count - invalid.subtracting(pathProblems.map(\.file)).count) valid, \(invalid.count) invalid\n")
        return invalid.isEmpty ? .passed : .usage
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
