import Testing
import Revive
import ReviveCheck
@testable import ReviveLab
import ReviveWorld

/// The loader skips the redaction walk of a document whose text holds no token shape and no
/// escape that could spell part of one (`ScenarioLoader.holdsMarkerEscape`): `\u` and `\/`. The
/// other escapes decode to characters no shape holds, so a value that decodes to a shape shows
/// it in its text already.
struct MarkerEscapeTests {
    /// The check the loader made before `mayHoldSalesforceToken`: whether the text holds `00D`
    /// anywhere (found by the `D`, as the bytes lie). Kept as the reference the new check is held to.
    static func holdsSalesforcePrefix(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.indices.contains { $0 + 2 < bytes.count && bytes[$0] == 0x30 && bytes[$0 + 1] == 0x30 && bytes[$0 + 2] == 0x44 }
    }

    /// `mayHoldSalesforceToken` answers true only where `00D` stands in the text (so it walks no
    /// file the old check spared) and false only where no string of the document holds the
    /// Salesforce shape, so skipping the redaction walk leaves the document as the walk would:
    /// random documents of strings built of the bytes that matter (`00D`, `!`, quotes and
    /// backslashes escaped, `\u` escapes, long runs of token characters), as values and keys.
    @Test func salesforceCheckSkipsOnlyDocumentsWithoutTheShape() throws {
        let pieces = ["0", "D", "00", "0D", "00D", "00Dn0000000XyZa", "!", "x", "é", " ", "\\\"", "\\\\", "\\n", "\\u0021", "\\u0030",
                      "\\/", "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJ0123456789", "\\u0044"]
        var random = SeededRandom(seed: 1401)
        var skipped = 0, walked = 0
        for _ in 0..<4000 {
            func body() -> String { (0..<Int(random.next() % 6)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined() }
            // Keys numbered, so that no two are the same.
            let members = (0..<Int(random.next() % 4) + 1).map { "\"k\($0)\(body())\": [\"\(body())\", \"\(body())\"]" }
            let text = "{" + members.joined(separator: ", ") + "}"
            let document = try JSONValue.parse(text)
            if ScenarioLoader.mayHoldSalesforceToken(text) {
                walked += 1
                #expect(MarkerEscapeTests.holdsSalesforcePrefix(text), "\(text)")
            } else if MarkerEscapeTests.holdsSalesforcePrefix(text) {
                skipped += 1
                #expect(SecretRedactor.redact(document).findings.allSatisfy { $0.marker != "00D…!" }, "\(text)")
            }
        }
        // Both answers were given on documents that hold `00D`.
        #expect(skipped > 100 && walked > 100)
    }

    /// The shapes the check must see, and the strings it may let pass, spelt out.
    @Test func salesforceCheckReadsTheStringEachPrefixStandsIn() {
        // A tenant (an org id) alone, or with a `!` elsewhere in the file: no string holds the shape.
        #expect(!ScenarioLoader.mayHoldSalesforceToken(#"{"tenant": "00Dn0000000XyZa", "description": "wow!"}"#))
        #expect(!ScenarioLoader.mayHoldSalesforceToken(#"{"a": "say \"00D\"", "b": "!"}"#))
        #expect(!ScenarioLoader.mayHoldSalesforceToken(#"{"a": "00D\\", "b": "!"}"#))
        // A `!` after the prefix in the same string, however escaped around it, may be the shape.
        #expect(ScenarioLoader.mayHoldSalesforceToken(#"{"token": "00Dx!AQ4AQFakeSessionTokenValue0000000"}"#))
        #expect(ScenarioLoader.mayHoldSalesforceToken(#"{"a": "00D \"quoted\" !"}"#))
        #expect(ScenarioLoader.mayHoldSalesforceToken(#"{"a": "00D\\\"!"}"#))
        // A `\u` escape may spell a `!`; a string that does not end is taken as holding one.
        #expect(ScenarioLoader.mayHoldSalesforceToken(#"{"a": "00D\u0021"}"#))
        #expect(ScenarioLoader.mayHoldSalesforceToken(#"{"a": "00Dabc"#))
        #expect(!ScenarioLoader.mayHoldSalesforceToken("") && !ScenarioLoader.mayHoldSalesforceToken("0D!"))
        // A string found clean is passed whole: a later string's prefix is still read.
        #expect(ScenarioLoader.mayHoldSalesforceToken(#"{"a": "00D00D", "b": "00Dx!AQ4AQFakeSessionTokenValue0000000"}"#))
        #expect(!ScenarioLoader.mayHoldSalesforceToken(#"{"a": "00D00D", "b": "x!"}"#))
    }

    /// A string of many prefixes is read once, not once a prefix: 100,000 `00D`s in one value
    /// took some 10^10 steps when each searched its string's end again (a load that seemed to
    /// hang); read once, it is 300,000. Both answers, on a value that long.
    @Test func salesforceCheckReadsALongStringOnce() {
        let prefixes = String(repeating: "00D", count: 100_000)
        #expect(!ScenarioLoader.mayHoldSalesforceToken(#"{"a": ""# + prefixes + #"", "b": "!"}"#))
        #expect(ScenarioLoader.mayHoldSalesforceToken(#"{"a": ""# + prefixes + #"", "b": "00Dx!AQ4"}"#))
    }

    @Test func onlyUnicodeAndSlashEscapesCount() {
        #expect(!ScenarioLoader.holdsMarkerEscape(#"{"description": "invalid_grant \"inactive user\""}"#))
        #expect(!ScenarioLoader.holdsMarkerEscape(#"["a\\b", "c\nd\te\r\b\f"]"#))
        #expect(ScenarioLoader.holdsMarkerEscape(#"["\u0079a29.x"]"#))
        #expect(ScenarioLoader.holdsMarkerEscape(#"["1\/\/0abc"]"#))
        // An escaped backslash before `u` or `/` is a backslash and a plain letter.
        #expect(!ScenarioLoader.holdsMarkerEscape(#"["\\u0079", "\\/"]"#))
        #expect(ScenarioLoader.holdsMarkerEscape(#"["\\\u0079"]"#))
        #expect(ScenarioLoader.holdsMarkerEscape(#"["\\\/"]"#))
        #expect(!ScenarioLoader.holdsMarkerEscape("") && !ScenarioLoader.holdsMarkerEscape("\\"))
    }

    /// Random values of marker pieces and escapable characters, written with every escape JSON
    /// allows but `\u` (and `/` escaped or not): whenever the text passes (no shape, no `\u` or
    /// `\/`), the decoded value holds no shape either, so the walk would have found nothing.
    @Test func aValueWhoseTextPassesDecodesToNoShape() throws {
        let pieces = ["ya29.", "ya", "29.", "1//0", "1/", "/0", "/", "\"", "\\", "\n", "\t", "\r", "00D", "!", "gh", "p_", "eyJ0eX",
                      "xox", "b-", "rvlab_", "a", "Z", " ", "é"]
        var random = SeededRandom(seed: 14)
        var sawEscapedShape = false
        for _ in 0..<4000 {
            let count = Int(random.next() % 7) + 1
            let value = (0..<count).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
            let escapeSlashes = random.next() % 2 == 0
            var text = "\""
            // By scalars: "\r" then "\n" is one Character.
            for character in value.unicodeScalars {
                switch character {
                case "\"": text += "\\\""
                case "\\": text += "\\\\"
                case "\n": text += "\\n"
                case "\t": text += "\\t"
                case "\r": text += "\\r"
                case "/" where escapeSlashes: text += "\\/"
                default: text.unicodeScalars.append(character)
                }
            }
            text += "\""
            #expect(try JSONValue.parse(text) == .string(value), "\(text)")
            let passes = SecretScanner.firstMarker(in: text) == nil && !ScenarioLoader.holdsMarkerEscape(text)
            if passes {
                #expect(SecretScanner.firstMarker(in: value) == nil, "\(text) passed but decodes to \(value.debugDescription)")
            } else if SecretScanner.firstMarker(in: text) == nil && SecretScanner.firstMarker(in: value) != nil {
                sawEscapedShape = true
            }
        }
        // The values did spell shapes through escapes (`1\/\/0`), which the check caught.
        #expect(sawEscapedShape)
    }
}
