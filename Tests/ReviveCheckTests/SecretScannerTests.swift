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
        guard let bang = bytes.firstIndex(of: UInt8(ascii: "!")), bytes.count - bang > 20 else { return nil }
        let prefix = bytes[..<bang].indices.contains { i in bytes[i...].starts(with: Array("00D".utf8)) }
        return prefix ? "00D…!" : nil
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
}
