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
    /// Random documents of strings built of the bytes that matter (`00D`, `!`, quotes and
    /// backslashes escaped, `\u` escapes, long runs of token characters), as values and keys:
    /// whenever the loader skips the redaction walk (`needsNoRedaction`), the walk would have
    /// found no Salesforce shape; and both answers are given on documents that hold `00D`.
    @Test func salesforceShapesAreNeverSkipped() throws {
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
            guard text.contains("00D") else { continue }
            if ScenarioLoader.needsNoRedaction(text) {
                skipped += 1
                #expect(SecretRedactor.redact(document).findings.allSatisfy { $0.marker != "00D…!" }, "\(text)")
            } else {
                walked += 1
            }
        }
        #expect(skipped > 100 && walked > 100)
    }

    /// The Salesforce shapes the loader must walk for, and the texts it may let pass, spelt out.
    @Test func salesforceShapesSpeltOut() {
        // A tenant (an org id) with a `!` close to the end of the file: no value can hold the shape.
        #expect(ScenarioLoader.needsNoRedaction(#"{"tenant": "00Dn0000000XyZa", "description": "wow!"}"#))
        // A `!` with more than twenty bytes after it, in the value or in the file, is walked for.
        #expect(!ScenarioLoader.needsNoRedaction(#"{"token": "00Dx!AQ4AQFakeSessionTokenValue0000000"}"#))
        #expect(!ScenarioLoader.needsNoRedaction(#"{"a": "wow! a description first", "token": "00Dx!AQ4AQFakeSessionTokenValue0000000"}"#))
        // A `\u` escape may spell a `!`.
        #expect(!ScenarioLoader.needsNoRedaction(#"{"a": "00D\u0021AQ4AQFakeSessionTokenValue0000000"}"#))
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
