/// A table keyed by the strings a timeline names (steps, keys, connections, cases, capabilities),
/// for the checker's walks: a few entries each, looked up by a walk rather than by hashing.
///
/// A `Dictionary` hashed the whole string on every lookup and allocated (and grew) its storage on
/// every judged play, and the checker's walks were mostly that. Here a lookup compares keys with
/// `==`, as the dictionary does (identical or short ASCII strings compare fast); a long timeline
/// (a long run names thousands of keys) moves to a dictionary past `linearLimit` entries, so no
/// lookup ever walks more than that many.
///
/// The checker's tables are all `SmallMap<Int>` (and `SmallSet`, on one): a table holds where in
/// the timeline its value was seen, and the value (a key, an identity, a generation, an expiry)
/// is read back from that transition. Tables of their own value types (`KeyAt`, `OpenCase`, …)
/// each had the storage class of their `[Entry]` built by the runtime from its mangled name the
/// first time a process made one: some 22,000 instructions for each of ten kinds, in a cold `run`.
struct SmallMap<Value> {
    /// One entry. A named struct, not a tuple: an array of tuples had its element type built by
    /// the runtime from its mangled name the first time each kind of table was made.
    struct Entry {
        /// The key.
        let key: String
        /// Its value.
        var value: Value
    }

    /// The entries while there are at most `linearLimit`, in one array: one allocation a table,
    /// made with room for all of them.
    private var entries: [Entry] = []
    /// Every entry, once there were more than `linearLimit` (then `entries` is empty).
    private var overflow: [String: Value]?
    private static var linearLimit: Int { 8 }

    /// Whether the table holds nothing.
    var isEmpty: Bool { overflow?.isEmpty ?? entries.isEmpty }

    /// The entries, in no order the callers may rely on (they sort, or only collect).
    var elements: [Entry] { overflow.map { $0.map { Entry(key: $0.key, value: $0.value) } } ?? entries }

    /// The keys, in the order of `elements`.
    var allKeys: [String] { elements.map(\.key) }

    /// The values, in the order of `elements`.
    var allValues: [Value] { elements.map(\.value) }

    @inline(__always)
    private func position(of key: String) -> Int? {
        // Plain `==`, as the overflow dictionary compares: canonically equivalent spellings are
        // one key (byte counts compared first told them apart, and the dictionary built at the
        // ninth key then trapped on the "duplicate").
        for j in entries.indices where entries[j].key == key { return j }
        return nil
    }

    /// The value for `key`; setting nil removes the entry.
    subscript(key: String) -> Value? {
        @inline(__always) get {
            if let overflow { return overflow[key] }
            return position(of: key).map { entries[$0].value }
        }
        set {
            if overflow != nil {
                overflow![key] = newValue
            } else if let j = position(of: key) {
                if let newValue {
                    entries[j].value = newValue
                } else {
                    // The last entry takes the removed one's place.
                    entries.swapAt(j, entries.count - 1)
                    entries.removeLast()
                }
            } else if let newValue {
                if entries.count < Self.linearLimit {
                    // Growing an array from empty reallocated it at every other insert.
                    if entries.isEmpty { entries.reserveCapacity(Self.linearLimit) }
                    entries.append(Entry(key: key, value: newValue))
                } else {
                    var all = Dictionary(uniqueKeysWithValues: entries.lazy.map { ($0.key, $0.value) })
                    all[key] = newValue
                    overflow = all
                    entries = []
                }
            }
        }
    }
}

/// A set of the strings a timeline names, on `SmallMap` (see there for why not `Set`). On the
/// same `SmallMap<Int>` as every table of the checker: each other kind of table had its array's
/// storage class built at run time, once per process, some 22,000 instructions a kind.
struct SmallSet {
    private var members = SmallMap<Int>()

    /// Whether `member` is in the set.
    func contains(_ member: String) -> Bool { members[member] != nil }

    /// Adds `member`; `inserted` says whether it was new.
    @discardableResult
    mutating func insert(_ member: String) -> (inserted: Bool, memberAfterInsert: String) {
        if members[member] != nil { return (false, member) }
        members[member] = 0
        return (true, member)
    }
}
