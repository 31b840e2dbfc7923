import Testing
@testable import Revive
import ReviveVocabulary

/// The in-memory store's table: rows by key, walked while small and indexed past the walk (its
/// rollback is the store's one log: `StoreRowsTests`).
@Suite("RowTable: rows, their walk and their index")
struct RowTableTests {
    @Test("Rows are found by an equal key that is another string object", arguments: [3, 40])
    func rowsAreFoundByEqualKeys(count: Int) {
        var table = RowTable<ConnectionID, Int>()
        for i in 0..<count { _ = table.replace(ConnectionID("conn_\(i)"), i) }
        for i in 0..<count { #expect(table[ConnectionID(String("conn_\(i)".reversed().reversed()))] == i) }
        #expect(table[ConnectionID("conn_\(count)")] == nil)
    }

    @Test("String keys compare as strings do: canonically equivalent spellings are one key")
    func stringKeysAreCanonical() {
        var table = RowTable<String, Int>()
        _ = table.replace("caf\u{E9}", 1)
        #expect(table["cafe\u{301}"] == 1)
        _ = table.replace("cafe\u{301}", 2)
        #expect(table.values.count == 1)
        #expect(table["caf\u{E9}"] == 2)
    }

    @Test("Digest keys are equal exactly as their texts are, first words or not", arguments: [3, 40])
    func digestKeysCompareAsText(count: Int) {
        var table = RowTable<DigestKey, Int>()
        let digests = (0..<count).map { SHA256.hexDigest("capability-\($0)") }
        for (i, digest) in digests.enumerated() { _ = table.replace(DigestKey(digest), i) }
        for (i, digest) in digests.enumerated() { #expect(table[DigestKey(String(digest.reversed().reversed()))] == i) }
        // Same first eight bytes, different texts; shorter than a word; canonically equivalent spellings.
        _ = table.replace(DigestKey(digests[0].prefix(8) + "-other"), 100)
        #expect(table[DigestKey(digests[0])] == 0)
        #expect(table[DigestKey(digests[0].prefix(8) + "-other")] == 100)
        _ = table.replace(DigestKey("ab"), 101)
        #expect(table[DigestKey("ab")] == 101)
        #expect(table[DigestKey("abc")] == nil)
        _ = table.replace(DigestKey("Kcaf\u{E9}"), 102)
        #expect(table[DigestKey("\u{212A}cafe\u{301}")] == 102)
        #expect(DigestKey("\u{212A}") == DigestKey("K"))
        #expect(DigestKey("\u{212A}").hashValue == DigestKey("K").hashValue)
    }
}
