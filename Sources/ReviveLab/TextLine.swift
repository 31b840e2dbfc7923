/// One line of text built as UTF-8 bytes and turned into a String once.
///
/// Appending piece by piece to a String re-checks its storage and capacity on every append; a
/// timeline line is some thirty appends, and the lines were most of a cold `run` (callgrind).
struct TextLine {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// The line as a String.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append(_ text: String) {
        // A native string lends its bytes in place; only a bridged one is copied first.
        if text.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil {
            bytes.append(contentsOf: Array(text.utf8))
        }
    }

    mutating func append(byte: UInt8) { bytes.append(byte) }

    /// `text`, then spaces up to `width` characters (ASCII, as names and actors are, is counted by byte).
    mutating func append(_ text: String, paddedTo width: Int) {
        append(text)
        let length = TextLine.width(of: text)
        if length < width { bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: width - length)) }
    }

    /// How many characters `text` is wide; ASCII (as names and actors are) is counted by byte.
    static func width(of text: String) -> Int {
        text.utf8.allSatisfy { $0 < 0x80 } ? text.utf8.count : text.count
    }

    /// `value` as a timeline fact's value: as it is, or in double quotes (inner quotes escaped)
    /// when it is empty or holds a space or a quote, so a line splits back into its facts.
    mutating func append(factValue value: String) {
        if value.utf8.withContiguousStorageIfAvailable({ appendFactValue($0) }) == nil {
            Array(value.utf8).withUnsafeBufferPointer { appendFactValue($0) }
        }
    }

    private mutating func appendFactValue(_ value: UnsafeBufferPointer<UInt8>) {
        var needsQuotes = value.isEmpty
        var hasQuote = false
        for byte in value where byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\"") {
            needsQuotes = true
            if byte == UInt8(ascii: "\"") { hasQuote = true }
        }
        guard needsQuotes else { return bytes.append(contentsOf: value) }
        bytes.append(UInt8(ascii: "\""))
        if hasQuote {
            for byte in value {
                if byte == UInt8(ascii: "\"") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
        } else {
            bytes.append(contentsOf: value)
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
