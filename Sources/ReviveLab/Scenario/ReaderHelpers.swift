import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Readings that several sections of a scenario share, built on the reader's typed accessors.
extension JSONReader {
    /// The string at `key` of `object`, if the key is there; its path is `path.key`.
    mutating func optionalString(_ object: JSONObject, _ key: String, under path: @autoclosure () -> String) -> String? {
        object[key].flatMap { string($0, at: path() + "." + key) }
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
