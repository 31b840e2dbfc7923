import Testing
@testable import Revive
import ReviveVocabulary

/// The store's table keeps its rows in memory it owns (no array, no generic metadata): checked
/// here against the simple thing it stands for, a dictionary, over long random runs of writes,
/// deletions, reads and copies that cross the table's walk limit, then deletions down to empty.
@Suite("RowTable against a dictionary")
struct RowTableReferenceTests {
    /// A small deterministic generator (the tests draw no unseeded randomness).
    private struct Draws {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test("Every read, write and deletion answers as a dictionary does", arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func matchesADictionary(seed: UInt64) {
        var draws = Draws(state: seed)
        var table = RowTable<ConnectionID, Int>(capacity: Int(seed % 3))
        var reference: [String: Int] = [:]
        // Keys from a pool sized to move the table past its walk limit and back below it.
        let pool = 12 + draws.next(40)
        for step in 0..<3_000 {
            let key = "conn_\(draws.next(pool))"
            // Answers taken first, then compared: the table is not copyable, and `#expect` is a macro.
            let (got, want): (Int?, Int?)
            switch draws.next(10) {
            case 0...4:
                (got, want) = (table.replace(ConnectionID(key), step), reference.updateValue(step, forKey: key))
            case 5...7:
                (got, want) = (table.replace(ConnectionID(key), nil), reference.removeValue(forKey: key))
            default:
                // Another string object with the same text: found by its text, not its storage.
                (got, want) = (table[ConnectionID(String(key.reversed().reversed()))], reference[key])
            }
            #expect(got == want)
            let count = table.count
            #expect(count == reference.count)
        }
        let values = table.values.sorted()
        let anyFifth = table.contains(where: { $0 % 5 == 0 })
        #expect(values == reference.values.sorted())
        #expect(anyFifth == reference.values.contains { $0 % 5 == 0 })
        let copy = table.copied()
        _ = table.replace(ConnectionID("conn_after_copy"), -1)
        let copyCount = copy.count
        #expect(copyCount == reference.count)
        for (key, value) in reference {
            let found = copy[ConnectionID(key)]
            #expect(found == value)
        }
        let stray = copy[ConnectionID("conn_after_copy")]
        #expect(stray == nil)
        // The rows of even values deleted in one walk, each handed back once.
        var removed: [String: Int] = [:]
        table.removeRows(where: { $0 % 2 == 0 }) { key, value in removed[key.rawValue] = value }
        #expect(removed == reference.filter { $0.value % 2 == 0 })
        reference = reference.filter { $0.value % 2 != 0 }
        for (key, value) in reference {
            let found = table[ConnectionID(key)]
            #expect(found == value)
        }
        // Emptied one row at a time: an indexed table drops its index on the way down.
        reference["conn_after_copy"] = -1
        for key in reference.keys.sorted() {
            let gone = table.replace(ConnectionID(key), nil)
            let expected = reference.removeValue(forKey: key)
            #expect(gone == expected)
            for other in reference.keys.prefix(3) {
                let found = table[ConnectionID(other)]
                #expect(found == reference[other])
            }
        }
        let left = table.count
        #expect(left == 0)
    }
}
