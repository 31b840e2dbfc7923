import Revive
import ReviveVocabulary

/// Builds one stored record as a JSON object, leaving out absent facts.
struct RecordWriter {
    private(set) var members: [(key: String, value: JSONValue)] = []

    mutating func put(_ key: String, _ value: String?) { if let value { members.append((key, .string(value))) } }
    mutating func put(_ key: String, _ value: Int?) { if let value { members.append((key, .integer(Int64(value)))) } }
    mutating func put(_ key: String, _ value: Int64?) { if let value { members.append((key, .integer(value))) } }
    mutating func put(_ key: String, _ value: Bool) { members.append((key, .bool(value))) }
    mutating func put(_ key: String, _ value: Instant?) { put(key, value?.milliseconds) }
    mutating func put(_ key: String, _ value: Span?) { put(key, value?.milliseconds) }
    mutating func put(_ key: String, _ value: [String]) { members.append((key, .array(value.map { .string($0) }))) }
    mutating func put(_ key: String, _ value: JSONValue?) { if let value { members.append((key, value)) } }

    /// The record's text, as stored.
    var text: String { JSONValue.object(members).compactText }
}

/// Reads one stored record back; a missing or mistyped fact makes it `corrupt`, never a guess.
struct RecordReader {
    private let members: [String: JSONValue]
    private let what: String

    init(_ text: String, what: String) throws(RecoveryStoreError) {
        self.what = what
        guard let value = try? JSONValue.parse(text), case .object(let pairs) = value else {
            throw RecoveryStoreError.corrupt("\(what) is not a JSON object")
        }
        var members: [String: JSONValue] = [:]
        for pair in pairs { members[pair.key] = pair.value }
        self.members = members
    }

    private func missing(_ key: String) -> RecoveryStoreError { .corrupt("\(what) lacks \"\(key)\" or has the wrong type") }

    func string(_ key: String) throws(RecoveryStoreError) -> String {
        guard case .string(let value)? = members[key] else { throw missing(key) }
        return value
    }

    func optionalString(_ key: String) throws(RecoveryStoreError) -> String? {
        guard let value = members[key] else { return nil }
        guard case .string(let text) = value else { throw missing(key) }
        return text
    }

    func integer(_ key: String) throws(RecoveryStoreError) -> Int64 {
        guard case .integer(let value)? = members[key] else { throw missing(key) }
        return value
    }

    func optionalInteger(_ key: String) throws(RecoveryStoreError) -> Int64? {
        guard let value = members[key] else { return nil }
        guard case .integer(let number) = value else { throw missing(key) }
        return number
    }

    func int(_ key: String) throws(RecoveryStoreError) -> Int { Int(try integer(key)) }
    func optionalInt(_ key: String) throws(RecoveryStoreError) -> Int? { try optionalInteger(key).map { Int($0) } }

    func bool(_ key: String) throws(RecoveryStoreError) -> Bool {
        guard case .bool(let value)? = members[key] else { throw missing(key) }
        return value
    }

    func instant(_ key: String) throws(RecoveryStoreError) -> Instant { Instant(milliseconds: try integer(key)) }
    func optionalInstant(_ key: String) throws(RecoveryStoreError) -> Instant? { try optionalInteger(key).map { Instant(milliseconds: $0) } }
    func span(_ key: String) throws(RecoveryStoreError) -> Span { Span(milliseconds: try integer(key)) }
    func optionalSpan(_ key: String) throws(RecoveryStoreError) -> Span? { try optionalInteger(key).map { Span(milliseconds: $0) } }

    func strings(_ key: String) throws(RecoveryStoreError) -> [String] {
        guard case .array(let items)? = members[key] else { throw missing(key) }
        var result: [String] = []
        for item in items {
            guard case .string(let text) = item else { throw missing(key) }
            result.append(text)
        }
        return result
    }

    func value(_ key: String) -> JSONValue? { members[key] }

    func generation(_ key: String) throws(RecoveryStoreError) -> LeaseGeneration {
        guard let generation = LeaseGeneration(recorded: try int(key)) else { throw missing(key) }
        return generation
    }

    /// A raw-valued enum case; an unknown spelling is corrupt (written by a newer version, or damaged).
    func choice<T: RawRepresentable>(_ key: String, as type: T.Type) throws(RecoveryStoreError) -> T where T.RawValue == String {
        guard let value = T(rawValue: try string(key)) else { throw missing(key) }
        return value
    }

    func optionalChoice<T: RawRepresentable>(_ key: String, as type: T.Type) throws(RecoveryStoreError) -> T? where T.RawValue == String {
        guard let raw = try optionalString(key) else { return nil }
        guard let value = T(rawValue: raw) else { throw missing(key) }
        return value
    }
}
