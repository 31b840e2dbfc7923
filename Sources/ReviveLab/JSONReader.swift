import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Reads typed values out of a `JSONValue` tree, collecting every problem with its key path.
///
/// Each accessor returns nil after recording a problem, so a loader can keep going and report
/// everything wrong with a file at once.
struct JSONReader {
    let file: String
    /// Where the keys of this kind of input are listed, for the missing-key message.
    let keysListedIn: String
    private(set) var problems: [InputProblem] = []

    init(file: String, keysListedIn: String = "docs/scenario-format.md lists every key") {
        self.file = file
        self.keysListedIn = keysListedIn
    }

    mutating func fail(_ path: String, _ message: String) {
        problems.append(InputProblem(file: file, path: path, message: message))
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }
    /// `path[i]`, written as bytes: joined as Strings, it grew its buffer twice and cost a
    /// scenario's loader more than reading the item it names.
    static func index(_ path: String, _ i: Int) -> String {
        var text = TextLine(capacity: path.utf8.count + 24)
        text.append(path)
        text.append(byte: UInt8(ascii: "["))
        text.append(integer: i)
        text.append(byte: UInt8(ascii: "]"))
        return text.text
    }

    /// The members of an object, after checking its type, its required keys and that every key is known.
    mutating func object(_ value: JSONValue?, at path: @autoclosure () -> String, allowed: [String], required: [String] = []) -> JSONObject? {
        guard let value else { return nil }
        guard case .object(let members) = value else {
            fail(path(), "expected an object, found \(value.typeName)")
            return nil
        }
        var allKnown = true
        for member in members where !JSONObject.contains(allowed, member.key) {
            allKnown = false
            break
        }
        let result = JSONObject(members: allKnown ? members : knownMembers(members, at: path(), allowed: allowed))
        for key in required where result[key] == nil {
            fail(JSONReader.join(path(), key), "missing required key; add \"\(key)\" here (\(keysListedIn))")
        }
        return result
    }

    /// `object` for the section readers: the members found by their key's place (`Fields`), with
    /// the same checks and messages.
    mutating func fields<Key: ObjectKey>(_ value: JSONValue?, at path: @autoclosure () -> String, as key: Key.Type) -> Fields<Key>? {
        guard let value else { return nil }
        guard case .object(let members) = value else {
            fail(path(), "expected an object, found \(value.typeName)")
            return nil
        }
        // Every key of a file that loads is known; else the others are reported and left out.
        let fields = Fields<Key>(members) ?? Fields<Key>(knownMembers(members, at: path(), allowed: Key.list.names))!
        for place in Key.list.requiredPlaces where !fields.has(at: place) {
            let name = Key.list.names[place]
            fail(JSONReader.join(path(), name), "missing required key; add \"\(name)\" here (\(keysListedIn))")
        }
        return fields
    }

    /// The allowed members of an object that has others, each other reported (but `$schema` at the top).
    private mutating func knownMembers(_ members: [(key: String, value: JSONValue)], at path: String,
                                       allowed: [String]) -> [(key: String, value: JSONValue)] {
        var result: [(key: String, value: JSONValue)] = []
        for member in members {
            if JSONObject.contains(allowed, member.key) {
                result.append(member)
            } else if member.key == "$schema" && path.isEmpty {
                continue
            } else {
                var message = "unknown key \"\(member.key)\""
                if let guess = JSONReader.closest(member.key, in: allowed) {
                    message += "; did you mean \"\(guess)\"? Allowed here: "
                } else {
                    message += "; allowed here: "
                }
                message += allowed.joined(separator: ", ")
                fail(JSONReader.join(path, member.key), message)
            }
        }
        return result
    }

    mutating func array(_ value: JSONValue?, at path: @autoclosure () -> String) -> [JSONValue]? {
        guard let value else { return nil }
        guard case .array(let items) = value else {
            fail(path(), "expected an array, found \(value.typeName)")
            return nil
        }
        return items
    }

    mutating func bool(_ value: JSONValue?, at path: @autoclosure () -> String) -> Bool? {
        guard let value else { return nil }
        guard case .bool(let flag) = value else {
            fail(path(), "expected true or false, found \(value.typeName)")
            return nil
        }
        return flag
    }

