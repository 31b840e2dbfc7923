import Testing
@testable import Revive

/// The parser's fast paths (whitespace and strings read a word at a time, small strings made in
/// place, values read onto stacks, key marks for duplicates) give what the plain parser gave:
/// the same values, and the same message, line and column for every text refused.
struct JSONParserFastPathTests {
    /// Both parsers' answers for `text`: a value (with its exact spelling) or an error.
    private func agree(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let fast = Result { () throws(JSONSyntaxError) in try JSONValue.parse(text) }
        let reference = Result { () throws(JSONSyntaxError) in try ReferenceJSONParser.parse(text) }
        switch (fast, reference) {
        case let (.success(a), .success(b)):
            #expect(a == b && a.compactText == b.compactText, "\(text.debugDescription)", sourceLocation: sourceLocation)
        case let (.failure(a), .failure(b)):
            #expect(a == b, "\(text.debugDescription)", sourceLocation: sourceLocation)
        default:
            Issue.record("\(text.debugDescription): \(fast) but the reference gives \(reference)", sourceLocation: sourceLocation)
        }
    }

    @Test func runsOfWhitespaceOfEveryLengthAndKind() {
        for length in 0..<24 {
            // Each kind of whitespace, and bytes one above a space or a newline (which a word-wise
            // test for a space or a newline must not take for one).
            for filler in [" ", "\n", "\t", "\r", "\r\n", " \n", "\u{B}", "\u{C}", "\u{1}", " !", "\n\u{B}", "  !"] {
                let run = String(repeating: filler, count: length)
                agree("[1,\(run)2\(run)]")
                agree("{\(run)\"a\"\(run):\(run)1\(run)}")
                agree("\(run)")
                agree("\(run)true\(run)")
                agree("[1,\(run)]")
                agree("{\"a\": 1,\n\(run)\"a\": 2}")
            }
        }
    }

    @Test func stringsWithAnEscapeOrAMultiByteCharacterAtEveryOffset() {
        let pieces = ["\\n", "\\\"", "\\\\", "\\/", "\\u00e9", "\\u20AC", "\\ud83d\\ude00", "é", "€", "😀", "e\u{301}", "\u{212A}",
                      "\\x", "\\u12", "\\ud83d", "\\ude00", "\u{1}", "\\", "\""]
        for piece in pieces {
            for before in 0..<20 {
                for after in [0, 1, 7, 8, 9, 17] {
                    let text = String(repeating: "a", count: before) + piece + String(repeating: "b", count: after)
                    agree("[\"\(text)\"]")
                    agree("\"\(text)\"")
                    agree("{\"\(text)\": 1}")
                    agree("[\"\(text)")
                }
            }
        }
    }

    @Test func smallAndLargeStringsAroundFifteenBytes() throws {
        for length in 0..<40 {
            for filler in ["x", "é", "😀"] {
                let text = String(repeating: filler, count: length)
                agree("[\"\(text)\", \"\(text)z\"]")
                #expect(try JSONValue.parse("\"\(text)\"") == .string(text))
            }
        }
    }

    @Test func duplicateKeysByMarkLengthAndSpelling() {
        // Same length and first seven bytes, different after; different lengths; escaped spellings;
        // canonically equivalent ones (some near the end of the text, read byte by byte).
        let pairs = [("abcdefgX", "abcdefgY"), ("abcdefghij", "abcdefghij"), ("ab", "abc"), ("a", "\\u0061"), ("", ""),
                     ("Key", "\u{212A}ey"), ("\u{212A}", "K"), ("caf\u{e9}", "cafe\u{301}"), ("caf\\u00e9", "cafe\u{301}"),
                     ("abcdefg", "abcdefg\u{301}"), ("x\u{212A}", "xK")]
        for (first, second) in pairs {
            agree("{\"\(first)\": 1, \"\(second)\": 2}")
            agree("{\"\(first)\":1,\"\(second)\":2}")
            agree("{\"z\": {\"\(first)\": 1, \"q\": [], \"\(second)\": 2}}")
            let many = (0..<20).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
            agree("{\(many), \"\(first)\": 1, \"\(second)\": 2}")
        }
        // A key spelt with the Kelvin sign at every offset, last in the text: read partly a word
        // at a time and partly byte by byte, it must still be known not to be ASCII.
        for before in 0..<12 {
            for after in 0..<12 {
                let x = String(repeating: "x", count: before), y = String(repeating: "y", count: after)
                agree("{\"\(x)K\(y)\":1,\"\(x)\u{212A}\(y)\":2}")
            }
        }
    }

