import Revive

// The one option parser of the frontend. Each command declares its grammar as data (a
// `CommandSyntax`: options and positional arguments); `CommandSyntax.parse` reads a command line
// against it, the same way for every command:
//
// - `--flag value` and `--flag=value` are the same for every option that takes a value;
//   a value is taken as given, even when it starts with `-` (so `--seed -1` is a bad seed, not
//   an unknown option `-1`); an empty or missing value is an error;
// - `--flag=value` on an option that takes no value is an error;
// - `-h` and `--help` print the command's help and end the reading (the arguments after them are
//   not checked);
// - `--` ends the options: every argument after it is positional;
// - `-` alone is positional (standard input, for the commands that read it);
// - a value option that is not repeatable may be given once; a flag that takes no value may be
//   repeated harmlessly;
// - every problem is a `UsageError`, printed as `revive-lab COMMAND: text` (exit code 2).

/// A usage problem on a command line. Exit code 2.
struct UsageError: Error, Equatable, Sendable {
    /// The command's name, as in `revive-lab explore`.
    let command: String
    /// What is wrong, in words.
    let text: String

    /// The line for standard error: `revive-lab COMMAND: text`.
    var message: String { "revive-lab \(command): \(text)\n" }
}

/// One option a command accepts, as data.
struct OptionSpec: Sendable {
    /// The option's names: the first is its own (`--quiet`), the rest aliases (`-q`).
    let names: [String]
    /// What the value must be, in words that follow "needs" (`a directory`, `one of text, jsonl`);
    /// nil for a flag that takes no value.
    let needs: String?
    /// Whether the option may be given more than once; every value is kept, in order.
    let repeatable: Bool
    /// Whether a (non-empty) value is acceptable.
    let accepts: @Sendable (String) -> Bool

    /// The option's own name, under which its values are kept.
    var name: String { names[0] }

    /// A flag that takes no value, like `--quiet`.
    static func flag(_ name: String, aliases: [String] = []) -> OptionSpec {
        OptionSpec(names: [name] + aliases, needs: nil, repeatable: true, accepts: { _ in false })
    }

    /// An option whose value is any non-empty text; `needs` says what it should be (`a directory`).
    static func value(_ name: String, needs: String, repeatable: Bool = false) -> OptionSpec {
        OptionSpec(names: [name], needs: needs, repeatable: repeatable, accepts: { _ in true })
    }

    /// An option whose value is a whole number within `range`.
    static func number<T: FixedWidthInteger & Sendable>(_ name: String, in range: ClosedRange<T>) -> OptionSpec {
        OptionSpec(names: [name], needs: numberNeeds(range), repeatable: false,
                   accepts: { text in T(text).map(range.contains) ?? false })
    }

    /// An option whose value is one of the raw values of `type`, like `--format jsonl`.
    static func choice<T: CaseIterable & RawRepresentable>(_ name: String, of type: T.Type,
                                                          repeatable: Bool = false) -> OptionSpec where T.RawValue == String {
        let words = type.allCases.map(\.rawValue)
        return OptionSpec(names: [name], needs: "one of \(words.joinedConcretely(separator: ", "))", repeatable: repeatable,
                          accepts: { words.contains($0) })
    }

    /// The one way every command words a whole number's range: `a whole number from 1 to 64`.
    static func numberNeeds<T: FixedWidthInteger>(_ range: ClosedRange<T>) -> String {
        "a whole number from \(range.lowerBound) to \(range.upperBound)"
    }
}

/// How many positional arguments a command takes, and what to say when the count is wrong.
struct PositionalSpec: Sendable {
    let minimum: Int
    /// nil: no upper limit.
    let maximum: Int?
    /// The message when fewer than `minimum` are given.
    let missing: String
    /// The message when more than `maximum` are given.
    let tooMany: String

    /// One or more, like `run PATH...`.
    static func oneOrMore(missing: String) -> PositionalSpec {
        PositionalSpec(minimum: 1, maximum: nil, missing: missing, tooMany: "")
    }

    /// Exactly one, like `explore FILE`.
    static func exactlyOne(missing: String, tooMany: String) -> PositionalSpec {
        PositionalSpec(minimum: 1, maximum: 1, missing: missing, tooMany: tooMany)
    }

    /// At most one, like `bench [DIR]`.
    static func atMostOne(tooMany: String) -> PositionalSpec {
        PositionalSpec(minimum: 0, maximum: 1, missing: "", tooMany: tooMany)
    }

    /// None at all, like `schema`.
    static func none(tooMany: String) -> PositionalSpec {
        PositionalSpec(minimum: 0, maximum: 0, missing: "", tooMany: tooMany)
    }
}

/// A command's grammar: its name, its help text, its options and its positional arguments.
struct CommandSyntax: Sendable {
    /// The command's name, as in `revive-lab explore`.
    let command: String
    /// The text `-h` and `--help` print.
    let usage: String
    let options: [OptionSpec]
    let positionals: PositionalSpec

    /// The names that ask for help, in every command.
    static let helpNames: Set<String> = ["-h", "--help"]

