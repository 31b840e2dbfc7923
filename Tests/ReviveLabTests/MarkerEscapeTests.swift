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
    /// `holdsSalesforcePrefix` (found by the `D`) says what looking for `00D` as a substring of
    /// the bytes says (the reference), on texts built of the bytes that matter, at every place.
    @Test func salesforcePrefixIsFoundWhereverTheBytesAre() {
        func reference(_ text: String) -> Bool {
            let bytes = Array(text.utf8)
            return bytes.indices.contains { $0 + 2 < bytes.count && bytes[$0] == 0x30 && bytes[$0 + 1] == 0x30 && bytes[$0 + 2] == 0x44 }
        }
        let pieces = ["0", "D", "00", "0D", "x", "é", "00D", "D0", "\\", "!"]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        var texts = ["", "D", "0D", "00D", "000D", "0x0D", "00d", "a00D!", "D00"]
        for _ in 0..<2000 {
            var text = ""
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            for step in 0..<Int(state >> 60) { text += pieces[Int((state >> UInt64(4 * step % 56)) % UInt64(pieces.count))] }
            texts.append(text)
        }
        for text in texts { #expect(ScenarioLoader.holdsSalesforcePrefix(text) == reference(text), "\(text.debugDescription)") }
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
