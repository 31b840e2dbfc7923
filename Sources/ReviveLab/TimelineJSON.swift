import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// The JSONL form of a timeline: a public, documented interface (docs/jsonl.md).
///
/// One object per line: a `header` record, one `transition` record per transition, a `footer`
/// record. Transition records carry every fact the text line shows, under stable keys; the
/// transition's name is under `name`. `check` and `replay` read the same form back.
public enum TimelineJSON {
    /// The schema version written in every header.
    public static let schemaVersion = 1

    /// The JSON object of one transition (`record: transition`).
    public static func object(for t: Transition, sequence: Int) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("record", .string("transition")), ("seq", .integer(Int64(sequence))),
            ("time", .string(DurationText.clock(t.time))), ("timeMs", .integer(t.time.milliseconds)),
            ("actor", .string(t.actor.rawValue)), ("name", .string(t.name.rawValue)),
        ]
        func add(_ key: String, _ value: String?) { if let value { members.append((key, .string(value))) } }
        func add(_ key: String, _ value: Int?) { if let value { members.append((key, .integer(Int64(value)))) } }
        add("run", t.run)
        add("worker", t.worker)
        add("step", t.step)
        add("attempt", t.attempt)
        add("connection", t.connection)
        add("generation", t.generation)
        add("lease", t.lease)
        add("case", t.caseID)
        add("key", t.key)
        add("class", t.failureClass?.rawValue)
        add("capability", t.capability)
        add("subject", t.subject)
        add("tenant", t.tenant)
        add("checkpoint", t.checkpoint)
        add("result", t.result)
        add("reason", t.reason)
        if let expires = t.expires {
            members.append(("expires", .string(DurationText.clock(expires))))
            members.append(("expiresMs", .integer(expires.milliseconds)))
        }
        if !t.notes.isEmpty { members.append(("notes", .object(t.notes.map { ($0.name, .string($0.value)) }))) }
        return .object(members)
    }

    /// The header record of a play: the scenario, its seed and runtime, its source document (with
    /// token-shaped values redacted by the loader), the chain it starts and the `--only` patterns
    /// that filtered the record (empty: the record is whole).
    public static func header(for scenario: Scenario, mode: RecoveryMode = .revive, filter: [String] = []) -> JSONValue {
        .object([
            ("record", .string("header")), ("schema", .integer(Int64(schemaVersion))),
            ("scenario", .string(scenario.name)), ("file", .string(scenario.file)), ("seed", .integer(Int64(bitPattern: scenario.seed))),
            ("runtime", .string(scenario.runtime.kind.rawValue)), ("workers", .array(scenario.runtime.workers.map { .string($0.rawValue) })),
            ("description", .string(scenario.description)), ("mode", .string(mode.rawValue)), ("source", scenario.source),
            ("chain", .string(RecordChain.algorithm)), ("filter", .array(filter.map { .string($0) })),
        ])
    }

    /// The footer record: outcome, effects, invariants, breaches and verdict.
    public static func footer(for result: ScenarioResult) -> JSONValue {
        let broken = Set(result.breaches.map(\.invariant))
        return .object([
            ("record", .string("footer")),
            ("outcome", .string(result.outcome.rawValue)),
            ("classification", result.firstClassification.map { .string($0.rawValue) } ?? .null),
            ("effects", .object(result.effects.map { ($0.step.rawValue, .integer(Int64($0.count))) })),
            ("invariantsChecked", .array(result.checkedInvariants.map { .string($0.rawValue) })),
            ("invariantsBroken", .array(result.checkedInvariants.filter { broken.contains($0) }.map { .string($0.rawValue) })),
            ("breaches", .array(result.breaches.map { breach in
                .object([("invariant", .string(breach.invariant.rawValue)), ("message", .string(breach.message)),
                         ("evidence", .array(breach.evidence.map { .integer(Int64($0)) }))])
            })),
            ("failedExpectations", .array(result.failedExpectations.map { .string($0) })),
            ("limitReached", result.limitReached.map { .string($0) } ?? .null),
            ("verdict", .string(result.passed ? "pass" : "fail")),
            // How many transitions the whole timeline has: the last `seq` of a whole record is one less.
            ("transitions", .integer(Int64(result.transitions.count))),
        ])
    }

    /// The whole JSONL text of a result, one record per line, each sealed into the digest chain;
    /// `shown` and `filter` say which transitions `--only` kept and with which patterns.
    public static func lines(for result: ScenarioResult, transitions shown: [Int]? = nil, filter: [String] = []) -> String {
        var previous = ""
        func sealed(_ record: JSONValue) -> String {
            let (record, digest) = RecordChain.seal(record, after: previous)
            previous = digest
            return record.compactText + "\n"
        }
        var out = sealed(header(for: result.scenario, mode: result.mode, filter: shown == nil ? [] : filter))
        for index in shown ?? Array(result.transitions.indices) {
            out += sealed(object(for: result.transitions[index], sequence: index))
        }
        out += sealed(footer(for: result))
        return out
    }

    /// Reads a transition record back; nil plus a message when it is not one.
    public static func transition(from value: JSONValue) -> Result<Transition, TimelineReadError> {
        guard case .object(let members) = value else { return .failure(.init("expected a JSON object")) }
        var fields: [String: JSONValue] = [:]
        for member in members { fields[member.key] = member.value }
        guard let name = fields["name"]?.stringValue, !name.isEmpty else { return .failure(.init("missing \"name\" (the transition's name)")) }
        let time: Instant
        if let ms = fields["timeMs"]?.integerValue {
            time = Instant(milliseconds: ms)
        } else if let text = fields["time"]?.stringValue, let parsed = parseClock(text) {
            time = parsed
        } else {
            return .failure(.init("missing \"timeMs\" (milliseconds) or \"time\" (+HH:MM:SS.mmm)"))
        }
        var t = Transition(time: time, actor: Actor(rawValue: fields["actor"]?.stringValue ?? "unknown"), name: TransitionName(rawValue: name))
        t.run = fields["run"]?.stringValue
        t.worker = fields["worker"]?.stringValue
        t.step = fields["step"]?.stringValue
        t.attempt = fields["attempt"]?.integerValue.map { Int($0) }
        t.connection = fields["connection"]?.stringValue
        t.generation = fields["generation"]?.integerValue.map { Int($0) }
        t.lease = fields["lease"]?.stringValue
        t.caseID = fields["case"]?.stringValue
        t.key = fields["key"]?.stringValue
        if let spelling = fields["class"]?.stringValue {
            t.failureClass = FailureClass(rawValue: spelling)
            // A class this version does not know is kept as a fact, not dropped.
            if t.failureClass == nil { t.notes.append(.init("class", spelling)) }
        }
        t.capability = fields["capability"]?.stringValue
        t.subject = fields["subject"]?.stringValue
        t.tenant = fields["tenant"]?.stringValue
        t.checkpoint = fields["checkpoint"]?.stringValue
        t.result = fields["result"]?.stringValue
        t.reason = fields["reason"]?.stringValue
        if let ms = fields["expiresMs"]?.integerValue { t.expires = Instant(milliseconds: ms) }
        else if let text = fields["expires"]?.stringValue { t.expires = parseClock(text) }
        if case .object(let notes)? = fields["notes"] {
            t.notes = notes.map { Transition.Note($0.key, $0.value.stringValue ?? $0.value.compactText) }
        }
        return .success(t)
    }

    /// Parses `+HH:MM:SS.mmm` back into an instant.
    public static func parseClock(_ text: String) -> Instant? {
        guard text.hasPrefix("+") else { return nil }
        let parts = text.dropFirst().split(separator: ":")
        guard parts.count == 3, let hours = Int64(parts[0]), let minutes = Int64(parts[1]) else { return nil }
        let secondParts = parts[2].split(separator: ".")
        guard secondParts.count == 2, let seconds = Int64(secondParts[0]), let millis = Int64(secondParts[1]) else { return nil }
        return Instant(milliseconds: ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis)
    }
}

/// Why a JSONL line could not be read as a transition.
public struct TimelineReadError: Error, Sendable {
    /// What is wrong with the line.
    public let message: String
    init(_ message: String) { self.message = message }
}
