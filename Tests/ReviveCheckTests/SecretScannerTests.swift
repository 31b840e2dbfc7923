import Testing
@testable import ReviveCheck

/// The byte scan behind `token-custody` (one table lookup a byte, a pattern loop only where a
/// marker's first two bytes meet) must find exactly what a plain search finds, wherever a marker falls.
@Suite("SecretScanner")
struct SecretScannerTests {
    /// The plain search the scan must agree with: the first marker by position (the earliest in
    /// `markers` at a tie), else the Salesforce shape.
    static func reference(_ value: String) -> String? {
        let bytes = Array(value.utf8)
        for start in bytes.indices {
            for marker in SecretScanner.markers where bytes[start...].starts(with: Array(marker.utf8)) { return marker }
        }
        // A `00D`, then a `!` with more than twenty bytes after it.
        let salesforce = bytes.indices.contains { start in
            bytes[start...].starts(with: Array("00D".utf8))
                && bytes[start...].indices.contains { bytes[$0] == UInt8(ascii: "!") && bytes.count - $0 > 20 }
        }
        return salesforce ? "00D…!" : nil
    }

    /// A `!` before the `00D` (in the same value) does not hide the shape.
    @Test func aSalesforceShapeAfterAnEarlierExclamationMarkIsFound() {
        for value in ["wow! later 00Dxx0000001gPL!AQ4AQabcdefghijklmnopqrstuvwxyz", "!00D!" + String(repeating: "k", count: 21)] {
            #expect(SecretScanner.firstMarker(in: value) == "00D…!", "\(value)")
            #expect(Self.reference(value) == "00D…!", "\(value)")
        }
        // Twenty bytes after the `!`, counting it, are too few.
        #expect(SecretScanner.firstMarker(in: "00D!" + String(repeating: "k", count: 19)) == nil)
    }

    @Test(arguments: SecretScanner.markers + ["00Dxx!"])
    func aMarkerIsFoundAtEveryOffset(_ marker: String) {
        let filler = "abcdfhijklmnpqstuvwz-_.23456789"
        for offset in 0..<40 {
            let head = String(String(repeating: filler, count: 3).prefix(offset))
            let value = head + marker + String(repeating: "k", count: 24)
            #expect(SecretScanner.firstMarker(in: value) == Self.reference(value), "\(value)")
            #expect(SecretScanner.firstMarker(in: value) != nil, "\(value)")
        }
    }

    @Test func cleanValuesOfEveryLengthStayClean() {
        let text = "idem-run_7f2-send-briefing-conn_microsoft_ops-lease_7dd02395-ckpt-0001"
        for length in 0...text.utf8.count {
            let value = String(text.prefix(length))
            #expect(SecretScanner.firstMarker(in: value) == nil, "\(value)")
        }
    }

    @Test func seededValuesAgreeWithThePlainSearch() {
        // Values mixing markers' first bytes, near-misses and markers at every phase of the skip.
        let pieces = ["r", "v", "rv", "e", "ey", "eyJ0eX", "y", "ya29.", "x", "xo", "xoxb-", "g", "gh", "ghp_", "1", "1/",
                      "1//0", "0", "00", "00D", "!", "a", "bc", "def", "-", "_", "rvla", "ya2", "gho"]
        var state: UInt64 = 0x5EED
        for _ in 0..<2_000 {
            var value = ""
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            for k in 0..<Int(state >> 59) {
                value += pieces[Int((state >> UInt64(k % 8 * 7)) % UInt64(pieces.count))]
            }
            #expect(SecretScanner.firstMarker(in: value) == Self.reference(value), "\(value)")
        }
    }

    /// The eight-bytes-at-a-time filter (`mayHoldMarker`) must say yes exactly when a value holds
    /// one of the bytes every marker needs, wherever in a word (or in the tail) that byte falls.
    @Test func theWordFilterAgreesWithAByteByByteTest() {
        let needed = Set("vyxg/!".utf8)
        let alphabet = Array("0123456789abcdef-_.:vyxg/!ABCDEFJXrhoe".utf8)
        var state: UInt64 = 0xF11E
        for length in 0...40 {
            for _ in 0..<60 {
                var bytes: [UInt8] = []
                for _ in 0..<length {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    // Mostly bytes no marker needs, so that single needed bytes land at every offset.
                    let pick = Int(state >> 58)
                    bytes.append(pick < 56 ? alphabet[pick % 20] : alphabet[20 + pick % (alphabet.count - 20)])
                }
                let expected = bytes.contains { needed.contains($0) }
                #expect(bytes.withUnsafeBufferPointer { SecretScanner.mayHoldMarker($0) } == expected, "\(bytes)")
            }
        }
        #expect(!SecretScanner.mayHoldMarker(UnsafeBufferPointer(start: nil, count: 0)))
    }

    /// The custody check's memory of clean values (`CleanValues`) must answer as a fresh scan
    /// would, value after value: through slot collisions (far more distinct values than slots),
    /// equal text in fresh storage, and a secret following the clean values it resembles. The
    /// values are kept alive, as the timeline under check keeps its own (see `CleanValues`).
    @Test func cleanValuesMemoryAgreesWithAFreshScan() {
        var memory = CleanValues()
        var alive: [String] = []
        var state: UInt64 = 0xC1EA
        let stems = ["run_", "conn_microsoft_ops_", "rvlab_", "lease_", "ya29.", "idem-run_7f2-send-", "gh", "ghp_", "00D"]
        for round in 0..<3_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let stem = stems[Int(state >> 60) % stems.count]
            // Built afresh each time: large values get new storage, small ones the same words.
            let value = stem + String(state >> 40 & 0x3FF, radix: 16) + (round % 7 == 0 ? "!" + String(repeating: "k", count: 24) : "")
            alive.append(value)
            #expect(memory.scan(value) == SecretScanner.firstMarker(in: value), "\(value)")
            #expect(memory.scan(value) == SecretScanner.firstMarker(in: value), "\(value)")
        }
        #expect(memory.scan(nil) == nil)
    }
}
