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

/// `revive-lab classify`: a pasted provider failure in, its class, rule, confidence and recovery action out.
enum ClassifyCommand {
    static let usage = """
    Usage: revive-lab classify [FILE | -] --provider NAME [--broker NAME] [--json]

    Classifies one real provider failure. The input (a file, or standard input when FILE is - or
    absent) is one JSON object:

      {"status": 400, "headers": {"Retry-After": "30"}, "body": {"error": "invalid_grant", ...}}

    "body" is what the provider sent: a JSON object, array or string. Optional keys:
    "operation" ("call" or "refresh"), "leaseGeneration" and "currentGeneration" (whole numbers;
    an invalid_grant-style refusal of an older generation is a stale-generation race).

    Options:
      --provider NAME  microsoft, google, slack, github, salesforce or generic (required)
      --broker NAME    nango, auth0 or scalekit (the broker in front of the provider)
      --json           print one JSON object: class, rule, confidence, action, responder, ...
      -h, --help       show this help

    Exit codes: 0 classified, 2 usage or input error.

    """

    /// The command's grammar.
    static let syntax = CommandSyntax(
        command: "classify", usage: usage,
        options: [.choice("--provider", of: ProviderKind.self), .choice("--broker", of: BrokerKind.self), .flag("--json")],
        positionals: .atMostOne(tooMany: "give one input file (or - for standard input)"))

    /// What the command line asked for.
    struct Options {
        var provider: ProviderKind
        var broker: BrokerKind?
        var json: Bool
        /// The input file, or "-" for standard input.
        var source: String

        init(_ parsed: ParsedArguments) throws(UsageError) {
            guard let provider = parsed.choice("--provider", as: ProviderKind.self) else {
                let names = ProviderKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw ClassifyCommand.syntax.error("say which provider sent it with --provider NAME (\(names))")
            }
            self.provider = provider
            broker = parsed.choice("--broker", as: BrokerKind.self)
            json = parsed.isSet("--json")
            source = parsed.positionals.first ?? "-"
        }
    }

    static func run(_ arguments: [String], console: LabCommand.Console, readStandardInput: () -> [UInt8]?) -> LabCommand.ExitCode {
        switch syntax.options(from: arguments, console: console, Options.init) {
        case .done(let code): return code
        case .proceed(let options): return classify(options, console: console, readStandardInput: readStandardInput)
        }
    }

    /// Reads the failure, classifies it and prints the report.
    static func classify(_ options: Options, console: LabCommand.Console, readStandardInput: () -> [UInt8]?) -> LabCommand.ExitCode {
        let name = options.source == "-" ? "<stdin>" : options.source
        let bytes = options.source == "-" ? readStandardInput() : FileSystem.contents(atPath: options.source)
        guard let bytes, let text = UTF8Text.decode(bytes) else {
            console.err("error: \(name): \(unreadable(options.source))\n")
            return .usage
        }
        let failure: PastedFailure
        do {
            failure = try PastedFailure.parse(text, file: name)
        } catch {
            for problem in error.problems { console.err("error: \(problem)\n") }
            return .usage
        }
        let classification = Classifier().classify(failure.signal, context: ClassificationContext(
            provider: options.provider, operation: failure.operation,
            leaseGeneration: failure.leaseGeneration, currentGeneration: failure.currentGeneration))
        console.out(options.json ? jsonReport(classification, provider: options.provider, broker: options.broker) + "\n"
                                 : textReport(classification, provider: options.provider, broker: options.broker))
        return .passed
    }

    /// Why the input could not be read, in classify's terms.
    static func unreadable(_ source: String) -> String {
        if source != "-", FileSystem.kind(atPath: source) == .folder {
            return "this is a directory; classify reads one failure: a JSON file, or - for standard input"
        }
        return "cannot read the input; check the path (classify reads one failure: a JSON file, or - for standard input)"
    }

