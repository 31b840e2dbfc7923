// The parser behind `JSONValue.parse`, in a file of its own so that neither passes the size limit.

/// A recursive-descent parser over UTF-8 bytes with a depth limit. Not copyable, as its stacks are not.
struct JSONParser: ~Copyable {
    /// The text's UTF-8, valid only during `JSONValue.parse`.
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    /// The items and member values read so far of each array and object being read, innermost
    /// last; `keys` and `marks` hold the objects' keys and their marks (two words a key: see
    /// `isDuplicate`).
    var values = JSONStack<JSONValue>(capacity: 64)
    var keys = JSONStack<String>(capacity: 32)
    var marks = JSONStack<UInt64>(capacity: 64)
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
        // A newline and its indentation (a member's or an item's, in a pretty-printed file) mostly
        // ends within sixteen bytes: found here, two words tested, without the call to the run's
        // loop (some 46 instructions a run, 0.18 M of a cold `run`). A tab or a carriage return
        // where these bytes end is left to that loop, as is a run of sixteen or more.
        if index &+ 16 <= bytes.count {
            var others = JSONParser.neitherSpaceNorNewline(word(at: index))
            var from = index
            if others == 0 {
                from = index &+ 8
                others = JSONParser.neitherSpaceNorNewline(word(at: from))
            }
            if others != 0 {
                let end = from &+ others.trailingZeroBitCount &>> 3
                // Sound: `end` lies inside the two words just loaded, inside the text.
                let byte = bytes[end]
                if byte != 0x09 && byte != 0x0D {
                    index = end
                    return
                }
            }
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
        return .string(try parseStringValue())
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
            try pushKey(keysFrom: keyBase, seen: &seen)
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
        marks.forget(from: 2 &* keyBase)
        values.forget(from: valueBase)
        return members
    }

    /// The key at the quote at `index`, pushed on `keys` with its mark on `marks`; a duplicate
    /// of a key on them from `keyBase` is refused, at the key's opening quote.
    @inline(__always)
    mutating func pushKey(keysFrom keyBase: Int, seen: inout Set<String>?) throws(JSONSyntaxError) {
        let keyStart = index
        var scanned = index &+ 1
        var high: UInt64 = 0
        if let words = shortASCII(scanned: &scanned, high: &high) {
            // Most keys: their words alone clear them, and the String made from them goes straight
            // onto the stack (held in a local across the check, it was retained and released).
            if !wordsClearKey(words, keysFrom: keyBase) {
                try refuseDuplicate(ShortASCII.string(words), mark: words, at: keyStart, keysFrom: keyBase, seen: &seen)
            }
            keys.push(ShortASCII.string(words))
            marks.push(words.0)
            marks.push(words.1)
            return
        }
        var ascii = false
        let key = try parseString(from: keyStart &+ 1, plainTo: scanned, high: high, ascii: &ascii)
        let mark = keyMark(of: key, ascii: ascii, from: keyStart &+ 1, to: index &- 1)
        try refuseDuplicate(key, mark: mark, at: keyStart, keysFrom: keyBase, seen: &seen)
        keys.push(key)
        marks.push(mark.0)
        marks.push(mark.1)
    }

    /// Whether the marks on the stack from `keyBase` show, without a look at the keys, that the
    /// short ASCII key of `words` is none of them: they are fewer than 16 (past that, `seen`
    /// holds them), none has these words and none is marked `notASCII` (see `isDuplicate`).
    @inline(__always)
    func wordsClearKey(_ words: (UInt64, UInt64), keysFrom keyBase: Int) -> Bool {
        guard keys.count &- keyBase < 16 else { return false }
        var position = 2 &* keyBase
        let end = 2 &* keys.count
        while position < end {
            let first = marks.base[position]
            if first & JSONParser.notASCII != 0 || (first == words.0 && marks.base[position &+ 1] == words.1) { return false }
            position &+= 2
        }
        return true
    }

    /// Refuses `key` (marked `mark`) if it is among the keys on the stack from `keyBase`, at the
    /// opening quote at `keyStart`.
    @inline(never)
    mutating func refuseDuplicate(_ key: String, mark: (UInt64, UInt64), at keyStart: Int, keysFrom keyBase: Int,
                                  seen: inout Set<String>?) throws(JSONSyntaxError) {
        guard isDuplicate(key, mark: mark, keysFrom: keyBase, seen: &seen) else { return }
        index = keyStart
        throw error("duplicate key \"\(key)\"")
    }

    /// The first word of the mark of a key that is not ASCII (or has escapes): compared with `==`
    /// against every other. No other mark's first word has its top bit.
    static let notASCII: UInt64 = 1 << 63

    /// The mark of a key `parseString` read from the bytes `start..<end` (`ascii` as it said).
    /// Where `shortStrings` holds, a key kept as a small ASCII string is marked by its words, as
    /// `shortASCII` marks the keys it reads: two such keys are equal exactly when their words
    /// are. A longer ASCII key is marked by its length (up to 127) in the top byte of the first
    /// word and its first seven bytes below, the second word zero: two ASCII keys are equal
    /// exactly when their bytes are, so two with different marks are different keys. Any other
    /// key is marked `notASCII`.
    func keyMark(of key: String, ascii: Bool, from start: Int, to end: Int) -> (UInt64, UInt64) {
        guard ascii else { return (JSONParser.notASCII, 0) }
        if shortStrings {
            if let words = ShortASCII.words(of: key) { return words }
            // Fifteen bytes or fewer and not kept as words (no such String is made): compared
            // with every key, as no short ASCII key's mark would rule it out.
            if end - start <= 15 { return (JSONParser.notASCII, 0) }
        }
        let length = end - start
        var prefix: UInt64 = 0
        if start + 8 <= bytes.count {
            prefix = word(at: start)
        } else {
            for offset in 0..<min(length, 7) { prefix |= UInt64(bytes[start + offset]) << UInt64(8 * offset) }
        }
        prefix &= (1 << UInt64(8 * min(length, 7))) &- 1
        return (UInt64(min(length, 127)) << 56 | prefix, 0)
    }

    /// Whether `key` (marked `mark`) is already among the keys on the stack from `keyBase`;
    /// past 16 of them the keys go into `seen` as well.
    func isDuplicate(_ key: String, mark: (UInt64, UInt64), keysFrom keyBase: Int, seen: inout Set<String>?) -> Bool {
        let count = keys.count - keyBase
        // Plain `==`, as the `Set` past 16 members compares: canonically equivalent spellings are
        // one key, whatever the object's size. Only keys whose marks say they may be equal are
        // compared: `==` on two unequal strings is a call out of line (some 8 % of a parse).
        if count < 16 {
            for position in keyBase..<keyBase + count {
                let first = marks.base[2 &* position]
                let second = marks.base[2 &* position &+ 1]
                if first == mark.0 && second == mark.1 {
                    // Equal words of two short ASCII keys (a second word is never zero) are equal bytes.
                    if second != 0 { return true }
                } else if (first | mark.0) & JSONParser.notASCII == 0 {
                    // Different marks, both of ASCII keys: different bytes, so different keys.
                    continue
                }
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
}
