import Testing
@testable import Revive
import ReviveVocabulary

/// The strict JSON parser and the canonical writer.
@Suite("JSONValue: parsing and writing")
struct JSONValueTests {
    private func syntaxError(_ text: String) -> JSONSyntaxError? {
        do {
            _ = try JSONValue.parse(text)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Accepting

    @Test("Nested objects and arrays keep members in document order")
    func nested() throws {
        let value = try JSONValue.parse(#"{"b":{"c":[1,{"d":null}]},"a":true}"#)
        #expect(value == .object([
            ("b", .object([("c", .array([.integer(1), .object([("d", .null)])]))])),
            ("a", .bool(true)),
        ]))
    }

    @Test("Whitespace around tokens is allowed")
    func whitespace() throws {
        #expect(try JSONValue.parse(" \n\t{ \"a\" :\r\n [ 1 , 2 ] } \n") == .object([("a", .array([.integer(1), .integer(2)]))]))
    }

    @Test("Member lookup by key finds a member and gives nil for a missing one or a non-object")
    func subscriptLookup() throws {
        let value = try JSONValue.parse(#"{"a":"x"}"#)
        #expect(value["a"] == .string("x"))
        #expect(value["b"] == nil)
        #expect(JSONValue.array([])["a"] == nil)
    }

    @Test("Every simple escape is decoded")
    func simpleEscapes() throws {
        #expect(try JSONValue.parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{8}\u{C}\n\r\t"))
    }

    @Test("A \\u escape decodes a BMP character")
    func unicodeEscape() throws {
        #expect(try JSONValue.parse(#""caf\u00e9 \u20AC""#) == .string("café €"))
    }

    @Test("A surrogate pair decodes to one astral scalar")
    func surrogatePair() throws {
        let value = try JSONValue.parse(#""\ud83d\ude00""#)
        #expect(value == .string("😀"))
        #expect(value.stringValue?.unicodeScalars.count == 1)
    }

    @Test("Raw UTF-8 passes through unchanged")
    func rawUTF8() throws {
        #expect(try JSONValue.parse("\"Grüße 😀\"") == .string("Grüße 😀"))
    }

    @Test("An integer literal is an integer and a fraction or exponent is a number")
    func integerVersusNumber() throws {
        #expect(try JSONValue.parse("42") == .integer(42))
        #expect(try JSONValue.parse("-7") == .integer(-7))
        #expect(try JSONValue.parse("0") == .integer(0))
        #expect(try JSONValue.parse("1.5") == .number(1.5))
        #expect(try JSONValue.parse("1.0") == .number(1.0))
        #expect(try JSONValue.parse("2e3") == .number(2000))
        #expect(try JSONValue.parse("-2.5E-1") == .number(-0.25))
    }

    @Test("An integer beyond Int64 falls back to a number")
    func hugeInteger() throws {
        #expect(try JSONValue.parse("9223372036854775808") == .number(9_223_372_036_854_775_808))
        #expect(try JSONValue.parse("9223372036854775807") == .integer(.max))
    }

    @Test("integerValue reads an integer and an integral number, not a fraction")
    func integerValue() {
        #expect(JSONValue.integer(700082).integerValue == 700082)
        #expect(JSONValue.number(3.0).integerValue == 3)
        #expect(JSONValue.number(3.5).integerValue == nil)
        #expect(JSONValue.string("3").integerValue == nil)
    }

    @Test("The literals true, false and null are read")
    func literals() throws {
        #expect(try JSONValue.parse("[true,false,null]") == .array([.bool(true), .bool(false), .null]))
    }

    // MARK: Rejecting, with line and column

    @Test("A trailing comma in an array is rejected at the closing bracket")
    func trailingCommaArray() throws {
        let error = try #require(syntaxError("[1,2,]"))
        #expect((error.line, error.column) == (1, 6))
    }

    @Test("A trailing comma in an object is rejected at the closing brace")
    func trailingCommaObject() throws {
        let error = try #require(syntaxError("{\n  \"a\": 1,\n}"))
        #expect((error.line, error.column) == (3, 1))
    }

    @Test("A duplicate key is rejected at the second occurrence, naming the key")
    func duplicateKey() throws {
        let error = try #require(syntaxError("{\n  \"name\": 1,\n  \"name\": 2\n}"))
        #expect((error.line, error.column) == (3, 3))
        #expect(error.message.contains("\"name\""))
    }

    @Test("A duplicate key in a large object (past the members scanned one by one) is rejected too, and distinct keys are not")
    func duplicateKeyInALargeObject() throws {
        let members = (0..<40).map { "\"k\($0)\": \($0)" }
        #expect(syntaxError("{" + members.joined(separator: ",") + "}") == nil)
        let error = try #require(syntaxError("{" + (members + ["\"k3\": 0"]).joined(separator: ",") + "}"))
        #expect(error.message.contains("duplicate key \"k3\""))
        let early = try #require(syntaxError("{" + (members + ["\"k39\": 0"]).joined(separator: ",") + "}"))
        #expect(early.message.contains("duplicate key \"k39\""))
    }

    @Test("Canonically equivalent spellings of a key are one key, in a small object and a large one")
    func canonicallyEquivalentKeysAreDuplicates() throws {
        // "café" with a precomposed é (2 bytes) and with e plus a combining accent (3 bytes).
        let small = try #require(syntaxError("{\"caf\u{e9}\": 1, \"cafe\u{301}\": 2}"))
        #expect(small.message.contains("duplicate key"))
        let members = (0..<20).map { "\"k\($0)\": \($0)" }
        let large = try #require(syntaxError("{" + (members + ["\"caf\u{e9}\": 1", "\"cafe\u{301}\": 2"]).joined(separator: ",") + "}"))
        #expect(large.message.contains("duplicate key"))
        let object = try JSONValue.parse("{\"caf\u{e9}\": 1}")
        #expect(object["cafe\u{301}"] == .integer(1), "a lookup finds the key under either spelling, as a dictionary did")
    }

    @Test("A key spelt with the Kelvin sign is the key spelt with K (another byte count), in a small object")
    func kelvinSignKeyIsADuplicate() throws {
        // U+212A is canonically K: an ASCII key and this one differ in length yet are one key.
        let error = try #require(syntaxError("{\"Key\": 1, \"\u{212A}ey\": 2}"))
        #expect(error.message.contains("duplicate key"))
        let reversed = try #require(syntaxError("{\"\u{212A}ey\": 1, \"Key\": 2}"))
        #expect(reversed.message.contains("duplicate key"))
        #expect(syntaxError("{\"ab\": 1, \"abc\": 2, \"b\": 3}") == nil)
    }

    @Test("A string is read whole wherever in it (word by word) a quote, an escape or a control byte falls")
    func stringsAreReadWholeWhateverTheirLength() throws {
        for length in 0..<40 {
            let plain = String(repeating: "a", count: length)
            #expect(try JSONValue.parse("[\"\(plain)\"]") == .array([.string(plain)]))
            #expect(try JSONValue.parse("[\"\(plain)\\n\(plain)\"]") == .array([.string(plain + "\n" + plain)]))
            #expect(try JSONValue.parse("[\"\(plain)\\\"\"]") == .array([.string(plain + "\"")]))
            #expect(try JSONValue.parse("[\"\(plain)\u{e9}\(plain)\"]") == .array([.string(plain + "\u{e9}" + plain)]))
            let control = try #require(syntaxError("[\"\(plain)\u{1}\(plain)\"]"))
            #expect(control.message.contains("control character"))
            #expect((control.line, control.column) == (1, 3 + length))
        }
    }

    @Test("An unterminated string is rejected at the end of the text")
    func unterminatedString() throws {
        let error = try #require(syntaxError("{\"a\": \"abc"))
        #expect((error.line, error.column) == (1, 11))
        #expect(error.message.contains("unterminated"))
    }

    @Test("An empty text is rejected at line 1, column 1")
    func emptyText() throws {
        let error = try #require(syntaxError(""))
        #expect((error.line, error.column) == (1, 1))
    }

    @Test("A text of only whitespace is rejected where it ends")
    func whitespaceOnly() throws {
        let error = try #require(syntaxError("  \n   "))
        #expect((error.line, error.column) == (2, 4))
    }

    @Test("Text after the value is rejected where it starts")
    func trailingGarbage() throws {
        let error = try #require(syntaxError("{\"a\":1} x"))
        #expect((error.line, error.column) == (1, 9))
        #expect(error.message.contains("after the JSON value"))
    }

    @Test("Columns count characters, not UTF-8 bytes")
    func columnsCountCharacters() throws {
        let error = try #require(syntaxError("[\"é😀\", x]"))
        #expect((error.line, error.column) == (1, 8))
    }

    @Test("The description reads 'line L, column C: message'")
    func errorDescription() throws {
        let error = try #require(syntaxError("[1,]"))
        #expect(error.description.hasPrefix("line 1, column 4: "))
    }

    @Test("Malformed texts are rejected", arguments: [
        "01", "1.", "-", ".5", "1e", "+1", "[1 2]", "{\"a\" 1}", "{a:1}", "tru", "nul", "'x'", "\"\\x\"", "\"\\u12\"",
        "\"\\ud83d\"", "\"\\ud83dx\"", "\"\\ude00\"", "\"a\u{1}b\"", "[", "{\"a\":", "]",
    ])
    func malformed(_ text: String) {
        #expect(syntaxError(text) != nil)
    }

    @Test("Nesting deeper than 256 levels is refused rather than overflowing the stack")
    func depthLimit() {
        #expect(syntaxError(String(repeating: "[", count: 300) + String(repeating: "]", count: 300)) != nil)
        #expect(syntaxError(String(repeating: "[", count: 200) + String(repeating: "]", count: 200)) == nil)
    }

    // MARK: Writing

    @Test("compactText drops whitespace and keeps member order")
    func compactText() throws {
        let value = try JSONValue.parse("{ \"z\" : [ 1 , 2.5 , true , null ] , \"a\" : \"x\" }")
        #expect(value.compactText == #"{"z":[1,2.5,true,null],"a":"x"}"#)
    }

    @Test("compactText escapes quotes, backslashes and control characters")
    func compactTextEscapes() {
        #expect(JSONValue.string("a\"b\\c\nd\te\u{1}").compactText == #""a\"b\\c\nd\te\u0001""#)
    }

    @Test("compactText parses back to the same value")
    func roundTrip() throws {
        let text = #"{"id":"c-1","n":-12,"f":0.125,"big":1e+300,"ok":false,"none":null,"s":"\u00e9\ud83d\ude00\"\\\/\b\f\n\r\t","list":[[],{},[{"k":[1,[2,[3]]]}]]}"#
        let value = try JSONValue.parse(text)
        #expect(try JSONValue.parse(value.compactText) == value)
    }

    @Test("compactText is stable: writing the reparsed value gives the same text")
    func compactTextIsCanonical() throws {
        let value = try JSONValue.parse(#"{"a" : [1, 2.75, "x\u0041"], "b": {}}"#)
        let once = value.compactText
        #expect(try JSONValue.parse(once).compactText == once)
    }

    @Test("A fraction with a zero part keeps its number type through compactText")
    func integralFractionRoundTrip() throws {
        let value = try JSONValue.parse("1.0")
        // JSONValue.swift line 111 writes an integral .number as "1", which parses back as .integer(1).
        let reparsed = try JSONValue.parse(value.compactText)
        #expect(reparsed == value)
    }
}

/// Integers read in place by the parser: the same values (and the same switch to a number past
/// Int64) as reading them through `Int64(String)`.
struct JSONIntegerParsingTests {
    @Test func wholeNumbersStayIntegersUpToInt64() throws {
        #expect(try JSONValue.parse("9223372036854775807") == .integer(Int64.max))
        #expect(try JSONValue.parse("-9223372036854775808") == .integer(Int64.min))
        #expect(try JSONValue.parse("-0") == .integer(0))
        #expect(try JSONValue.parse("[12, -3]") == .array([.integer(12), .integer(-3)]))
        #expect(try JSONValue.parse("9223372036854775808") == .number(9223372036854775808.0))
        #expect(try JSONValue.parse("-9223372036854775809") == .number(-9223372036854775809.0))
    }
}
