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

    static func run(_ arguments: [String], console: LabCommand.Console) -> LabCommand.ExitCode {
        if arguments.contains("-h") || arguments.contains("--help") {
            console.out(usage)
            return .passed
        }
        if let option = arguments.first(where: { $0.hasPrefix("-") }) {
            console.err(ArgumentCursor(command: "validate", arguments: arguments).unknownOption(option))
            return .usage
        }
        guard !arguments.isEmpty else {
            console.err("revive-lab validate: name at least one scenario file or directory\n")
            return .usage
        }
        let (files, pathProblems) = ScenarioFiles.expand(arguments)
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
        if arguments.contains("-h") || arguments.contains("--help") {
            console.out(usage)
            return .passed
        }
        guard arguments.isEmpty else {
            console.err("revive-lab schema: takes no arguments\n")
            return .usage
        }
        console.out(ScenarioSchema.text)
        return .passed
    }
}
