import Testing
import ReviveVocabulary

/// `TransitionName(rawValue:)` finds names by slots of their bytes: it must answer exactly as the
/// dictionary of spellings it replaced (a lookup by `==`, canonical equivalence and all).
@Suite("transition names: the slot lookup answers as the dictionary did")
struct TransitionNameLookupTests {
    /// The replaced table: every known name by its spelling.
    static let reference = Dictionary(uniqueKeysWithValues: TransitionName.known.map { ($0.rawValue, $0) })

    static var candidates: [String] {
        var spellings = ["", ".", "x", "run", "run.", ".started", "lease.teleported", "nodot", "RUN.STARTED", "run.started ", " run.started"]
        for name in TransitionName.known {
            let spelling = name.rawValue
            spellings += [spelling, spelling + "s", "x" + spelling, String(spelling.dropLast()), String(spelling.dropFirst()),
                          spelling.uppercased(), spelling.replacingFirstDot(with: "_"), spelling + "\u{301}"]
        }
        return spellings
    }

    @Test func everySpellingIsLookedUpAsTheDictionaryDid() {
        for spelling in TransitionNameLookupTests.candidates {
            let expected = TransitionNameLookupTests.reference[spelling] ?? .unrecognized(spelling)
            #expect(TransitionName(rawValue: spelling) == expected, "\(spelling)")
        }
    }

    /// Every byte of every name changed in turn (the bytes are compared eight at a time, the
    /// last eight overlapping the ones before): only the name's own spelling finds it.
    @Test func aSpellingOneByteOffIsLookedUpAsTheDictionaryDid() {
        for name in TransitionName.known {
            let bytes = Array(name.rawValue.utf8)
            for offset in bytes.indices {
                for replacement in [UInt8(ascii: "a"), UInt8(ascii: "."), bytes[offset] ^ 0x20, bytes[offset] &+ 1] where replacement != bytes[offset] {
                    var changed = bytes
                    changed[offset] = replacement
                    let spelling = String(decoding: changed, as: UTF8.self)
                    let expected = TransitionNameLookupTests.reference[spelling] ?? .unrecognized(spelling)
                    #expect(TransitionName(rawValue: spelling) == expected, "\(spelling)")
                }
            }
        }
    }

    @Test func aCanonicallyEqualSpellingOfOtherBytesIsFoundAsTheDictionaryFoundIt() {
        // "é" composed and decomposed are equal strings: the dictionary found either; so must the slots.
        let composed = "caf\u{E9}.opened"
        let decomposed = "cafe\u{301}.opened"
        #expect(composed == decomposed)
        #expect(TransitionName(rawValue: composed) == .unrecognized(composed))
        #expect(TransitionName(rawValue: decomposed) == TransitionNameLookupTests.reference[decomposed] ?? .unrecognized(decomposed))
    }
}

private extension String {
    func replacingFirstDot(with replacement: Character) -> String {
        guard let dot = firstIndex(of: ".") else { return self }
        var copy = self
        copy.replaceSubrange(dot...dot, with: String(replacement))
        return copy
    }
}
