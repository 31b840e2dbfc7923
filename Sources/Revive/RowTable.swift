// The in-memory store's table (see `InMemoryRecoveryStore`).

/// One table of the in-memory store: its rows by key. The store keeps one undo log for all its
/// tables (`Rows`), so a table only writes and hands back the row it replaced.
///
/// The rows sit in a flat list, found by a walk while the table is small: a play's tables hold a
/// handful of rows, and a dictionary hashed the key (SipHash over every byte of the string) on
/// every read and write, allocated its storage in every play, and showed as a tenth of the
/// catalogue's profile. A walk compares keys, and a key mostly arrives as the very string the
/// row holds, a compare of one word. A big table (a long run's leases) also keeps each key's place
/// in a dictionary. Nothing here depends on the rows' order: the deletions write rows whatever
/// their order, and the lists a store answers with (`leases(heldBy:)`, `openCases()`) are sorted
/// by id, as the SQL stores' are.
///
/// The keys and the values sit in two lists of memory the table allocates and owns, not in an
/// array of rows: an array of a generic row type (`RowEntry<Key, Value>`, as before) needed
/// that type's metadata and its storage class's, built at run time from their mangled names the
/// first time each kind of table was written in a process (some 23,000 instructions a kind,
/// 290,000 of a cold `run`), and destroyed its rows through the generic type's value witness
/// (some 340 instructions a row). Allocated here, in code compiled for the table's types, the
/// lists need no metadata. Not copyable, so the memory has one owner: a copy of a table is made
/// on purpose (`copied()`).
struct RowTable<Key: RowKey, Value>: ~Copyable {
    /// The rows' keys and values, row `i` at place `i` of each, `count` of them initialized,
    /// room for `capacity` (nil until the first write); both lists lie in the one block that
    /// `keyList` starts.
    private var keyList: UnsafeMutablePointer<Key>?
    private var valueList: UnsafeMutablePointer<Value>?
    /// How many rows the table holds.
    private(set) var count = 0
    private var capacity = 0
    /// Each key's place in the rows, kept only while `indexed`.
    private var places: [Key: Int] = [:]
    private var indexed = false
    /// The room the rows take at the first write (none until then: most plays never write some tables).
    private let room: Int

    /// The most rows walked: past it the table keeps its dictionary of places, which it drops
    /// again below `smallSize` (not at once, so a table at the edge does not rebuild it on every write).
    private static var walkLimit: Int { 16 }
    private static var smallSize: Int { 8 }

    /// An empty table whose rows take room for `capacity` at the first write: grown from
    /// nothing, a table a play fills was reallocated at its first, second and fourth rows.
    init(capacity: Int = 4) { room = max(1, capacity) }

    /// Destroys the rows one by one, each by code compiled for its types (see above).
    deinit { KeyValueBlock.free(keys: keyList, values: valueList, count: count) }

    /// A table holding copies of these rows (a replica rebuilt from a store).
    func copied() -> RowTable {
        var copy = RowTable(capacity: room)
        for i in 0..<count { _ = copy.write(keyList![i], valueList![i]) }
        return copy
    }

    /// The rows' values, in no particular order.
    var values: [Value] { values(where: { _ in true }) }

    /// The values of the rows that match, in no particular order.
    func values(where matches: (Value) -> Bool) -> [Value] {
        var found: [Value] = []
        for i in 0..<count where matches(valueList![i]) { found.append(valueList![i]) }
        return found
    }

    /// Whether a row's value matches.
    func contains(where matches: (Value) -> Bool) -> Bool {
        for i in 0..<count where matches(valueList![i]) { return true }
        return false
    }

    // Always inlined: the indexed branch's dictionary calls the key's own hash; the walk is a
    // call that writes nothing (`RowKey`), so a read through the store's pointer copies nothing.
    subscript(key: Key) -> Value? {
        @inline(__always) get {
            if indexed { return places[key].map { valueList![$0] } }
            return walk(to: key)
        }
    }

    /// The row's value, found by the walk.
    @inline(never)
    private func walk(to key: Key) -> Value? {
        for i in 0..<count where keyList![i].sameRow(as: key) { return valueList![i] }
        return nil
    }

    private func place(of key: Key) -> Int? {
        if indexed { return places[key] }
        for i in 0..<count where keyList![i].sameRow(as: key) { return i }
        return nil
    }

    /// Writes (or, with nil, deletes) one row, and hands back the row it replaced, moved out
    /// (the caller logs it: `Rows` keeps one log for all the tables).
    mutating func replace(_ key: Key, _ value: consuming Value?) -> Value? { write(key, value) }

    /// Deletes the rows whose values match, handing each row's key and value (moved out) to
    /// `removed`. Walked from the last row down, so the row that fills a deleted one's place has
    /// been looked at already: the keys were listed into an array first (allocated on every
    /// prune that found anything, and each of its types built at run time at the first such
    /// prune of a process), then each row found again by its key.
    mutating func removeRows(where matches: (Value) -> Bool, _ removed: (Key, Value) -> Void) {
        var i = count
        while i > 0 {
            i -= 1
            guard matches(valueList![i]) else { continue }
            let (key, value) = remove(at: i)
            removed(key, value)
        }
    }

    /// Writes one row and hands back the row it replaced.
    private mutating func write(_ key: Key, _ value: consuming Value?) -> Value? {
        guard let i = place(of: key) else {
            guard let value else { return nil }
            if count == capacity { grow() }
            (keyList! + count).initialize(to: key)
            (valueList! + count).initialize(to: value)
            count += 1
            if indexed {
                places[key] = count - 1
            } else if count > Self.walkLimit {
                index()
            }
            return nil
        }
        guard var value else { return remove(at: i).value }
        // Swapped, not copied: the old row moves out to the log.
        swap(&value, &valueList![i])
        return value
    }

    /// Removes the row at `i`, the last row taking its place, and hands it back.
    private mutating func remove(at i: Int) -> (key: Key, value: Value) {
        count -= 1
        let key = (keyList! + i).move()
        let removed = (valueList! + i).move()
        if i < count {
            (keyList! + i).moveInitialize(from: keyList! + count, count: 1)
            (valueList! + i).moveInitialize(from: valueList! + count, count: 1)
            if indexed { places[keyList![i]] = i }
        }
        if indexed {
            places[key] = nil
            if count < Self.smallSize { (indexed, places) = (false, [:]) }
        }
        return (key, removed)
    }

    /// Room for twice the rows (or, at the first write, the table's room): the keys and then the
    /// values in one block (two blocks cost a second allocation and release per table grown).
    private mutating func grow() {
        let larger = capacity == 0 ? room : capacity * 2
        let (keys, values) = KeyValueBlock.grow(keys: keyList, values: valueList, count: count, to: larger)
        (keyList, valueList, capacity) = (keys, values, larger)
    }

    /// Builds the dictionary of places, for a table grown past the walk.
    private mutating func index() {
        places = Dictionary(minimumCapacity: count * 2)
        for i in 0..<count { places[keyList![i]] = i }
        indexed = true
    }
}
