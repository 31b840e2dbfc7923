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

    @Test func paddingCountsCharactersNotBytes() {
        var line = TextLine(capacity: 16)
        line.append("wörker", paddedTo: 9)
        line.append(byte: UInt8(ascii: "|"))
        #expect(line.text == "wörker   |")
        #expect(TextLine.width(of: "wörker") == 6)
        #expect(TextLine.width(of: "worker-a") == 8)
    }
}
