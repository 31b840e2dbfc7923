import Testing
@testable import Revive
import ReviveVocabulary

/// The one-walk member lookup `SignalFacts` reads objects with: the same answers as the subscript.
@Suite("ObjectKeys: a signal object's members in one walk")
struct ObjectKeysTests {
    private func members(_ text: String) throws -> [(key: String, value: JSONValue)] {
        guard case .object(let members) = try JSONValue.parse(text) else { throw JSONSyntaxError(message: "not an object", line: 1, column: 1) }
        return members
    }

    @Test("Every name it reads is found where the subscript finds it")
    func everyNameMatchesTheSubscript() throws {
        let names = ObjectKeys.Key.allCases.map(\.name)
        let text = "{" + names.enumerated().map { "\"\($0.element)\":\($0.offset)" }.joined(separator: ",") + ",\"other\":true}"
        let object = try JSONValue.parse(text)
        let keys = ObjectKeys(try members(text))
        for key in ObjectKeys.Key.allCases {
            #expect(keys.value(key) == object[key.name], "\(key.name)")
            #expect(keys.value(key) != nil)
        }
    }

    @Test("A name that is absent, or only differs in case, is not found")
    func absentNamesAreNil() throws {
        let keys = ObjectKeys(try members(#"{"Error":"x","codes":"y","messages":"z"}"#))
        #expect(keys.value(.error) == nil)
        #expect(keys.value(.code) == nil)
        #expect(keys.value(.message) == nil)
    }

    @Test("The first member of a name wins, as the subscript's does")
    func firstMemberWins() {
        let members: [(key: String, value: JSONValue)] = [("error", .string("first")), ("error", .string("second"))]
        #expect(ObjectKeys(members).value(.error) == .string("first"))
        #expect(ObjectKeys(members).value(.error) == JSONValue.object(members)["error"])
    }

    @Test("Members past the 254th are found by name")
    func farMembersAreFound() {
        var members: [(key: String, value: JSONValue)] = (0..<300).map { (key: "filler\($0)", value: .integer(Int64($0))) }
        members.append((key: "message", value: .string("far")))
        members.append((key: "message", value: .string("farther")))
        let keys = ObjectKeys(members)
        #expect(keys.value(.message) == .string("far"))
        #expect(keys.value(.error) == nil)
    }
}
