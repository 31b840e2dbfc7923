import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Reads a `retry` object (runtime, workflow, connection or step level).
enum RetryPolicyBuilder {
    static let keys = ScenarioKeys.retry

    static func read(_ value: JSONValue, at path: String, reader: inout JSONReader) -> RetryPolicy? {
        guard let object = reader.object(value, at: path, allowed: keys) else { return nil }
        var policy = RetryPolicy()
        policy.maxAttempts = object["maxAttempts"].flatMap { reader.integer($0, at: path + ".maxAttempts", range: 0...1_000_000) }.map(Int.init)
        policy.maxElapsed = object["maxElapsed"].flatMap { reader.duration($0, at: path + ".maxElapsed", allowZero: false) }
        policy.initialBackoff = object["initialBackoff"].flatMap { reader.duration($0, at: path + ".initialBackoff", allowZero: false) }
        if let coefficient = object["backoffCoefficient"].flatMap({ reader.number($0, at: path + ".backoffCoefficient") }) {
            if coefficient < 1 || coefficient > 100 {
                reader.fail(path + ".backoffCoefficient", "\(coefficient) is out of range; use 1 to 100 (Temporal's default is 2.0)")
            } else {
                policy.backoffCoefficient = coefficient
            }
        }
        policy.maxBackoff = object["maxBackoff"].flatMap { reader.duration($0, at: path + ".maxBackoff", allowZero: false) }
        if let initial = policy.initialBackoff, let maximum = policy.maxBackoff, maximum < initial {
            reader.fail(path + ".maxBackoff", "\(maximum) is shorter than initialBackoff \(initial)")
        }
        if let raw = object["nonRetryable"], let items = reader.array(raw, at: path + ".nonRetryable") {
            policy.nonRetryable = reader.choices(items, at: path + ".nonRetryable", of: FailureClass.self, noun: "a failure class")
        }
        return policy
    }
}

/// Reads a `signal`: the status, code, text and wait a provider sends, plus optional raw headers and body.
enum SignalBuilder {
    static func read(_ value: JSONValue, at path: String, reader: inout JSONReader) -> ProviderSignal? {
        guard let object = reader.object(value, at: path, allowed: ScenarioKeys.signal,
                                         required: ScenarioKeys.signalRequired) else { return nil }
        let status = reader.integer(object["status"], at: path + ".status", range: 100...599)
        let error = object["error"].flatMap { reader.string($0, at: path + ".error") }
        let description = object["description"].flatMap { reader.string($0, at: path + ".description", nonEmpty: false) }
        let retryAfter = object["retryAfter"].flatMap { reader.duration($0, at: path + ".retryAfter") }
        let headers = object["headers"].map { reader.headers($0, at: path + ".headers") } ?? [:]
        guard let status else { return nil }
        return ProviderSignal(status: Int(status), error: error, description: description, retryAfter: retryAfter,
                              headers: headers, body: object["body"])
    }
}

/// Reads `expect`.
enum ExpectationsBuilder {
    static func read(_ value: JSONValue?, steps: [String], reader: inout JSONReader) -> Expectations {
        var expect = Expectations()
        guard let object = reader.object(value, at: "expect", allowed: ScenarioKeys.expect) else {
            return expect
        }
        expect.outcome = object["outcome"].flatMap { reader.choice($0, at: "expect.outcome", of: Outcome.self, noun: "an outcome") }
        expect.classification = object["classification"].flatMap {
            reader.choice($0, at: "expect.classification", of: FailureClass.self, noun: "a failure class")
        }
        if let raw = object["effects"], let effects = readEffects(raw, steps: steps, reader: &reader) {
            expect.effects = effects.map { (ActionKey($0.step), $0.count) }
        }
        expect.timeline = object["timeline"].flatMap { transitionNames($0, at: "expect.timeline", reader: &reader) }
        expect.absent = object["absent"].flatMap { transitionNames($0, at: "expect.absent", reader: &reader) }
        expect.rejected = object["rejected"].flatMap { reader.integer($0, at: "expect.rejected", range: 0...1_000_000) }.map(Int.init)
        expect.fenced = object["fenced"].flatMap { reader.integer($0, at: "expect.fenced", range: 0...1_000_000) }.map(Int.init)
        if let raw = object["providerBreaches"], case .array(let items) = raw {
            expect.providerBreaches = reader.choices(items, at: "expect.providerBreaches", of: ProviderBreachKind.self, noun: "a provider breach")
        } else if let raw = object["providerBreaches"] {
            reader.fail("expect.providerBreaches", "expected a list of provider breach names (\"late-apply\"), found \(raw.compactText)")
        }
        if let raw = object["invariants"] {
            switch raw {
            case .string("all"): expect.invariants = nil
            case .array(let items): expect.invariants = reader.choices(items, at: "expect.invariants", of: Invariant.self, noun: "an invariant")
            default: reader.fail("expect.invariants", "expected \"all\" or a list of invariant names, found \(raw.compactText)")
            }
        }
        return expect
    }

    /// `effects`: how many times each step's effect must reach the provider, in the order written.
    static func readEffects(_ raw: JSONValue, steps: [String], reader: inout JSONReader) -> [(step: String, count: Int)]? {
        guard let members = reader.freeMembers(raw, at: "expect.effects", of: "step id to count") else { return nil }
        var effects: [(step: String, count: Int)] = []
        for member in members {
            let path = "expect.effects." + member.key
            if !steps.isEmpty && !steps.contains(member.key) {
                reader.fail(path, "no step \"\(member.key)\"; the workflow's steps are \(steps.joined(separator: ", "))")
            }
            if let count = reader.integer(member.value, at: path, range: 0...1_000_000) { effects.append((member.key, Int(count))) }
        }
        return effects
    }

    static func transitionNames(_ value: JSONValue, at path: String, reader: inout JSONReader) -> [TransitionName]? {
        guard let spellings = reader.stringList(value, at: path) else { return nil }
        var names: [TransitionName] = []
        for (i, spelling) in spellings.enumerated() {
            if let name = transitionName(spelling, at: JSONReader.index(path, i), reader: &reader) { names.append(name) }
        }
        return names
    }

    /// A transition name this version records; anything else is reported with the closest name.
    /// The path is built only when there is a problem to report there: built for every name of
    /// every file, it cost a cold run more than reading the names.
    static func transitionName(_ spelling: String, at path: @autoclosure () -> String, reader: inout JSONReader) -> TransitionName? {
        let name = TransitionName(rawValue: spelling)
        guard !name.isRecognized else { return name }
        var message = "\"\(spelling)\" is not a transition name"
        if let guess = JSONReader.closest(spelling, in: TransitionName.known.map(\.rawValue)) { message += "; did you mean \"\(guess)\"?" }
        reader.fail(path(), message + (message.hasSuffix("?") ? " " : ". ") + "The README lists every transition")
        return nil
    }
}
