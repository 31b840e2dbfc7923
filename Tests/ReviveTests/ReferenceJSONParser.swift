@testable import Revive

// The parser `JSONValue.parse` used before it read values onto stacks and strings a word at a
// time, kept unchanged (but for its name) as the reference the fast parser must agree with:
// the same values, and the same message, line and column for every text it refuses.

/// The reference parser: a recursive-descent parser over UTF-8 bytes with a depth limit.
struct ReferenceJSONParser {
    /// Parses `text` as `JSONValue.parse` did.
    static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { bytes in
            var parser = ReferenceJSONParser(bytes: bytes)
            return Result { () throws(JSONSyntaxError) in try parser.parseDocument() }
        }.get()
    }

    /// The text's UTF-8, valid only during `JSONValue.parse`.
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    /// Nesting deeper than this is refused rather than risking the stack.
    static let maximumDepth = 256

    mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        if index >= bytes.count { throw error("the file is empty; a scenario is one JSON object") }
        let value = try parseValue(depth: 0)
        skipWhitespace()
        if index < bytes.count { throw error("unexpected text after the JSON value") }
        return value
    }

    func error(_ message: String) -> JSONSyntaxError {
        var line = 1
        var column = 1
        var i = 0
        while i < min(index, bytes.count) {
            if bytes[i] == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if bytes[i] & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return JSONSyntaxError(message: message, line: line, column: column)
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth < ReferenceJSONParser.maximumDepth else { throw error("nesting is deeper than \(ReferenceJSONParser.maximumDepth)") }
        guard index < bytes.count else { throw error("unexpected end of file") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""):
            var ascii = false
            return .string(try parseString(ascii: &ascii))
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character; expected a JSON value")
        }
    }

    mutating func expectLiteral(_ word: String) throws(JSONSyntaxError) {
        for byte in word.utf8 {
            guard index < bytes.count, bytes[index] == byte else { throw error("invalid literal; expected \(word)") }
            index += 1
        }
    }

    mutating func parseObject(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        index += 1
        var members: [(key: String, value: JSONValue)] = []
        // Room for four members up front (a scenario's objects mostly have a few): growing from
        // one slot, member by member, cost an eighth of a parse; more would waste a large file's memory.
        members.reserveCapacity(4)
        // Objects are small (a scenario's largest has a dozen members): scanning the members read
        // so far is cheaper than hashing every key into a set; a large object gets the set.
        var seen: Set<String>?
        // Bit i is set when member i's key is ASCII (as the parser saw while reading it).
        var asciiKeys: UInt16 = 0
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a member name in double quotes") }
            let keyStart = index
            var ascii = false
            let key = try parseString(ascii: &ascii)
            if ReferenceJSONParser.isDuplicate(key, ascii: ascii, in: members, asciiKeys: asciiKeys, seen: &seen) {
                index = keyStart
                throw error("duplicate key \"\(key)\"")
            }
            if ascii && members.count < 16 { asciiKeys |= 1 << members.count }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after a member name") }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth + 1)
            members.append((key, value))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of file inside an object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            throw error("expected ',' or '}' in an object")
        }
    }

    /// Whether `key` is already among `members`; past 16 members the keys go into `seen` as well.
    /// `ascii` says whether `key` is ASCII, bit i of `asciiKeys` whether member i's key is.
    static func isDuplicate(_ key: String, ascii: Bool, in members: [(key: String, value: JSONValue)], asciiKeys: UInt16,
                            seen: inout Set<String>?) -> Bool {
        // Plain `==`, as the `Set` past 16 members compares: canonically equivalent spellings are
        // one key, whatever the object's size. Two ASCII keys are equal exactly when their bytes
        // are, so one of another length is passed over without the call out of line that `==`
        // makes for two unequal strings (some 8 % of parsing a scenario).
        if members.count < 16 {
            let length = key.utf8.count
            return members.withUnsafeBufferPointer { members in
                for index in members.indices {
                    if ascii && asciiKeys & 1 << index != 0 && members[index].key.utf8.count != length { continue }
                    if members[index].key == key { return true }
                }
                return false
            }
        }
        if seen == nil { seen = Set(members.map(\.key)) }
        return !seen!.insert(key).inserted
    }

    mutating func parseArray(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of file inside an array") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            throw error("expected ',' or ']' in an array")
        }
    }

    /// The string starting at the quote at `index`; `ascii` is set when it is known to be ASCII
    /// (a string with escapes is not looked at, and is left false).
    mutating func parseString(ascii: inout Bool) throws(JSONSyntaxError) -> String {
        index += 1
        if let plain = plainString(ascii: &ascii) { return plain }
        var scalars = String.UnicodeScalarView()
        var runStart = index
        func flush(_ parser: ReferenceJSONParser, upTo end: Int, into view: inout String.UnicodeScalarView) {
            if end > runStart {
                view.append(contentsOf: String(decoding: UnsafeBufferPointer(rebasing: parser.bytes[runStart..<end]), as: UTF8.self).unicodeScalars)
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                flush(self, upTo: index, into: &scalars)
                index += 1
                return String(scalars)
            }
            if byte < 0x20 { throw error("control character inside a string; escape it") }
            if byte == UInt8(ascii: "\\") {
                flush(self, upTo: index, into: &scalars)
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{8}")
                case UInt8(ascii: "f"): scalars.append("\u{C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try parseHex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw error("unpaired surrogate in \\u escape")
                        }
                        index += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("invalid low surrogate in \\u escape") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
                    scalars.append(scalar)
                default: throw error("invalid escape in a string")
                }
                runStart = index
                continue
            }
            index += 1
        }
        throw error("unterminated string")
    }

    /// Most strings have no escape: the whole string in one decode of its bytes, or nil (then
    /// the scalar-by-scalar path reads it). `ascii` is set when every byte is ASCII.
    mutating func plainString(ascii: inout Bool) -> String? {
        var end = index
        var high: UInt64 = 0
        // Eight bytes at a time while none of them ends the run: tested byte by byte, this loop
        // was some 15 % of parsing a scenario.
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while end + 8 <= bytes.count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: end, as: UInt64.self))
                let stops = ReferenceJSONParser.plainRunStops(word)
                if stops == 0 {
                    high |= word
                    end += 8
                    continue
                }
                // The lowest marked byte is the first that ends the run (a false mark can only
                // sit above a true one): the bytes before it are the string's last.
                let before = stops.trailingZeroBitCount / 8
                high |= word & ~(UInt64.max << UInt64(8 * before))
                end += before
                break
            }
        }
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20 {
            high |= UInt64(bytes[end])
            end += 1
        }
        guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return nil }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
        index = end + 1
        ascii = high & 0x8080_8080_8080_8080 == 0
        return text
    }

    /// The bytes of a word of eight text bytes (in memory order, the first lowest) that are a
    /// double quote, a backslash or a control byte (below 0x20), marked by their high bit: the
    /// classic tests for a zero byte (on the word xor the byte repeated) and for a byte below a
    /// bound. Nonzero exactly when the word holds one, and the lowest mark is always a true one.
    @inline(__always)
    static func plainRunStops(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let backslashes = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        let zeroQuote = (quotes &- ones) & ~quotes
        let zeroBackslash = (backslashes &- ones) & ~backslashes
        let control = (word &- ones &* 0x20) & ~word
        return (zeroQuote | zeroBackslash | control) & highs
    }

    mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("incomplete \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    /// The whole number spelt from `start` to here (an optional minus, then digits), or nil if
    /// it does not fit an Int64: read in place, with no String made for `Int64(_:)` to read.
    func integer(from start: Int) -> Int64? {
        let negative = bytes[start] == UInt8(ascii: "-")
        var value: Int64 = 0
        for i in (negative ? start + 1 : start)..<index {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let digit = Int64(bytes[i] - UInt8(ascii: "0"))
            let (sum, overflowed) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            if overflow || overflowed { return nil }
            value = sum
        }
        return value
    }

    mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
        let start = index
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else { throw error("invalid number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { throw error("a number may not start with 0") }
        } else {
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else { throw error("invalid number: digits must follow '.'") }
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else { throw error("invalid number: digits must follow the exponent") }
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        }
        if isInteger, let value = integer(from: start) { return .integer(value) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text) else { throw error("invalid number") }
        return .number(value)
    }
}
