import Testing
@testable import ReviveCheck

/// The anchor filter in front of the exact scan (`mayHoldAnchoredMarker`, sixteen bytes at a time)
/// must never change an answer: `firstMarker(in:)` must agree with the scanner as it was before
/// (`ReferenceSecretScanner`, kept verbatim) on every value, wherever a marker, a near miss or a
/// lone anchor falls against the 8- and 16-byte blocks and the buffer's ends.
@Suite("SecretScanner anchor filter")
struct SecretScannerAnchorTests {
    /// A small deterministic generator (the PCG constants the other seeded tests use).
    struct Draw {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    /// Markers, their prefixes and near misses, lone anchors with and without their neighbours,
    /// the Salesforce pieces, plain and non-ASCII filler.
    static let pieces = SecretScanner.markers + [
        "r", "v", "rv", "rvla", "rvlab", "rv_", "rvcap", "rvca_", "e", "ey", "eyJ", "eyJ0e", "eJ", "yJ", "J", "y", "ya", "ya2",
        "ya29", "a29.", "9", "29.", "x", "xo", "xox", "ox", "oxe.", "g", "gh", "ghu", "gh_", "g_", "h_", "_", "1", "1/", "1//",
        "//0", "/", "0", "00", "00D", "0D", "D", "!", "!!", " ", "\"", ":", ",", "{", "}", "-", ".", "a", "bc", "def", "k",
        "conn_salesforce_sales", "lease_d9030832", "é", "€", "🙂", "\u{0}", "\n",
    ]

    static func value(_ draw: inout Draw, pieces count: Int) -> String {
        var value = ""
        for _ in 0..<count { value += pieces[draw.next(pieces.count)] }
        return value
    }

    @Test func randomValuesAgreeWithTheReference() {
        var draw = Draw(state: 0xA11C_0E5)
        for round in 0..<30_000 {
            // Mostly short values (the custody check's), some of a few hundred bytes.
            let count = round % 10 == 0 ? draw.next(120) : draw.next(12)
            let value = Self.value(&draw, pieces: count)
            #expect(SecretScanner.firstMarker(in: value) == ReferenceSecretScanner.firstMarker(in: value), "\(value)")
        }
    }

    /// Each shape (a marker, a truncated marker, a near miss, a lone anchor) at every offset of
    /// values of every length up to 48 bytes, in two fillers: one with no anchor, one full of
    /// anchors whose neighbours are wrong.
    @Test func everyShapeAtEveryOffsetOfEveryLength() {
        let shapes = SecretScanner.markers + SecretScanner.markers.map { String($0.dropLast()) }
            + ["00Dxx!", "rv_", "gh_", "eJ", "ya9", "1/0", "/0", "ox", "!", "00D", "_", "J", "9", "x", "/"]
        let fillers = ["abcdfhijklmnpqstuvwz-.23456780", "_J9x/_a_J_9_x_/b__JJ99xx//"]
        for filler in fillers {
            let pad = Array(String(repeating: filler, count: 4).utf8)
            for shape in shapes {
                let bytes = Array(shape.utf8)
                for length in 0...48 {
                    for offset in 0...length {
                        var value = Array(pad.prefix(length))
                        // The shape replaces the filler from `offset`, cut at the value's end.
                        for (k, byte) in bytes.enumerated() where offset + k < length { value[offset + k] = byte }
                        let text = String(decoding: value, as: UTF8.self)
                        #expect(SecretScanner.firstMarker(in: text) == ReferenceSecretScanner.firstMarker(in: text), "\(text)")
                    }
                }
            }
        }
    }

    /// A Salesforce shape's answer depends on the whole value (the `00D` before the first `!`,
    /// twenty bytes after it): long values with the pieces spread across block boundaries.
    @Test func salesforceShapesAcrossBlocks() {
        var draw = Draw(state: 0x00D_5A1E5)
        let parts = ["00D", "!", "0", "D", "abcdefgh", "12345678901234567890", "_", "x", "é"]
        for _ in 0..<5_000 {
            var value = ""
            for _ in 0..<draw.next(14) { value += parts[draw.next(parts.count)] }
            #expect(SecretScanner.firstMarker(in: value) == ReferenceSecretScanner.firstMarker(in: value), "\(value)")
        }
    }

    /// Scenario-sized texts (a few kilobytes of JSON-like text), clean or with one marker
    /// somewhere: the loader scans each scenario file whole.
    @Test func fileSizedTextsAgreeWithTheReference() {
        var draw = Draw(state: 0xF11E_5)
        let words = ["{\n  \"format\": 1,\n", "\"name\": \"expired-access-token\",", "\"connection\": \"conn_google_ops\",",
                     " the owner signs in again; ", "\"after\": \"150m\",", "\"tenant\": \"00Dn0000000XyZa\",", "\"x-trace\": 9,",
                     "https://example.com/a/b", " ye Jx 9x _x ", "\n  ],\n", "\u{e9}t\u{e9}", "\"ghost_town\"", "\"rvs_\""]
        for round in 0..<400 {
            var text = ""
            while text.utf8.count < 1_500 + draw.next(2_500) { text += words[draw.next(words.count)] }
            if round % 3 == 0 {
                // One marker (or a lone `!`) at a random place.
                let shapes = SecretScanner.markers + ["!"]
                var bytes = Array(text.utf8)
                let at = draw.next(bytes.count)
                bytes.insert(contentsOf: Array(shapes[draw.next(shapes.count)].utf8), at: at)
                text = String(decoding: bytes, as: UTF8.self)
            }
            #expect(SecretScanner.firstMarker(in: text) == ReferenceSecretScanner.firstMarker(in: text))
        }
    }

    /// The filter alone: for every length and position, a marker makes it say yes; and whenever
    /// it says no, the exact scan finds nothing (so skipping that scan changes no answer).
    @Test func theFilterNeverClearsAMarker() {
        var draw = Draw(state: 0xB10C)
        let alphabet = Array("abcdefghijklmnopqrstuvwz0123456789-.:_J9x/!ey\"".utf8)
        for length in 0...70 {
            for _ in 0..<200 {
                var bytes = (0..<length).map { _ in alphabet[draw.next(alphabet.count)] }
                if length > 0, draw.next(2) == 0 {
                    let marker = Array(SecretScanner.markers[draw.next(SecretScanner.markers.count)].utf8)
                    let at = draw.next(length)
                    for (k, byte) in marker.enumerated() where at + k < length { bytes[at + k] = byte }
                }
                let cleared = bytes.withUnsafeBufferPointer { !SecretScanner.mayHoldAnchoredMarker($0) }
                let text = String(decoding: bytes, as: UTF8.self)
                if cleared { #expect(ReferenceSecretScanner.firstMarker(in: text) == nil, "\(text)") }
                #expect(SecretScanner.firstMarker(in: text) == ReferenceSecretScanner.firstMarker(in: text), "\(text)")
            }
        }
        #expect(!SecretScanner.mayHoldAnchoredMarker(UnsafeBufferPointer(start: nil, count: 0)))
    }
}
