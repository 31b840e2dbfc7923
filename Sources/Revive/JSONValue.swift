import ReviveVocabulary

/// A JSON document as plain data, with a strict parser and a canonical writer.
///
/// Hand-written because the lab needs what Foundation's parsers do not give: exact integer vs
/// boolean vs string types, object keys in document order, duplicate-key detection and error
/// positions as line and column. It is the one JSON implementation in the package.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Members in document order.
    case object([(key: String, value: JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.integer(x), .integer(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let v): hasher.combine(v)
        case .integer(let v): hasher.combine(v)
        case .number(let v): hasher.combine(v)
        case .string(let v): hasher.combine(v)
        case .array(let v): hasher.combine(v)
        case .object(let members):
            for member in members {
                hasher.combine(member.key)
                hasher.combine(member.value)
            }
        }
    }

    /// The member named `key` of an object, or nil.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        // Read in place: `first(where:)` copied each member it tried (its key and its value) to
        // test it, and the classifier asks a body for some twenty keys on every failure.
        return members.withUnsafeBufferPointer { members in
            // Plain `==`, as a dictionary compares: canonically equivalent spellings are one key.
            for index in members.indices where members[index].key == key {
                return members[index].value
            }
            return nil
        }
    }

    /// The string inside a `.string`, or nil.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The integer inside an `.integer` (or an integral `.number`), or nil.
    public var integerValue: Int64? {
        switch self {
        case .integer(let v): return v
        case .number(let d) where d.rounded() == d && abs(d) < 9e15: return Int64(d)
        default: return nil
        }
    }

    /// The name of this value's JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer, .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// Why a text is not JSON, with the place it went wrong.
public struct JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was wrong.
    public let message: String
    /// One-based line of the offending character.
    public let line: Int
    /// One-based column of the offending character.
    public let column: Int
    public var description: String { "line \(line), column \(column): \(message)" }
}

extension JSONValue {
    /// Parses a complete JSON text (RFC 8259); rejects trailing content and duplicate object keys.
    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        // Read from the string's bytes in place: copying them to an array first cost a third of a parse.
        var text = text
        return try text.withUTF8 { bytes in
            var parser = JSONParser(bytes: bytes)
            return Result { () throws(JSONSyntaxError) in try parser.parseDocument() }
        }.get()
    }

    /// The canonical compact spelling: no spaces, members in stored order.
    public var compactText: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let v): out += v ? "true" : "false"
        case .integer(let v): out += String(v)
        case .number(let v):
            // Swift prints an integral Double as "1.0", so a number stays a number through a round trip.
            out += v.isFinite ? "\(v)" : "null"
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, member) in members.enumerated() {
                if i > 0 { out += "," }
                JSONValue.writeString(member.key, to: &out)
                out += ":"
                member.value.write(to: &out)
            }
            out += "}"
        }
    }

    /// Appends `s` as a JSON string literal.
    public static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

/// A stack in memory of its own that `JSONParser` reads values (and keys, and key marks) onto
/// before it knows how many an array or an object has: each is then made once, at its size, by
/// moving its elements off the top. Arrays grown item by item (and objects that outgrew the
/// room reserved for them) cost some 8 % of parsing a scenario. Not copyable: it owns its memory,
/// which `deinit` frees with the elements still on it (a parse that failed leaves some).
struct JSONStack<Element>: ~Copyable {
    /// The elements: `count` of them initialized, in room for `capacity`.
    private(set) var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    /// How many elements are on the stack.
    private(set) var count = 0

    init(capacity: Int) {
        base = .allocate(capacity: capacity)
        self.capacity = capacity
    }

    /// Pushes `element`, doubling the room when it is full. Consuming: a value made just for the
    /// stack (a key, an item) is moved onto it, not copied (a retain) and then released.
    @inline(__always)
    mutating func push(_ element: consuming Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: element)
        count += 1
    }

    private mutating func grow() {
        let larger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = larger
        capacity *= 2
    }

    /// The elements from `start` up, moved off the stack into an array of their own.
    mutating func popArray(from start: Int) -> [Element] {
        let moved = count - start
        count = start
        // Appended one by one into room made once: `Array(unsafeUninitializedCapacity:)` is not
        // specialized, and looked up the array's type at run time on every call.
        var array: [Element] = []
        array.reserveCapacity(moved)
        for position in start..<start + moved { array.append((base + position).move()) }
        return array
    }

    /// The element at `position`, moved out: the caller then `forget`s it with those above it.
    func move(at position: Int) -> Element { (base + position).move() }

    /// Drops the elements from `start` up, which the caller has moved out.
    mutating func forget(from start: Int) { count = start }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }
}

// MARK: The parser's escapes, numbers and literals, here to keep JSONParser.swift within the size limit.

extension JSONParser {
    mutating func expectLiteral(_ word: String) throws(JSONSyntaxError) {
        for byte in word.utf8 {
            guard index < bytes.count, bytes[index] == byte else { throw error("invalid literal; expected \(word)") }
            index += 1
        }
    }

    /// A string whose plain run from `start` stops at `end` before its closing quote: at an
    /// escape, or at a control byte or the end of the text (both reported). Decoded into UTF-8
    /// bytes, plain runs copied whole, and made a String once.
    mutating func escapedString(from start: Int, plainUpTo end: Int) throws(JSONSyntaxError) -> String {
        var utf8: [UInt8] = []
        var runStart = start
        index = end
        while index < bytes.count {
            // A plain run ends here: at a quote, a control byte or a backslash.
            let byte = bytes[index]
            utf8.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: utf8, as: UTF8.self)
            }
            if byte < 0x20 { throw error("control character inside a string; escape it") }
            index += 1
            guard index < bytes.count else { break }
            utf8.append(contentsOf: try escapedScalar().utf8)
            runStart = index
            index = plainRun(from: index).end
        }
        throw error("unterminated string")
    }

    /// The character the escape after a backslash spells; `index` is just past the backslash, and
    /// is left past the escape.
    mutating func escapedScalar() throws(JSONSyntaxError) -> Unicode.Scalar {
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{8}"
        case UInt8(ascii: "f"): return "\u{C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
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
            return scalar
        default: throw error("invalid escape in a string")
        }
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
