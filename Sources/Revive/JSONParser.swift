// The parser behind `JSONValue.parse`, in a file of its own so that neither passes the size limit.

/// A recursive-descent parser over UTF-8 bytes with a depth limit. Not copyable, as its stacks are not.
struct JSONParser: ~Copyable {
    /// The text's UTF-8, valid only during `JSONValue.parse`.
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    /// The items and member values read so far of each array and object being read, innermost
    /// last; `keys` and `marks` hold the objects' keys and their marks (`keyMark`).
    var values = JSONStack<JSONValue>(capacity: 64)
    var keys = JSONStack<String>(capacity: 32)
    var marks = JSONStack<UInt64>(capacity: 32)
    /// Whether short ASCII strings are made from their words (`ShortASCII`), read once a parse.
    let shortStrings = ShortASCII.layoutHolds
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

    /// Skips JSON whitespace. Most tokens are followed directly by the next one, or by one space:
    /// only for more is `skipWhitespaceRun` called.
    @inline(__always)
    mutating func skipWhitespace() {
        guard index < bytes.count, bytes[index] <= 0x20 else { return }
        // One space before a token (as after every colon) is skipped here too.
        if bytes[index] == 0x20, index + 1 < bytes.count, bytes[index + 1] > 0x20 {
            index += 1
            return
        }
        skipWhitespaceRun()
    }

