import Testing
import ReviveVocabulary
@testable import ReviveCheck

/// `check` asks an `InvariantSet` which invariants it was given, in place of `Array.contains`
/// (the test it replaced): each invariant has a bit of its own, and membership is the list's.
@Suite("invariant set")
struct InvariantSetTests {
    @Test func membershipIsTheListsOverEverySubsetDrawn() {
        var draw = SecretScannerAnchorTests.Draw(state: 0x1A5E7)
        for _ in 0..<2_000 {
            let asked = (0..<draw.next(15)).map { _ in Invariant.allCases[draw.next(Invariant.allCases.count)] }
            let set = InvariantSet(asked)
            for invariant in Invariant.allCases { #expect(set.contains(invariant) == asked.contains(invariant)) }
        }
    }

    @Test func eachInvariantAloneIsItsOnlyMember() {
        for invariant in Invariant.allCases {
            let set = InvariantSet([invariant])
            #expect(Invariant.allCases.filter { set.contains($0) } == [invariant])
        }
        #expect(Invariant.allCases.allSatisfy { InvariantSet(Invariant.allCases).contains($0) })
        #expect(!Invariant.allCases.contains { InvariantSet([]).contains($0) })
    }
}
