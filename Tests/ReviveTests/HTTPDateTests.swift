import Testing
@testable import Revive
import ReviveVocabulary

/// HTTP dates read by bytes (ASCII texts) and by characters (any other) give the same answers.
@Suite("HTTPDate: the byte reading and the character reading agree")
struct HTTPDateTests {
    /// Sun, 06 Nov 1994 08:49:37 GMT.
    private let example: Int64 = 784_111_777

    @Test("Spellings the split and the number reading accept", arguments: [
        "Sun, 06 Nov 1994 08:49:37 GMT", "sun, 06 nov 1994 08:49:37 gmt", "Sun,  06   Nov 1994 08:49:37 GMT",
        "\t Sun, 06 Nov 1994 08:49:37 GMT \n", "Sun, +6 NOV +1994 08:49:37 Gmt", "Sun, 06 Nov 1994 08::49:37 GMT",
        "Sun, 06 Nov 1994 :08:49:37: GMT", "Sun, 0000000006 Nov 1994 +08:49:+37 GMT", "Dé, 06 Nov 1994 08:49:37 GMT",
    ])
    func acceptedSpellings(text: String) {
        #expect(HTTPDate.parse(text) == example)
    }

    @Test("Texts that are no IMF-fixdate", arguments: [
        "", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1969 08:49:37 GMT", "Sun, - Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 99999999999999999999 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 1994 08:49 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:49:37 GMT extra", "Sun, 06 Nvb 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:61 GMT", "Sun, 06 Nov 1994\r08:49:37 GMT", "Sun, 6x Nov 1994 08:49:37 GMT",
        "Sun, -06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:-1:37 GMT",
    ])
    func rejectedTexts(text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }

    @Test("A leap second and the last day of a month")
    func edges() {
        #expect(HTTPDate.parse("Wed, 31 Dec 2008 23:59:60 GMT") == HTTPDate.parse("Thu, 01 Jan 2009 00:00:00 GMT"))
        #expect(HTTPDate.parse("Thu, 01 Jan 1970 00:00:00 GMT") == 0)
    }
}
