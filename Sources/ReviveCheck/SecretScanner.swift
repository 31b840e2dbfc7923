import ReviveVocabulary

/// Finds token-shaped values: provider token formats and the lab's own secret prefixes.
///
/// A byte scan rather than `String.contains`, because the custody check reads every value of
/// every transition and Foundation's substring search dominated the player's profile.
public enum SecretScanner {
    /// Value shapes that mean a token or secret leaked.
    public static let markers = ["rvlab_", "rvcap_", "eyJ0eX", "ya29.", "xoxe.", "xoxp-", "xoxb-", "ghu_", "ghr_", "gho_", "ghp_", "1//0"]
    private static let markerBytes: [[UInt8]] = markers.map { Array($0.utf8) }
    /// For each byte, whether some marker starts with it: most bytes start none, so the scan skips them.
    private static let startsMarker: [Bool] = (0..<256).map { byte in markerBytes.contains { $0[0] == UInt8(byte) } }

    /// The first marker found in `value` (or `00D…!` for a Salesforce token), or nil.
    public static func firstMarker(in value: String) -> String? {
        let starts = startsMarker
        let patterns = markerBytes
        var found: String?
        var sawBang = false
        var salesforcePrefix = false
        var text = value
        text.withUTF8 { bytes in
            let count = bytes.count
            var i = 0
            while i < count && found == nil {
                let byte = bytes[i]
                if byte == UInt8(ascii: "!") { sawBang = true }
                if byte == UInt8(ascii: "0"), i + 2 < count, bytes[i + 1] == UInt8(ascii: "0"), bytes[i + 2] == UInt8(ascii: "D"), !sawBang {
                    salesforcePrefix = true
                }
                guard starts[Int(byte)] else {
                    i += 1
                    continue
                }
                for (index, marker) in patterns.enumerated() where marker[0] == byte && i + marker.count <= count {
                    var matches = true
                    for j in 1..<marker.count where bytes[i + j] != marker[j] {
                        matches = false
                        break
                    }
                    if matches {
                        found = markers[index]
                        break
                    }
                }
                i += 1
            }
        }
        if found == nil, salesforcePrefix, sawBang, let bang = value.utf8.firstIndex(of: UInt8(ascii: "!")),
           value.utf8.distance(from: bang, to: value.utf8.endIndex) > 20 {
            found = "00D…!"
        }
        return found
    }
}
