import Testing
@testable import ReviveLab

/// The byte-built timeline line: fact values quoted exactly when a line could not be split back
/// into its facts otherwise, and padding counted in characters.
struct TextLineTests {
    func fact(_ value: String) -> String {
        var line = TextLine(capacity: 16)
        line.append(factValue: value)
        return line.text
    }

    @Test func aPlainValueIsWrittenAsItIs() {
        #expect(fact("conn_slack") == "conn_slack")
        #expect(fact("héllo-wörld") == "héllo-wörld")
    }

    @Test func anEmptyValueOrOneWithASpaceIsQuoted() {
        #expect(fact("") == "\"\"")
        #expect(fact("two words") == "\"two words\"")
    }

    @Test func innerQuotesAreEscaped() {
        #expect(fact("say \"hi\"") == "\"say \\\"hi\\\"\"")
        #expect(fact("\"") == "\"\\\"\"")
    }

    @Test func aSpaceOrAQuoteIsFoundWhereverItFalls() {
        // Values are scanned a word at a time: try every place in values of every length to 24.
        for length in 1...24 {
            let plain = String(repeating: "v", count: length)
            #expect(fact(plain) == plain)
            for place in 0..<length {
                var spaced = Array(plain.utf8)
                spaced[place] = UInt8(ascii: " ")
                let withSpace = String(decoding: spaced, as: UTF8.self)
                #expect(fact(withSpace) == "\"" + withSpace + "\"")
                spaced[place] = UInt8(ascii: "\"")
                let withQuote = String(decoding: spaced, as: UTF8.self)
                let escaped = String(decoding: spaced.flatMap { $0 == UInt8(ascii: "\"") ? [UInt8(ascii: "\\"), $0] : [$0] }, as: UTF8.self)
                #expect(fact(withQuote) == "\"" + escaped + "\"")
            }
        }
    }

    @Test func paddingIsExactForEveryWidth() {
        for width in 0...40 {
            var line = TextLine(capacity: 1)
            line.append("ab", paddedTo: width)
            line.append(byte: UInt8(ascii: "|"))
            #expect(line.text == "ab" + String(repeating: " ", count: max(0, width - 2)) + "|")
        }
    }

    @Test func paddingCountsCharactersNotBytes() {
        var line = TextLine(capacity: 16)
        line.append("wörker", paddedTo: 9)
        line.append(byte: UInt8(ascii: "|"))
        #expect(line.text == "wörker   |")
        #expect(TextLine.width(of: "wörker") == 6)
        #expect(TextLine.width(of: "worker-a") == 8)
    }
}
