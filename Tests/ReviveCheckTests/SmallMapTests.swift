import Testing
@testable import ReviveCheck

/// The checker's small map keeps a dictionary's meaning of a key whether it holds few entries or
/// many: canonically equivalent spellings are one key, before and after it grows past its list.
struct SmallMapTests {
    @Test func canonicallyEquivalentKeysAreOneKeyBelowAndAboveTheLimit() {
        var map = SmallMap()
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

    /// The table against a `Dictionary` (the reference) through many seeded runs of inserts,
    /// updates, removals and reads: below the four slots, in the list past them, across the
    /// move to a dictionary, and with canonically equivalent spellings as one key.
    @Test func agreesWithADictionaryOnRandomEdits() {
        let pool = ["conn-a", "conn-b", "step-\u{e9}", "step-e\u{301}", "a-much-longer-key-than-fifteen-bytes", "k1", "k2", "k3", "k4",
                    "k5", "k6", "k7", "k8", "k9", ""]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for run in 0..<400 {
            var map = SmallMap()
            var reference: [String: Int] = [:]
            // Short runs stay in the slots or the list; long ones may cross into the dictionary.
            let keys = 1 + run % pool.count
            for step in 0..<(10 + next(60)) {
                let key = pool[next(keys)]
                if next(4) == 0 {
                    map[key] = nil
                    reference[key] = nil
                } else {
                    map[key] = step
                    reference[key] = step
                }
                let probe = pool[next(pool.count)]
                #expect(map[probe] == reference[probe], "run \(run), step \(step): \(probe)")
            }
            let entries = map.elements
            #expect(entries.count == reference.count, "run \(run)")
            #expect(map.isEmpty == reference.isEmpty, "run \(run)")
            for entry in entries { #expect(reference[entry.key] == entry.value, "run \(run): \(entry.key)") }
            #expect(map.allValues.sorted() == reference.values.sorted(), "run \(run)")
            var walked: [String: Int] = [:]
            map.forEach { key, value in walked[key] = value }
            #expect(walked == reference, "run \(run)")
        }
    }
}
