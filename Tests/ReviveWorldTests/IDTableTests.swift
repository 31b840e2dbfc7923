import Testing
@testable import ReviveWorld

/// The runtime's books by number, one list of entries that carry their own numbers, against the
/// reference they replaced: a dictionary keyed by the number.
@Suite("IDTable")
struct IDTableTests {
    /// An entry that carries its number, as attempts and calls in flight do.
    struct Entry: Numbered, Equatable {
        let id: Int
        var payload: [Int]
    }

    @Test func matchesADictionary() {
        var table = IDTable<Entry>()
        var reference: [Int: Entry] = [:]
        var random = SeededRandom(seed: 7)
        for step in 0..<3_000 {
            let id = Int(random.next() % 12)
            switch random.next() % 5 {
            case 0: table[id] = Entry(id: id, payload: [step]); reference[id] = Entry(id: id, payload: [step])
            case 1: table[id] = nil; reference[id] = nil
            case 2: table.update(id) { $0.payload.append(step) }; reference[id]?.payload.append(step)
            case 3:
                let wanted = step % 2 == 0
                let taken = table.take(id) { _ in wanted }
                let expected = wanted ? reference.removeValue(forKey: id) : nil
                #expect(taken == expected, "take \(id) at step \(step)")
            default:
                if step % 100 == 0 { table.removeAll(); reference.removeAll() }
            }
            #expect(table[id] == reference[id], "\(id) at step \(step)")
        }
        #expect(table.values.sorted { $0.id < $1.id } == reference.values.sorted { $0.id < $1.id })
        #expect(table.isEmpty == reference.isEmpty)
    }

    @Test func mergingKeepsItsOwnEntries() {
        var mine = IDTable<Entry>()
        var theirs = IDTable<Entry>()
        mine[1] = Entry(id: 1, payload: [1])
        theirs[1] = Entry(id: 1, payload: [100])
        theirs[2] = Entry(id: 2, payload: [2])
        let merged = mine.merging(theirs)
        #expect(merged[1] == Entry(id: 1, payload: [1]))
        #expect(merged[2] == Entry(id: 2, payload: [2]))
        #expect(mine[2] == nil)
    }
}
