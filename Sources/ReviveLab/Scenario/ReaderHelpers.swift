import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Readings that several sections of a scenario share, built on the reader's typed accessors.
extension JSONReader {
    /// The string at `key` of `object`, if the key is there; its path is `path.key`.
    mutating func optionalString<Key: ObjectKey>(_ object: Fields<Key>, _ key: Key, under path: @autoclosure () -> String) -> String? {
        string(object, key, at: path() + "." + Fields<Key>.name(of: key))
    }

    /// `string(object[key], at: path)`, with the member's text read where it lies: through
    /// `object[key]` the member's value was copied out (retained), passed and released again,
    /// for each of some 1,500 strings a cold `run` reads. Anything but a non-empty string (or an
    /// empty one where allowed) goes the way it went, to be reported.
    @inline(__always)
    mutating func string<Key: ObjectKey>(_ object: Fields<Key>, _ key: Key, at path: @autoclosure () -> String, nonEmpty: Bool = true) -> String? {
        guard object.has(key) else { return nil }
        if let text = object.text(key), !nonEmpty || !text.isEmpty { return text }
        return string(object[key], at: path(), nonEmpty: nonEmpty)
    }

    /// The members of an object whose keys are the scenario's own words (header names, step ids),
    /// so no key list applies; anything but an object is reported as "expected an object of `what`".
    mutating func freeMembers(_ value: JSONValue, at path: String, of what: String) -> [(key: String, value: JSONValue)]? {
        guard case .object(let members) = value else {
            fail(path, "expected an object of \(what), found \(value.typeName)")
            return nil
        }
        return members
    }

    /// Raw HTTP headers, an object of header names to strings (a scenario's signal and a pasted failure).
    mutating func headers(_ value: JSONValue, at path: String) -> [String: String] {
        var headers: [String: String] = [:]
        for member in freeMembers(value, at: path, of: "header names to strings") ?? [] {
            if let text = string(member.value, at: path + "." + member.key, nonEmpty: false) { headers[member.key] = text }
        }
        return headers
    }

    /// `DurationText.parse` of `text` without its first `dropped` bytes (a "+" at most). That
    /// reads a duration Character by Character, asking Unicode properties of each: some three
    /// thousand instructions a duration, 6 % of building the shipped scenarios (callgrind). The
    /// usual spelling, ASCII digits and one unit, is read here from the bytes; any other is left
    /// to `DurationText`.
    static func parseDuration(_ text: String, after dropped: Int) -> Span? {
        let quick = text.utf8.withContiguousStorageIfAvailable { bytes in
            JSONReader.quickDuration(UnsafeBufferPointer(rebasing: bytes[dropped...]))
        }
        if case .some(.some(let answer)) = quick { return answer }
        return DurationText.parse(dropped == 0 ? text : String(text.dropFirst(dropped)))
    }

    /// `DurationText.parse`'s answer for one to twelve ASCII digits and a unit (`ms`, `s`, `m`,
    /// `h`, `d`), which it reads as these bytes read: the first of its units the text ends with,
    /// the number before it, nil past 365 days. Nil (no answer) for any other spelling.
    static func quickDuration(_ bytes: UnsafeBufferPointer<UInt8>) -> Span?? {
        guard let unit = bytes.last else { return nil }
        let factor: Int64
        var digits = bytes.count - 1
        switch unit {
        case UInt8(ascii: "s") where digits > 0 && bytes[digits - 1] == UInt8(ascii: "m"):
            factor = 1
            digits -= 1
        case UInt8(ascii: "s"): factor = 1000
        case UInt8(ascii: "m"): factor = 60_000
        case UInt8(ascii: "h"): factor = 3_600_000
        case UInt8(ascii: "d"): factor = 86_400_000
        default: return nil
        }
        guard (1...12).contains(digits) else { return nil }
        var number: Int64 = 0
        for byte in bytes[..<digits] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            number = number * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        let (product, overflow) = number.multipliedReportingOverflow(by: factor)
        guard !overflow, product <= DurationText.maximum.milliseconds else { return .some(nil) }
        return .some(Span(milliseconds: product))
    }

    /// Each item of a list read as one case of `type` (`path[i]` in messages); bad items are reported and left out.
    mutating func choices<T: RawRepresentable & CaseIterable>(_ items: [JSONValue], at path: String, of type: T.Type,
                                                               noun: String) -> [T] where T.RawValue == String {
        var chosen: [T] = []
        for (i, item) in items.enumerated() {
            if let value = choice(item, at: JSONReader.index(path, i), of: type, noun: noun) { chosen.append(value) }
        }
        return chosen
    }
}
