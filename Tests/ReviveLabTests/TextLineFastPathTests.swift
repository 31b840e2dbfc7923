import Testing
import ReviveVocabulary
@testable import ReviveLab

/// The timeline line's fast paths (room made once per fact and values written into it a word at
/// a time, padding written before the text, the clock of a repeated instant copied) must write
/// exactly what the plain spelling says, from any starting length and capacity (so that every
/// growth and every 8-byte boundary is crossed), for values that need quotes, escapes or none.
struct TextLineFastPathTests {
    /// A small deterministic generator.
    struct Draw {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    /// A fact's value as the timeline spells it: quoted (inner quotes escaped) when empty or
    /// holding a space or a quote.
    static func spelled(_ value: String) -> String {
        guard value.isEmpty || value.utf8.contains(UInt8(ascii: " ")) || value.utf8.contains(UInt8(ascii: "\"")) else { return value }
        var out = "\""
        for scalar in value.unicodeScalars {
            if scalar == "\"" { out += "\\" }
            out.unicodeScalars.append(scalar)
        }
        return out + "\""
    }

    static let pieces = ["a", "bc", "def", "ghij", "klmno", "pqrstuv", "wxyz0123", " ", "\"", "é", "🙂", "-", "_", "12345678901234567"]

    static func text(_ draw: inout Draw, pieces count: Int) -> String {
        var text = ""
        for _ in 0..<count { text += pieces[draw.next(pieces.count)] }
        return text
    }

    @Test func factsAgreeWithTheirSpellingFromEveryLengthAndCapacity() {
        var draw = Draw(state: 0xFAC7)
        for round in 0..<3_000 {
            var line = TextLine(capacity: 1 + round % 40)
            let prefix = String(repeating: "p", count: draw.next(40))
            line.append(prefix)
            line.startFacts()
            var expected = prefix
            var first = true
            for _ in 0..<draw.next(9) {
                let value: String? = draw.next(5) == 0 ? nil : Self.text(&draw, pieces: draw.next(7))
                let name: String
                switch draw.next(4) {
                case 0:
                    name = "conn"
                    line.fact("conn", value)
                case 1:
                    name = "attempt"
                    let number = draw.next(100_000) - 50
                    line.factName("attempt")
                    line.append(integer: number)
                    expected += (first ? "" : " ") + "attempt=\(number)"
                    first = false
                    continue
                case 2:
                    name = "subject"
                    line.fact("subject", value)
                default:
                    name = Self.text(&draw, pieces: 1 + draw.next(3))
                    line.fact(named: name, value)
                }
                guard let value else { continue }
                expected += (first ? "" : " ") + name + "=" + Self.spelled(value)
                first = false
            }
            #expect(line.text == expected)
        }
    }

    @Test func aFactValueAloneIsSpelledFromEveryCapacity() {
        var draw = Draw(state: 0xFAC8)
        for round in 0..<2_000 {
            var line = TextLine(capacity: 1 + round % 24)
            let prefix = String(repeating: "q", count: draw.next(24))
            let value = Self.text(&draw, pieces: draw.next(6))
            line.append(prefix)
            line.append(factValue: value)
            #expect(line.text == prefix + Self.spelled(value))
        }
    }

    @Test func paddingIsExactForEveryLengthWidthAndStart() {
        let texts = ["", "a", "abcdefg", "abcdefgh", "abcdefghi", "provider.called", "reconnect.requested!", "wörker", "é", "🙂x",
                     "a-very-long-actor-name-past-any-width"]
        for text in texts {
            for width in -1...30 {
                for start in 0...9 {
                    var line = TextLine(capacity: 1)
                    let prefix = String(repeating: "s", count: start)
                    line.append(prefix)
                    line.append(text, paddedTo: width)
                    line.append(byte: UInt8(ascii: "|"))
                    #expect(line.text == prefix + text + String(repeating: " ", count: max(0, width - text.count)) + "|", "\(text) \(width)")
                }
            }
        }
    }

    @Test func clocksAreSpelledAsDurationTextSpellsThemEvenWhenRepeated() {
        let day: Int64 = 86_400_000
        let instants: [Int64] = [0, 0, 1, 1, 1, 999, 60_000, 60_000, 3_599_999, 99 * 3_600_000 + 3_599_999, 99 * 3_600_000 + 3_599_999,
                                 100 * 3_600_000, 100 * 3_600_000, -1, -1, 0, 5 * day, 5 * day, 12_345, 12_345, 0]
        var line = TextLine(capacity: 1)
        var expected = ""
        for ms in instants {
            line.append(clock: Instant(milliseconds: ms))
            line.append(byte: UInt8(ascii: ";"))
            expected += DurationText.clock(Instant(milliseconds: ms)) + ";"
        }
        #expect(line.text == expected)
    }
}
