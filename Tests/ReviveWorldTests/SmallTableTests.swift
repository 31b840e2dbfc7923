import Testing
import ReviveVocabulary
@testable import ReviveWorld

/// The world's small table: `add` moves a value in and means what setting it through the
/// optional subscript means (a key it holds is replaced, not added twice), below and above the
/// walk limit where it starts keeping places in a dictionary.
@Suite("SmallTable")
struct SmallTableTests {
    @Test func addMeansWhatSettingMeans() {
        var added = SmallTable<ConnectionID, Int>()
        var set = SmallTable<ConnectionID, Int>()
        for round in 0..<3 {
            for index in 0..<40 {
                let key = ConnectionID("conn-\(index % 23)")
                added.add(key, index * 10 + round)
                set[key] = index * 10 + round
            }
        }
        for index in 0..<23 {
            let key = ConnectionID("conn-\(index)")
            #expect(added[key] == set[key], "\(key)")
            #expect(added.index(forKey: key) != nil)
        }
        #expect(added[ConnectionID("conn-23")] == nil)
        added[ConnectionID("conn-4")] = nil
        #expect(added[ConnectionID("conn-4")] == nil)
        #expect(added[ConnectionID("conn-5")] == set[ConnectionID("conn-5")])
    }
}
