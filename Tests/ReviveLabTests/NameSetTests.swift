import Testing
@testable import ReviveLab

/// The loader's small set of names: the same answers as a `Set<String>`, below and past the
/// point where it starts hashing.
struct NameSetTests {
    @Test(arguments: [0, 3, 4, 5, NameSet.linearLimit, NameSet.linearLimit + 1, 40])
    func answersAsASetDoes(_ size: Int) {
        var names = NameSet()
        var reference = Set<String>()
        for i in 0..<size {
            for name in ["name-\(i)", "name-\(i / 2)"] {
                let inserted = names.insert(name)
                #expect(inserted == reference.insert(name).inserted)
            }
        }
        #expect(names.count == reference.count)
        for i in 0..<(size + 3) { #expect(names.contains("name-\(i)") == reference.contains("name-\(i)")) }
        #expect(names.sorted() == reference.sorted())
    }

    @Test func canonicallyEquivalentNamesAreOneName() {
        var names = NameSet(["caf\u{E9}"])
        #expect(names.contains("cafe\u{301}"))
        let inserted = names.insert("cafe\u{301}")
        #expect(!inserted)
        #expect(names.count == 1)
    }

    @Test func aListKeepsEachNameOnce() {
        let names = NameSet(["b", "a", "b", "c", "a"])
        #expect(names.count == 3)
        #expect(names.sorted() == ["a", "b", "c"])
    }
}
