import Testing
@testable import ReviveCheck

/// The checker's small map keeps a dictionary's meaning of a key whether it holds few entries or
/// many: canonically equivalent spellings are one key, before and after it grows past its list.
struct SmallMapTests {
    @Test func canonicallyEquivalentKeysAreOneKeyBelowAndAboveTheLimit() {
        var map = SmallMap<Int>()
        map["conn-\u{e9}"] = 1
        map["conn-e\u{301}"] = 2
        #expect(map["conn-\u{e9}"] == 2, "the second spelling wrote over the first")
        #expect(map.allKeys.count == 1)
        // Growing past the list into a dictionary must not trap on a "duplicate".
        for index in 0..<12 { map["conn-\(index)"] = index }
        #expect(map.allKeys.count == 13)
        map["conn-e\u{301}"] = 3
        #expect(map["conn-\u{e9}"] == 3)
        map["conn-\u{e9}"] = nil
        #expect(map["conn-e\u{301}"] == nil)
        #expect(map.allKeys.count == 12)
    }
}