    /// Keys and values read as two words (`shortASCII`) when sixteen bytes follow their quote,
    /// and by `parseString` nearer the end: strings of 0 to 17 bytes, plain, escaped or not ASCII,
    /// as keys and values, at every distance from the end of the text, and as each other's
    /// duplicates (a key read one way against a key read the other).
    @Test func shortKeysAndValuesAtEveryDistanceFromTheEnd() {
        let spellings = ["", "a", "ab", "abcdefg", "abcdefgh", "abcdefghi", "abcdefghijklmno", "abcdefghijklmnop", "abcdefghijklmnopq",
                         "a\\\"b", "abcdefgh\\n", "\\u0061", "\\u212A", "K", "\u{212A}", "caf\u{e9}", "\u{1}x", "abcdefghij\u{e9}", "x\\u004B"]
        for first in spellings {
            for second in spellings {
                for padding in 0..<18 {
                    let tail = String(repeating: " ", count: padding)
                    agree("{\"\(first)\": \"\(second)\", \"\(second)\": [\"\(first)\"]\(tail)}")
                    agree("{\"\(first)\":1,\"\(second)\":2\(tail)}")
                    agree("[\"\(first)\", {\"\(second)\":\"\(first)\"}]\(tail)")
                }
            }
        }
    }

    @Test func numbersAndLiteralsAtTheEdges() {
        let numbers = ["0", "-0", "1", "-1", "01", "-01", "1.", ".5", "1.5", "-1.5e-3", "1e5", "1E+5", "1e", "1e+", "--1", "+1",
                       "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
                       "123456789012345678901234567890", "1.0", "2e308", "-"]
        for number in numbers {
            agree(number)
            agree("[\(number)]")
            agree("{\"n\": \(number) }")
        }
        for literal in ["true", "false", "null", "tru", "nul", "fals", "truex", "nulll", "t", "n"] {
            agree(literal)
            agree("[\(literal),\(literal)]")
        }
    }

    @Test func deepAndWideDocumentsOutgrowTheStacks() throws {
        let wide = "[" + (0..<300).map { "\"item-\($0)\"" }.joined(separator: ",") + "]"
        agree(wide)
        #expect(try JSONValue.parse(wide) == .array((0..<300).map { .string("item-\($0)") }))
        let members = (0..<100).map { "\"key-\($0)\": [\($0), {\"inner\": \"v\($0)\"}]" }.joined(separator: ",\n  ")
        agree("{\n  \(members)\n}")
        for depth in [1, 2, 100, 255, 256, 257] {
            let open = (0..<depth).map { "[\($0), {\"k\": \"v\"}, " }.joined()
            agree(open + "\"deepest\"" + String(repeating: "]", count: depth))
            agree(open + "\"deepest\"")
            agree(String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth))
        }
    }

    @Test func randomDocumentsAndTheirMutations() {
        var random = SplitMix(seed: 0x5EED)
        for _ in 0..<3000 {
            let text = RandomJSON.document(&random)
            agree(text)
            agree(RandomJSON.mutate(text, &random))
        }
    }
}

/// A small seeded generator (SplitMix64), so the random texts are the same on every run.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound`.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// One of `choices`.
    mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }
}

/// Random JSON texts: values of every kind with strings, keys, numbers and whitespace drawn from
/// the spellings the fast paths treat differently.
enum RandomJSON {
    static let pieces = ["a", "b", "z", "0", " ", "-", "\\n", "\\\"", "\\\\", "\\/", "\\t", "\\u0041", "\\u00e9", "\\ud83d\\ude00",
                         "é", "€", "😀", "e\u{301}", "\u{212A}", "K", "abcdefgh"]
    static let numbers = ["0", "-0", "7", "-12", "3.25", "1e3", "-2.5E-2", "9223372036854775807", "9223372036854775808"]
    static let spaces = ["", "", "", " ", "  ", "\n", "\n    ", "\n          ", "\t", "\r\n  "]

    static func document(_ random: inout SplitMix) -> String {
        random.pick(spaces) + value(&random, depth: 0) + random.pick(spaces)
    }

    static func string(_ random: inout SplitMix) -> String {
        "\"" + (0..<random.below(12)).map { _ in random.pick(pieces) }.joined() + "\""
    }

    static func value(_ random: inout SplitMix, depth: Int) -> String {
        switch depth > 3 ? random.below(4) : random.below(7) {
        case 0: return string(&random)
        case 1: return random.pick(numbers)
        case 2: return random.pick(["true", "false", "null"])
        case 3: return string(&random)
        case 4, 5:
            let members = (0..<random.below(6)).map { _ in
                random.pick(spaces) + string(&random) + random.pick(spaces) + ":" + random.pick(spaces) + value(&random, depth: depth + 1)
            }
            return "{" + members.joined(separator: "," + random.pick(spaces)) + random.pick(spaces) + "}"
        default:
            let items = (0..<random.below(6)).map { _ in random.pick(spaces) + value(&random, depth: depth + 1) }
            return "[" + items.joined(separator: ",") + random.pick(spaces) + "]"
        }
    }

    /// `text` cut short, or with a character added or taken out (whole characters: a text is a String).
    static func mutate(_ text: String, _ random: inout SplitMix) -> String {
        var scalars = Array(text.unicodeScalars)
        let at = random.below(scalars.count + 1)
        switch random.below(3) {
        case 0: scalars.removeSubrange(at...)
        case 1: scalars.insert(random.pick(["\u{1}", "\u{B}", "\"", "\\", ",", "]", "}", ":", " ", "x", "é", "\u{1F}", "!", "#"]), at: at)
        default: if at < scalars.count { scalars.remove(at: at) }
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars)
        return String(out)
    }
}