    /// A usage error from this command.
    func error(_ text: String) -> UsageError { UsageError(command: command, text: text) }

    /// The error for an option the command does not know.
    func unknownOption(_ argument: String) -> UsageError {
        #if !REVIVE_PLANTED_BUGS
        if OptionWord.split(argument).name == "--plant" && ["run", "explore"].contains(command) { return plantUnavailable() }
        #endif
        return error("unknown option \"\(argument)\"; run `revive-lab \(command) --help`")
    }

    /// What a release build says to `--plant`: the option is real, but only debug builds have it.
    func plantUnavailable() -> UsageError {
        error("--plant exists only in debug builds (build with `swift build` and run .build/debug/revive-lab); "
              + "a release build cannot contain planted bugs")
    }

    /// Reads a command line against this grammar: the parsed arguments, or nil when it asks for help.
    func parse(_ arguments: [String]) throws(UsageError) -> ParsedArguments? {
        var parsed = ParsedArguments()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("-"), argument != "-" else {
                parsed.positionals.append(argument)
                continue
            }
            if argument == "--" {
                parsed.positionals += rest
                break
            }
            let (name, inline) = OptionWord.split(argument)
            if CommandSyntax.helpNames.contains(name) {
                guard inline == nil else { throw error("\(name) takes no value") }
                return nil
            }
            guard let option = options.first(where: { $0.names.contains(name) }) else { throw unknownOption(argument) }
            try take(option, as: name, inline: inline, rest: &rest, into: &parsed)
        }
        try checkPositionals(parsed.positionals)
        return parsed
    }

    /// Records one option (and its value, inline or the next argument).
    private func take(_ option: OptionSpec, as name: String, inline: String?, rest: inout ArraySlice<String>,
                      into parsed: inout ParsedArguments) throws(UsageError) {
        guard let needs = option.needs else {
            guard inline == nil else { throw error("\(name) takes no value") }
            parsed.record(option.name, "")
            return
        }
        guard let value = inline ?? rest.popFirst(), !value.isEmpty, option.accepts(value) else {
            throw error("\(name) needs \(needs)")
        }
        if !option.repeatable && parsed.isSet(option.name) {
            throw error("\(name) may be given only once")
        }
        parsed.record(option.name, value)
    }

    private func checkPositionals(_ given: [String]) throws(UsageError) {
        if given.count < positionals.minimum { throw error(positionals.missing) }
        if let maximum = positionals.maximum, given.count > maximum { throw error(positionals.tooMany) }
    }

    /// Parses `arguments` and builds the command's options with `build`. On `-h`/`--help` prints
    /// the usage (exit 0); on a usage error prints it to standard error (exit 2).
    func options<Options>(from arguments: [String], console: LabCommand.Console,
                          _ build: (ParsedArguments) throws(UsageError) -> Options) -> CommandLineOutcome<Options> {
        do throws(UsageError) {
            guard let parsed = try parse(arguments) else {
                console.out(usage)
                return .done(.passed)
            }
            return .proceed(try build(parsed))
        } catch {
            console.err(error.message)
            return .done(.usage)
        }
    }
}

/// What a command does after reading its command line.
enum CommandLineOutcome<Options> {
    /// Go on and act on these options.
    case proceed(Options)
    /// Nothing more to do: the help was printed, or a usage error reported, with this exit code.
    case done(LabCommand.ExitCode)
}

/// A command line read against a `CommandSyntax`: the options given, by name, and the positionals.
struct ParsedArguments: Equatable, Sendable {
    /// The positional arguments, in order (with every argument after `--`).
    var positionals: [String] = []
    /// Each option given, by its own name, with its values in order (a flag's value is "").
    private var given: [String: [String]] = [:]

    mutating func record(_ name: String, _ value: String) { given[name, default: []].append(value) }

    /// Whether the option (or flag) was given.
    func isSet(_ name: String) -> Bool { given[name] != nil }

    /// The option's value, or nil when it was not given.
    func value(_ name: String) -> String? { given[name]?.last }

    /// Every value of a repeatable option, in order.
    func values(_ name: String) -> [String] { given[name] ?? [] }

    /// A whole-number option's value (the parser has checked its range), or nil when not given.
    func number<T: FixedWidthInteger>(_ name: String, as type: T.Type = Int.self) -> T? { value(name).flatMap { T($0) } }

    /// A choice option's value, or nil when not given.
    func choice<T: RawRepresentable>(_ name: String, as type: T.Type) -> T? where T.RawValue == String {
        value(name).flatMap(T.init(rawValue:))
    }

    /// Every value of a repeatable choice option, in order.
    func choices<T: RawRepresentable>(_ name: String, as type: T.Type) -> [T] where T.RawValue == String {
        values(name).compactMap(T.init(rawValue:))
    }
}

/// Splitting one option word into its name and an inline value.
enum OptionWord {
    /// `--seed=7` is `("--seed", "7")`; `--seed` is `("--seed", nil)`; `--only=step=x` is `("--only", "step=x")`.
    static func split(_ argument: String) -> (name: String, inline: String?) {
        guard let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }
}
