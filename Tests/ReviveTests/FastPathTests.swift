import Testing
@testable import Revive
import ReviveVocabulary

/// The byte-level fast paths the profile asked for give the answers of the slow paths they skip.
@Suite("Fast paths: same answers as the character-level code")
struct FastPathTests {
    @Test("A challenge's parameters read by bytes equal those read by characters",
          arguments: [#"Bearer error="invalid_token", error_description="The access token expired""#,
                      #"Bearer realm="example", error=insufficient_scope , scope="mail.send calendars.read""#,
                      #"error="invalid_token""#, "Bearer", "", "Bearer ,, ,", #"Bearer error="unterminated"#,
                      #"Bearer  error = "spaced" ,scope=a b c"#, #"Basic realm="x=y", charset="UTF-8""#,
                      "Bearer error=\"tab\tinside\", x=\"\t padded \t\"", "Bearer k=v,=empty,last="])
    func challengeParameters(_ challenge: String) {
        #expect(SignalFacts.challengeParameters(challenge) == SignalFacts.challengeParametersByCharacter(challenge))
        let reference = SignalFacts.challengeParametersByCharacter(challenge)
        #expect(SignalFacts.challengeFields(challenge)
                == .init(error: reference["error"], description: reference["error_description"], scope: reference["scope"]))
    }

    @Test("The three fields the facts read are the dictionary's, the last of a name winning, on any challenge",
          arguments: [#"Bearer error="first", error="second", scope="a b", scope=c"#,
                      #"Bearer ERROR="upper", Error_Description="Mixed Case", SCOPE="x""#,
                      #"Bearer error_description="Zugriff verweigert – ungültig", error=invalid_token"#,
                      "Bearer error=\"cr\r\n\", scope=\"s\"", "Bearer realm=x", ""])
    func challengeFields(_ challenge: String) {
        let reference = SignalFacts.challengeParametersByCharacter(challenge)
        #expect(SignalFacts.challengeFields(challenge)
                == .init(error: reference["error"], description: reference["error_description"], scope: reference["scope"]))
    }

    @Test("Lower-casing without new storage gives lowercased()'s answer, ASCII or not")
    func lowercasedFast() {
        var texts = ["", "a", "A", "invalid_grant", "INVALID_GRANT", "Retry-After", "WWW-Authenticate",
                     "The refresh token has expired", "exactly15bytes!", "EXACTLY16BYTES!!", "@[`{ AZaz09",
                     "ÜBER Größe", "\u{212A}elvin", "İstanbul", "ΣΊΣΥΦΟΣ", "a\r\nB", "ǅ", "MIXED ascii ÄND more"]
        // Many ASCII strings of every length around the small-string limit, from a fixed stream.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for length in 0..<40 {
            for _ in 0..<8 {
                var bytes: [UInt8] = []
                for _ in 0..<length {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    bytes.append(UInt8(truncatingIfNeeded: state >> 33) & 0x7F)
                }
                texts.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        for text in texts {
            let fast = text.lowercasedFast()
            #expect(fast == text.lowercased())
            #expect(Array(fast.utf8) == Array(text.lowercased().utf8), "byte for byte: \(text.debugDescription)")
        }
    }

    @Test("Non-ASCII and carriage-return challenges take the character path")
    func challengeParametersOutsideASCII() {
        for challenge in [#"Bearer error_description="Zugriff verweigert – ungültig""#, "Bearer a=\"x\r\ny\", b=c\r\n"] {
            #expect(SignalFacts.challengeParameters(challenge) == SignalFacts.challengeParametersByCharacter(challenge))
        }
    }

    @Test("AADSTS numbers are found in any case, and only after the marker")
    func aadstsNumbers() {
        #expect(SignalFacts.aadstsNumbers(in: "AADSTS700082: The refresh token has expired") == [700082])
        #expect(SignalFacts.aadstsNumbers(in: "aadsts50076 then AaDsTs65001, aadsts without digits") == [50076, 65001])
        #expect(SignalFacts.aadstsNumbers(in: "no marker here at all") == [])
        #expect(SignalFacts.aadstsNumbers(in: "AADSTS1234567890123") == [123456789])
        #expect(SignalFacts.aadstsNumbers(in: "ünïcode AADSTS50173 text") == [50173])
    }

    @Test("AADSTS numbers are found wherever the eight-byte skip lands, and past ASCII anywhere",
          arguments: [0, 1, 5, 7, 8, 9, 15, 16, 17, 23])
    func aadstsNumbersAtEveryOffset(offset: Int) {
        let lead = String(repeating: "x", count: offset)
        #expect(SignalFacts.aadstsNumbers(in: lead + "AADSTS50076") == [50076])
        #expect(SignalFacts.aadstsNumbers(in: lead + "zzaADsTs700082 and more words after it") == [700082])
        #expect(SignalFacts.aadstsNumbers(in: lead + "aadst aadsts aadsts1") == [1])
        #expect(SignalFacts.aadstsNumbers(in: lead + "no marker, only a's: aaaa AAAA") == [])
        // A letter past ASCII may lower-case to an ASCII one: such texts take the lower-cased path.
        #expect(SignalFacts.aadstsNumbers(in: lead + "ü AADSTS65001") == [65001])
        #expect(SignalFacts.aadstsNumbers(in: lead + "AADSTS65001 ü") == [65001])
        #expect(SignalFacts.aadstsNumbers(in: lead + "\u{212A}AADSTS65001") == [65001])
    }

    @Test("A rule's words match as String.contains does", arguments: [
        ("the refresh token has expired", "expired"), ("expired", "the refresh token has expired"),
        ("abcabd", "abd"), ("", "x"), ("x", ""), ("ünïcode", "nï"), ("a\r\nb", "\r"), ("aaa", "aa"),
    ])
    func ruleText(_ haystack: String, _ needle: String) {
        #expect(ClassificationRule.text(haystack, contains: needle) == haystack.contains(needle))
    }

    @Test("A transition keeps any attempt and generation, however large, and compares by value")
    func transitionCounts() {
        for value in [nil, 0, 1, 7, 0xFFFF_FFFD, 0xFFFF_FFFE, 0xFFFF_FFFF, -1, Int.max, Int.min] as [Int?] {
            var t = Transition(time: .zero, actor: .revive, name: .leaseIssued)
            t.attempt = value
            t.generation = value.map { $0 == Int.min ? 3 : -$0 }
            #expect(t.attempt == value)
            #expect(t.generation == value.map { $0 == Int.min ? 3 : -$0 })
            var plain = Transition(time: .zero, actor: .revive, name: .leaseIssued)
            plain.attempt = value
            plain.generation = t.generation
            #expect(plain == t)
            t.attempt = nil
            t.generation = nil
            #expect(t == Transition(time: .zero, actor: .revive, name: .leaseIssued), "a cleared wide value leaves no box behind")
        }
    }
}
