import ReferenceCatalog
import Testing
@testable import ReviveLab

/// The timeline line writes strings of at most fifteen bytes from the String's own two words
/// (read by `ShortASCII`, whose reading of the layout `ShortASCIITests` holds to the standard
/// library). These tests hold that fast path to the plain spelling for every length and every
/// kind of byte it treats apart (spaces and quotes, which need quoting; bytes that are not
/// ASCII), and against the same text in a string that is not small.
struct TextLineSmallStringTests {
    /// The fast path is taken on the platforms the lab builds for: if the standard library ever
    /// laid small strings out differently, every string would take the general path (still
    /// correct, but slower), and this test says so.
    @Test func theSmallStringPathIsTakenHere() {
        #if arch(x86_64) || arch(arm64)
        let line = TextLine(capacity: 1)
        let readable = line.smallStringsReadable
        #expect(readable)
        #endif
    }

    @Test func smallFactsAreSpelledAsTheGeneralPathSpellsThem() {
        for value in SmallStringSamples.texts {
            for name in ["n", "runtime", "a-name-of-16-by", "é"] {
                for text in [value, SmallStringSamples.stored(value)] {
                    var line = TextLine(capacity: 1)
                    line.append("x")
                    line.startFacts()
                    line.fact("conn", text)
                    line.fact(named: name, text)
                    line.fact(named: SmallStringSamples.stored(name), text)
                    let spelled = TextLineFastPathTests.spelled(value)
                    #expect(line.text == "xconn=\(spelled) \(name)=\(spelled) \(name)=\(spelled)", "\(value) \(name)")
                }
            }
        }
    }

    @Test func smallTextsArePaddedExactly() {
        for value in SmallStringSamples.texts {
            for width in 0...20 {
                var line = TextLine(capacity: 1)
                line.append("p")
                line.append(value, paddedTo: width)
                line.append(byte: UInt8(ascii: "|"))
                #expect(line.text == "p" + value + String(repeating: " ", count: max(0, width - value.count)) + "|", "\(value) \(width)")
            }
        }
    }

    /// The actor column (written from a small text's words when it fits three words) is the
    /// text padded by `append(_:paddedTo:)` between two spaces on each side, the reference,
    /// for every length, kind of byte and width, from a small string and a stored one.
    @Test func actorColumnsAreTheTextPaddedBetweenTwoSpaces() {
        for value in SmallStringSamples.texts {
            for width in 0...26 {
                for text in [value, SmallStringSamples.stored(value)] {
                    var line = TextLine(capacity: 1)
                    line.append("p")
                    line.append(actorColumn: text, width: width)
                    line.append(byte: UInt8(ascii: "|"))
                    var reference = TextLine(capacity: 1)
                    reference.append("p")
                    reference.appendSpaces(2)
                    reference.append(text, paddedTo: width)
                    reference.appendSpaces(2)
                    reference.append(byte: UInt8(ascii: "|"))
                    #expect(line.text == reference.text, "\(value) \(width)")
                    #expect(line.text == "p  " + value + String(repeating: " ", count: max(0, width - value.count)) + "  |", "\(value) \(width)")
                }
            }
        }
    }
}