    static func textReport(_ c: Classification, provider: ProviderKind, broker: BrokerKind?) -> String {
        var rows: [(String, String)] = [
            ("class", c.failureClass.rawValue), ("rule", c.rule), ("confidence", c.confidence.rawValue),
            ("action", c.failureClass.recoveryAction), ("responder", c.failureClass.responder.rawValue),
            ("provider", provider.rawValue + (broker.map { " via \($0.rawValue)" } ?? "")),
        ]
        if let after = c.retryAfter { rows.append(("retry-after", after.description)) }
        if !c.neededScopes.isEmpty { rows.append(("needs-scopes", c.neededScopes.joined(separator: " "))) }
        if let from = c.unwrappedFrom { rows.append(("unwrapped", from)) }
        return rows.map { $0.0.padding(12) + " " + $0.1 }.joined(separator: "\n") + "\n"
    }

    static func jsonReport(_ c: Classification, provider: ProviderKind, broker: BrokerKind?) -> String {
        let object: JSONValue = .object([
            ("class", .string(c.failureClass.rawValue)),
            ("rule", .string(c.rule)),
            ("confidence", .string(c.confidence.rawValue)),
            ("action", .string(c.failureClass.recoveryAction)),
            ("responder", .string(c.failureClass.responder.rawValue)),
            ("parks", .bool(c.failureClass.parksRun)),
            ("provider", .string(provider.rawValue)),
            ("broker", broker.map { .string($0.rawValue) } ?? .null),
            ("retryAfterSeconds", c.retryAfter.map { .integer($0.milliseconds / 1000) } ?? .null),
            ("neededScopes", .array(c.neededScopes.map { .string($0) })),
            ("unwrappedFrom", c.unwrappedFrom.map { .string($0) } ?? .null),
        ])
        return object.compactText
    }
}

/// The input of `classify`: a failure as the provider sent it.
struct PastedFailure {
    /// What classify reads, for the end of every message about its input.
    static let wanted = "classify reads one JSON object like {\"status\": 400, \"headers\": {...}, \"body\": {...}}"

    var signal: ProviderSignal
    var operation: FailedOperation
    var leaseGeneration: LeaseGeneration?
    var currentGeneration: LeaseGeneration?

    static func parse(_ text: String, file: String) throws(InputError) -> PastedFailure {
        let kind = FileKind.sniff(text)
        if kind != .json && kind != .other {
            // A scenario, a timeline or a report: one line, not a page of unknown keys.
            throw InputError(file: file, "this is \(kind.noun), not a provider failure; \(wanted)")
        }
        let document: JSONValue
        do { document = try JSONValue.parse(text) } catch {
            throw InputError(file: file, "not valid JSON at \(error.description); \(wanted)")
        }
        var reader = JSONReader(file: file, keysListedIn: "the README's classify section lists every key")
        guard let object = reader.object(document, at: "", allowed: ["status", "headers", "body", "operation", "leaseGeneration", "currentGeneration"],
                                         required: ["status"]) else { throw InputError(reader.problems) }
        let status = reader.integer(object["status"], at: "status", range: 100...599)
        let headers = object["headers"].map { reader.headers($0, at: "headers") } ?? [:]
        var operation = FailedOperation.call
        if let raw = object["operation"], let word = reader.string(raw, at: "operation") {
            switch word {
            case "call": operation = .call
            case "refresh": operation = .refresh
            default: reader.fail("operation", "\"\(word)\" is not an operation; use call or refresh")
            }
        }
        let held = object["leaseGeneration"].flatMap { reader.integer($0, at: "leaseGeneration", range: 1...Int64(Int32.max)) }
        let current = object["currentGeneration"].flatMap { reader.integer($0, at: "currentGeneration", range: 1...Int64(Int32.max)) }
        guard reader.problems.isEmpty, let status else { throw InputError(reader.problems) }
        return PastedFailure(signal: ProviderSignal(status: Int(status), headers: headers, body: object["body"]),
                             operation: operation,
                             leaseGeneration: held.flatMap { LeaseGeneration(recorded: Int($0)) },
                             currentGeneration: current.flatMap { LeaseGeneration(recorded: Int($0)) })
    }
}
