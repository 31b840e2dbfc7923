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
    /// `path` is spelt only where a problem is reported (a fault's signal is read in every file
    /// that has one: spelt for each, its path cost a third of reading the signal).
    static func read(_ value: JSONValue, at path: @autoclosure () -> String, reader: inout JSONReader) -> ProviderSignal? {
        guard let object = reader.object(value, at: path(), allowed: ScenarioKeys.signal,
                                         required: ScenarioKeys.signalRequired) else { return nil }
        let status = reader.integer(object["status"], at: path() + ".status", range: 100...599)
        let error = object["error"].flatMap { reader.string($0, at: path() + ".error") }
        let description = object["description"].flatMap { reader.string($0, at: path() + ".description", nonEmpty: false) }
        let retryAfter = object["retryAfter"].flatMap { reader.duration($0, at: path() + ".retryAfter") }
        let headers = object["headers"].map { reader.headers($0, at: path() + ".headers") } ?? [:]
        guard let status else { return nil }
        return ProviderSignal(status: Int(status), error: error, description: description, retryAfter: retryAfter,
                              headers: headers, body: object["body"])
    }
}
