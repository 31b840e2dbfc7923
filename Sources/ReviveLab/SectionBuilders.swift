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
            var classes: [FailureClass] = []
            for (i, item) in items.enumerated() {
                if let failureClass = reader.choice(item, at: path + ".nonRetryable[\(i)]", of: FailureClass.self, noun: "a failure class") {
                    classes.append(failureClass)
                }
            }
            policy.nonRetryable = classes
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
        var headers: [String: String] = [:]
        if let raw = object["headers"] {
            if case .object(let members) = raw {
                for member in members {
                    if let text = reader.string(member.value, at: path + ".headers." + member.key, nonEmpty: false) { headers[member.key] = text }
                }
            } else {
                reader.fail(path + ".headers", "expected an object of header names to strings, found \(raw.typeName)")
            }
        }
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
        if let raw = object["effects"] {
            if case .object(let members) = raw {
                var effects: [(String, Int)] = []
                for member in members {
                    let path = "expect.effects." + member.key
                    if !steps.isEmpty && !steps.contains(member.key) {
                        reader.fail(path, "no step \"\(member.key)\"; the workflow's steps are \(steps.joined(separator: ", "))")
                    }
                    if let count = reader.integer(member.value, at: path, range: 0...1_000_000) { effects.append((member.key, Int(count))) }
                }
                expect.effects = effects
            } else {
                reader.fail("expect.effects", "expected an object of step id to count, found \(raw.typeName)")
            }
        }
        expect.timeline = object["timeline"].flatMap { transitionNames($0, at: "expect.timeline", reader: &reader) }
        expect.absent = object["absent"].flatMap { transitionNames($0, at: "expect.absent", reader: &reader) }
        expect.rejected = object["rejected"].flatMap { reader.integer($0, at: "expect.rejected", range: 0...1_000_000) }.map(Int.init)
        expect.fenced = object["fenced"].flatMap { reader.integer($0, at: "expect.fenced", range: 0...1_000_000) }.map(Int.init)
        if let raw = object["invariants"] {
            if case .string("all") = raw {
                expect.invariants = nil
            } else if case .array(let items) = raw {
                var chosen: [Invariant] = []
                for (i, item) in items.enumerated() {
                    if let invariant = reader.choice(item, at: "expect.invariants[\(i)]", of: Invariant.self, noun: "an invariant") {
                        chosen.append(invariant)
                    }
                }
                expect.invariants = chosen
            } else {
                reader.fail("expect.invariants", "expected \"all\" or a list of invariant names, found \(raw.compactText)")
            }
        }
        return expect
    }

    static func transitionNames(_ value: JSONValue, at path: String, reader: inout JSONReader) -> [TransitionName]? {
        guard let spellings = reader.stringList(value, at: path) else { return nil }
        var names: [TransitionName] = []
        for (i, spelling) in spellings.enumerated() {
            if let name = transitionName(spelling, at: "\(path)[\(i)]", reader: &reader) { names.append(name) }
        }
        return names
    }

    /// A transition name this version records; anything else is reported with the closest name.
    static func transitionName(_ spelling: String, at path: String, reader: inout JSONReader) -> TransitionName? {
        let name = TransitionName(rawValue: spelling)
        guard !name.isRecognized else { return name }
        var message = "\"\(spelling)\" is not a transition name"
        if let guess = JSONReader.closest(spelling, in: TransitionName.known.map(\.rawValue)) { message += "; did you mean \"\(guess)\"?" }
        reader.fail(path, message + (message.hasSuffix("?") ? " " : ". ") + "The README lists every transition")
        return nil
    }
}