    /// Skips the whitespace at `index`. A pretty-printed file's whitespace is mostly a newline and
    /// its indentation (a third of a scenario's bytes): they are skipped a word at a time.
    mutating func skipWhitespaceRun() {
        while index + 8 <= bytes.count {
            let chunk = word(at: index)
            let others = JSONParser.neitherSpaceNorNewline(chunk)
            if others == 0 {
                index += 8
                continue
            }
            index += others.trailingZeroBitCount / 8
            // A tab or a carriage return is whitespace too; anything else ends the run.
            guard bytes[index] == 0x09 || bytes[index] == 0x0D else { return }
            index += 1
        }
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x09, 0x0D: index += 1
            default: return
            }
        }
    }

    /// The bytes of a word that are neither a space nor a newline, marked by their high bit. Exact
    /// for every byte (a byte is zero exactly when adding 0x7F to its low seven bits, or'ed with
    /// it, leaves the high bit clear), as where the run ends must be.
    @inline(__always)
    static func neitherSpaceNorNewline(_ word: UInt64) -> UInt64 {
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let spaces = word ^ 0x2020_2020_2020_2020
        let newlines = word ^ 0x0A0A_0A0A_0A0A_0A0A
        let notSpace = ((spaces & lows) &+ lows) | spaces
        let notNewline = ((newlines & lows) &+ lows) | newlines
        return notSpace & notNewline & ~lows
    }

    /// The eight bytes from `offset` as one word, the first lowest; eight bytes must remain there.
    @inline(__always)
    func word(at offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress.unsafelyUnwrapped).loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth < JSONParser.maximumDepth else { throw error("nesting is deeper than \(JSONParser.maximumDepth)") }
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

    /// A member's value or an array's item: a string (most are) read here, without the call to
    /// `parseValue`, anything else by `parseValue`.
    @inline(__always)
    mutating func parseMember(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth < JSONParser.maximumDepth, index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
            return try parseValue(depth: depth)
        }
        var ascii = false
        return .string(try parseString(ascii: &ascii))
    }

    mutating func parseObject(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        index += 1
        // This object's keys and values go on the stacks above those of the objects it is in.
        let keyBase = keys.count
        let valueBase = values.count
        // Objects are small (a scenario's largest has a dozen members): scanning the members read
        // so far is cheaper than hashing every key into a set; a large object gets the set.
        var seen: Set<String>?
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object([]) }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a member name in double quotes") }
            let keyStart = index
            var ascii = false
            let key = try parseString(ascii: &ascii)
            let mark = ascii ? keyMark(from: keyStart + 1, to: index - 1) : JSONParser.notASCII
            if isDuplicate(key, mark: mark, keysFrom: keyBase, seen: &seen) {
                index = keyStart
                throw error("duplicate key \"\(key)\"")
            }
            keys.push(key)
            marks.push(mark)
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after a member name") }
            index += 1
            skipWhitespace()
            values.push(try parseMember(depth: depth + 1))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of file inside an object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(popMembers(keysFrom: keyBase, valuesFrom: valueBase))
            }
            throw error("expected ',' or '}' in an object")
        }
    }

    /// The members whose keys are on the stack from `keyBase` and values from `valueBase`, moved
    /// off the stacks into the object's array, made at its size.
    mutating func popMembers(keysFrom keyBase: Int, valuesFrom valueBase: Int) -> [(key: String, value: JSONValue)] {
        let count = keys.count - keyBase
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(count)
        for offset in 0..<count { members.append((keys.move(at: keyBase + offset), values.move(at: valueBase + offset))) }
        keys.forget(from: keyBase)
        marks.forget(from: keyBase)
        values.forget(from: valueBase)
        return members
    }

    /// The mark of a key that is not ASCII (or has escapes): compared with `==` against every other.
    static let notASCII: UInt64 = 1 << 63

    /// The mark of the ASCII key spelt by the bytes `start..<end`: its length (up to 127) in the
    /// top byte and its first seven bytes below. Two ASCII keys are equal exactly when their
    /// bytes are, so two with different marks are different keys.
    @inline(__always)
    func keyMark(from start: Int, to end: Int) -> UInt64 {
        let length = end - start
        var prefix: UInt64 = 0
        if start + 8 <= bytes.count {
            prefix = word(at: start)
        } else {
            for offset in 0..<min(length, 7) { prefix |= UInt64(bytes[start + offset]) << UInt64(8 * offset) }
        }
        prefix &= (1 << UInt64(8 * min(length, 7))) &- 1
        return UInt64(min(length, 127)) << 56 | prefix
    }

    /// Whether `key` (marked `mark`) is already among the keys on the stack from `keyBase`;
    /// past 16 of them the keys go into `seen` as well.
    func isDuplicate(_ key: String, mark: UInt64, keysFrom keyBase: Int, seen: inout Set<String>?) -> Bool {
        let count = keys.count - keyBase
        // Plain `==`, as the `Set` past 16 members compares: canonically equivalent spellings are
        // one key, whatever the object's size. Only keys whose marks say they may be equal are
        // compared: `==` on two unequal strings is a call out of line (some 8 % of a parse).
        if count < 16 {
            for position in keyBase..<keyBase + count {
                let other = marks.base[position]
                if other != mark && (other | mark) & JSONParser.notASCII == 0 { continue }
                if keys.base[position] == key { return true }
            }
            return false
        }
        if seen == nil { seen = Set(UnsafeBufferPointer(start: keys.base + keyBase, count: count)) }
        return !seen!.insert(key).inserted
    }

    mutating func parseArray(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        index += 1
        // This array's items go on the stack above those of the arrays and objects it is in.
        let valueBase = values.count
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array([]) }
        while true {
            skipWhitespace()
            values.push(try parseMember(depth: depth + 1))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of file inside an array") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(values.popArray(from: valueBase))
            }
            throw error("expected ',' or ']' in an array")
        }
    }

    /// The string starting at the quote at `index`; `ascii` is set when it is known to be ASCII
    /// (a string with escapes is not looked at, and is left false).
    mutating func parseString(ascii: inout Bool) throws(JSONSyntaxError) -> String {
        let start = index &+ 1
        let (end, high) = plainRun(from: start)
        // Most strings have no escape: the whole string is made from its bytes in place.
        guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return try escapedString(from: start, plainUpTo: end) }
        index = end &+ 1
        ascii = high == 0
        return makeString(from: start, to: end, ascii: ascii)
    }

    /// Where the run of plain bytes from `start` ends (at a quote, a backslash, a control byte or
    /// the end of the text), and the high bits of its bytes (zero when it is ASCII).
    @inline(__always)
    func plainRun(from start: Int) -> (end: Int, high: UInt64) {
        var end = start
        var high: UInt64 = 0
        // Eight bytes at a time while none of them ends the run: tested byte by byte, this loop
        // was some 15 % of parsing a scenario.
        while end &+ 8 <= bytes.count {
            let chunk = word(at: end)
            let stops = JSONParser.plainRunStops(chunk)
            if stops == 0 {
                high |= chunk
                end &+= 8
                continue
            }
            // The lowest marked byte is the first that ends the run (a false mark can only sit
            // above a true one): the bytes below it are the run's last.
            let before = stops.trailingZeroBitCount / 8
            high |= chunk & ((1 << UInt64(8 * before)) &- 1)
            return (end &+ before, high & 0x8080_8080_8080_8080)
        }
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20 {
            high |= UInt64(bytes[end])
            end &+= 1
        }
        return (end, high & 0x8080_8080_8080_8080)
    }

    /// The bytes `start..<end` as a String. They are valid UTF-8: the text was a String, and it is
    /// cut at ASCII bytes only.
    @inline(__always)
    func makeString(from start: Int, to end: Int, ascii: Bool) -> String {
        let count = end - start
        // Up to 15 ASCII bytes are kept inside the String itself, and copied in without the
        // validation `String(decoding:as:)` makes (which was a fifth of parsing a scenario).
        if ascii && count <= 15 {
            if count == 0 { return "" }
            // As the two words the String is: a few instructions where the standard library's
            // initializer took some 85 (most of a scenario's strings are keys and short words).
            if shortStrings && (count >= 8 || start + 8 <= bytes.count) { return ShortASCII.string(shortWords(from: start, count: count)) }
            let source = UnsafeRawPointer(bytes.baseAddress.unsafelyUnwrapped + start)
            return String(unsafeUninitializedCapacity: count) { buffer in
                JSONParser.copyShort(count, from: source, to: UnsafeMutableRawPointer(buffer.baseAddress.unsafelyUnwrapped))
                return count
            }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// The words (`ShortASCII`) of the `count` (1 to 15) ASCII bytes from `start`; eight bytes
    /// must remain from `start` when `count` is below 8 (from 8 up, both loads lie inside the bytes).
    @inline(__always)
    func shortWords(from start: Int, count: Int) -> (UInt64, UInt64) {
        let first = word(at: start)
        if count >= 8 {
            // The last eight bytes, shifted down so that byte 8 of the string is the lowest (by 64
            // for a count of 8: nothing is left).
            return ShortASCII.words(low: first, high: word(at: start + count - 8) >> UInt64(8 * (16 - count)), count: count)
        }
        return ShortASCII.words(low: first & ((1 << UInt64(8 * count)) &- 1), high: 0, count: count)
    }

    /// Copies `count` bytes (1 to 15) in two loads and stores that may overlap, not a call to `memcpy`.
    @inline(__always)
    static func copyShort(_ count: Int, from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer) {
        if count >= 8 {
            target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self), toByteOffset: count - 8, as: UInt64.self)
        } else if count >= 4 {
            target.storeBytes(of: source.loadUnaligned(as: UInt32.self), as: UInt32.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self), toByteOffset: count - 4, as: UInt32.self)
        } else {
            // One to three bytes: the first, the middle and the last cover them.
            target.storeBytes(of: source.load(as: UInt8.self), as: UInt8.self)
            target.storeBytes(of: source.load(fromByteOffset: count / 2, as: UInt8.self), toByteOffset: count / 2, as: UInt8.self)
            target.storeBytes(of: source.load(fromByteOffset: count - 1, as: UInt8.self), toByteOffset: count - 1, as: UInt8.self)
        }
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
}
