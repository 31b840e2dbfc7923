/// The secret scanner as it was before the anchor filter, kept verbatim (its tables built the same
/// way, its byte loop and its word filter unchanged) as the reference the fast path must agree with;
/// only its Salesforce rule was mended with the scanner's (a `!` before the `00D` hid the shape).
enum ReferenceSecretScanner {
    static let markers = ["rvlab_", "rvcap_", "eyJ0eX", "ya29.", "xoxe.", "xoxp-", "xoxb-", "ghu_", "ghr_", "gho_", "ghp_", "1//0"]
    private static let markerBytes: [[UInt8]] = markers.map { Array($0.utf8) }
    private static let secondByte: [UInt8] = (0..<256).map { byte in
        if byte == Int(UInt8(ascii: "!")) || byte == Int(UInt8(ascii: "0")) { return flag }
        return markerBytes.first { $0[0] == UInt8(byte) }?[1] ?? 0
    }
    private static let flag: UInt8 = 1

    /// The first marker found in `value` (or `00D…!` for a Salesforce token), or nil.
    static func firstMarker(in value: String) -> String? {
        let found: (marker: Int?, salesforce: Bool)
        if let direct = value.utf8.withContiguousStorageIfAvailable({ scan($0) }) {
            found = direct
        } else {
            var text = value
            found = text.withUTF8 { scan($0) }
        }
        if let index = found.marker { return markers[index] }
        if found.salesforce { return "00D…!" }
        return nil
    }

    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> (marker: Int?, salesforce: Bool) {
        guard mayHoldMarker(bytes) else { return (nil, false) }
        let seconds = secondByte
        let patterns = markerBytes
        let count = bytes.count
        // The Salesforce shape: a `00D`, then a `!` with more than twenty bytes after it.
        var salesforceAt = -1
        var bangAfter = -1
        var i = 0
        while i < count {
            let byte = bytes[i]
            let second = seconds[Int(byte)]
            if second == 0 {
                i += 1
                continue
            }
            if second == flag {
                if byte == UInt8(ascii: "!") {
                    if salesforceAt >= 0 && bangAfter < 0 { bangAfter = i }
                } else if salesforceAt < 0, i + 2 < count, bytes[i + 1] == UInt8(ascii: "0"), bytes[i + 2] == UInt8(ascii: "D") {
                    salesforceAt = i
                }
            } else if i + 1 < count, bytes[i + 1] == second {
                for (index, marker) in patterns.enumerated() where marker[0] == byte && i + marker.count <= count {
                    var matches = true
                    for j in 2..<marker.count where bytes[i + j] != marker[j] {
                        matches = false
                        break
                    }
                    if matches { return (index, false) }
                }
            }
            i += 1
        }
        return (nil, bangAfter >= 0 && count - bangAfter > 20)
    }

    private static func mayHoldMarker(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        let count = bytes.count
        var i = 0
        while i &+ 8 <= count {
            if holdsMarkerByte(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { return true }
            i &+= 8
        }
        guard i < count else { return false }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < count {
            tail |= UInt64(bytes[i]) &<< shift
            shift &+= 8
            i &+= 1
        }
        return holdsMarkerByte(tail)
    }

    private static func holdsMarkerByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        func zeroByte(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & 0x8080_8080_8080_8080 }
        let letters = zeroByte(word ^ (ones &* 0x76)) | zeroByte(word ^ (ones &* 0x79)) | zeroByte(word ^ (ones &* 0x78))
        let others = zeroByte(word ^ (ones &* 0x67)) | zeroByte(word ^ (ones &* 0x2F)) | zeroByte(word ^ (ones &* 0x21))
        return letters | others != 0
    }
}