    mutating func string(_ value: JSONValue?, at path: @autoclosure () -> String, nonEmpty: Bool = true) -> String? {
        guard let value else { return nil }
        guard case .string(let text) = value else {
            fail(path(), "expected a string, found \(value.typeName)")
            return nil
        }
        if nonEmpty && text.isEmpty {
            fail(path(), "must not be empty")
            return nil
        }
        return text
    }

    mutating func integer(_ value: JSONValue?, at path: @autoclosure () -> String, range: ClosedRange<Int64>) -> Int64? {
        guard let value else { return nil }
        guard case .integer(let number) = value else {
            if case .number = value { fail(path(), "expected a whole number, found a fraction") } else {
                fail(path(), "expected a whole number, found \(value.typeName)")
            }
            return nil
        }
        guard range.contains(number) else {
            fail(path(), "\(number) is out of range; use \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return number
    }

    mutating func number(_ value: JSONValue?, at path: @autoclosure () -> String) -> Double? {
        guard let value else { return nil }
        switch value {
        case .integer(let n): return Double(n)
        case .number(let d): return d
        default:
            fail(path(), "expected a number, found \(value.typeName)")
            return nil
        }
    }

    mutating func duration(_ value: JSONValue?, at path: @autoclosure () -> String, allowZero: Bool = true) -> Span? {
        guard let text = string(value, at: path()) else { return nil }
        if text.utf8.first == UInt8(ascii: "-") && text.hasPrefix("-") {
            fail(path(), "\"\(text)\" is negative; durations are zero or more, like \"250ms\", \"90s\", \"15m\", \"2h\", \"1d\"")
            return nil
        }
        guard let span = JSONReader.parseDuration(text, after: 0) else {
            fail(path(), "\"\(text)\" is not a duration; write a whole number and one unit (ms, s, m, h, d) up to 365d, like \"250ms\" or \"15m\"")
            return nil
        }
        if !allowZero && span == .zero {
            fail(path(), "must be longer than zero")
            return nil
        }
        return span
    }

    /// A virtual time written `+DURATION`, such as `+5m`.
    mutating func instant(_ value: JSONValue?, at path: @autoclosure () -> String) -> Instant? {
        guard let text = string(value, at: path()) else { return nil }
        guard text.utf8.first == UInt8(ascii: "+") && text.hasPrefix("+"), let span = JSONReader.parseDuration(text, after: 1) else {
            fail(path(), "\"\(text)\" is not a virtual time; write \"+\" and a duration, like \"+5m\" or \"+2h\"")
            return nil
        }
        return Instant.zero.advanced(by: span)
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ value: JSONValue?, at path: @autoclosure () -> String, of type: T.Type, noun: String) -> T? where T.RawValue == String {
        guard let text = string(value, at: path()) else { return nil }
        guard let result = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue)
            var message = "\"\(text)\" is not \(noun); use one of \(allowed.joined(separator: ", "))"
            if let guess = JSONReader.closest(text, in: allowed) { message = "\"\(text)\" is not \(noun); did you mean \"\(guess)\"? Allowed: \(allowed.joined(separator: ", "))" }
            fail(path(), message)
            return nil
        }
        return result
    }

    mutating func stringList(_ value: JSONValue?, at path: @autoclosure () -> String) -> [String]? {
        stringList(value, at: path(), as: { $0 })
    }

    /// `stringList(_:at:)`, each string made a `T` as it is read: a list of ids is made once, not
    /// made of strings and then mapped into a second list.
    @inline(__always)
    mutating func stringList<T>(_ value: JSONValue?, at path: @autoclosure () -> String, as make: (String) -> T) -> [T]? {
        guard let items = array(value, at: path()) else { return nil }
        var result: [T] = []
        result.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            if let text = string(item, at: JSONReader.index(path(), i)) { result.append(make(text)) }
        }
        return result
    }

    /// The closest allowed word within two edits, for "did you mean" hints.
    static func closest(_ word: String, in candidates: [String]) -> String? {
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(word.lowercased(), candidate.lowercased())
            if distance <= 2, distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
        }
        return best?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
