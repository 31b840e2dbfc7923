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

    /// The table (keys and values in one block it owns) against a dictionary, the reference: the
    /// same answers through adds, sets, edits in place and removals, below and past the walk limit.
    @Test func matchesADictionary() {
        var table = SmallTable<ConnectionID, [Int]>()
        var reference: [ConnectionID: [Int]] = [:]
        var random = SeededRandom(seed: 14)
        for step in 0..<3_000 {
            let key = ConnectionID("conn-\(random.next() % 40)")
            switch random.next() % 5 {
            case 0: table.add(key, [step]); reference[key] = [step]
            case 1: table[key] = [step, step]; reference[key] = [step, step]
            case 2: table[key] = nil; reference[key] = nil
            case 3: table.update(key) { $0.append(step) }; reference[key]?.append(step)
            default:
                if let i = table.index(forKey: key) { table.modify(at: i) { $0.removeAll() } }
                if reference[key] != nil { reference[key] = [] }
            }
            #expect(table[key] == reference[key], "\(key) at step \(step)")
        }
        for index in 0..<40 {
            let key = ConnectionID("conn-\(index)")
            #expect(table[key] == reference[key], "\(key)")
            #expect((table.index(forKey: key) != nil) == (reference[key] != nil), "\(key)")
        }
        #expect(table.isEmpty == reference.isEmpty)
    }
}
