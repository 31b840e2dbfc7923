// The in-memory store's table (see `InMemoryRecoveryStore`).

/// One table of the in-memory store: its rows by key. The store keeps one undo log for all its
/// tables (`Rows`), so a table only writes and hands back the row it replaced.
///
/// The rows sit in a flat list, found by a walk while the table is small: a play's tables hold a
/// handful of rows, and a dictionary hashed the key (SipHash over every byte of the string) on
/// every read and write, allocated its storage in every play, and showed as a tenth of the
/// catalogue's profile. A walk compares keys, and a key mostly arrives as the very string the
/// row holds, a compare of one word. A big table (a long run's leases) also keeps each key's place
/// in a dictionary. Nothing here depends on the rows' order: the deletions and
/// `leases(heldBy:)` write rows whatever their order, and `openCases()` sorts.
struct RowTable<Key: RowKey, Value> {
    /// A row.
    typealias Entry = RowEntry<Key, Value>

    private(set) var entries: [Entry] = []
    /// Each key's place in `entries`, kept only while `indexed`.
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
    init(capacity: Int = 4) { room = capacity }

    /// The rows' values, in no particular order.
    var values: LazyMapSequence<[Entry], Value> { entries.lazy.map(\.value) }

    // Always inlined: a caller then copies the table (retains its references) only on the
    // indexed branch, whose dictionary calls the key's own hash; the walk needs no copy.
    subscript(key: Key) -> Value? {
        @inline(__always) get {
            if indexed { return places[key].map { entries[$0].value } }
            return walk(to: key)
        }
    }

    /// The row's value, found by the walk in one call that writes nothing (`RowKey`): inlined
    /// into a read through the store's pointer, or calling anything the compiler cannot see
    /// into, the walk was made on a copy of the table (its three references retained before
    /// and released after, on every read of every decision).
    @inline(never)
    private func walk(to key: Key) -> Value? {
        entries.withUnsafeBufferPointer { rows in
            for i in rows.indices where rows[i].key.sameRow(as: key) { return rows[i].value }
            return nil
        }
    }

    private func place(of key: Key) -> Int? {
        if indexed { return places[key] }
        return entries.withUnsafeBufferPointer { rows in
            for i in rows.indices where rows[i].key.sameRow(as: key) { return i }
            return nil
        }
    }

    /// Writes (or, with nil, deletes) one row, and hands back the row it replaced, moved out
    /// (the caller logs it: `Rows` keeps one log for all the tables).
    mutating func replace(_ key: Key, _ value: consuming Value?) -> Value? { write(key, value) }

    /// The keys of the rows that match, to delete them one by one (deleting moves rows).
    func keys(where matches: (Value) -> Bool) -> [Key] { entries.compactMap { matches($0.value) ? $0.key : nil } }

    /// Writes one row and hands back the row it replaced.
    private mutating func write(_ key: Key, _ value: consuming Value?) -> Value? {
        guard let i = place(of: key) else {
            guard let value else { return nil }
            if entries.capacity == 0 { entries.reserveCapacity(room) }
            entries.append(Entry(key: key, value: value))
            if indexed {
                places[key] = entries.count - 1
            } else if entries.count > Self.walkLimit {
                index()
            }
            return nil
        }
        guard var value else { return remove(at: i) }
        // Swapped, not copied: the old row moves out to the log.
        swap(&value, &entries[i].value)
        return value
    }

    /// Removes the row at `i`, the last row taking its place.
    private mutating func remove(at i: Int) -> Value {
        let last = entries.removeLast()
        let removed: Entry
        if i < entries.count {
            removed = entries[i]
            entries[i] = last
            if indexed { places[last.key] = i }
        } else {
            removed = last
        }
        if indexed {
            places[removed.key] = nil
            if entries.count < Self.smallSize { (indexed, places) = (false, [:]) }
        }
        return removed.value
    }

    /// Builds the dictionary of places, for a table grown past the walk.
    private mutating func index() {
        places = Dictionary(minimumCapacity: entries.count * 2)
        for i in entries.indices { places[entries[i].key] = i }
        indexed = true
    }
}

/// A row of a `RowTable`. Outside the table and unconstrained: nested in it, the row's type
/// carried the table's `Key: RowKey` requirement, and the runtime, building the type of each
/// table's row list from its mangled name, scanned every protocol conformance of the process to
/// check it, once per kind of table in every process (two million instructions of a cold `run`).
struct RowEntry<Key, Value> {
    let key: Key
    var value: Value
}
