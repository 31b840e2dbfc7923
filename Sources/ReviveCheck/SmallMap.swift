/// A table keyed by the strings a timeline names (steps, keys, connections, cases, capabilities),
/// for the checker's walks: a few entries each, looked up by a walk rather than by hashing.
///
/// A `Dictionary` hashed the whole string on every lookup and allocated (and grew) its storage on
/// every judged play, and the checker's walks were mostly that. Here a lookup compares keys with
/// `==`, as the dictionary does (identical or short ASCII strings compare fast); a long timeline
/// (a long run names thousands of keys) moves to a dictionary past `linearLimit` entries, so no
/// lookup ever walks more than that many.
///
/// The first four entries sit in the table itself, so a table that never holds more (most of a
/// play's) allocates nothing: an array made for them cost an allocation, some 300 instructions,
/// and its free, for each of the seven or eight tables a judged play makes (475 arrays, 0.2 M
/// instructions of a cold `run scenarios`). Entries past the fourth go to a list. The table is
/// not generic: generic, with its slots, it was destroyed through its type's metadata, fetched
/// and walked field by field, which cost more than the array had.
///
/// Every table of the checker maps to an `Int` (and `SmallSet` is one): a table holds where in
/// the timeline its value was seen, and the value (a key, an identity, a generation, an expiry)
/// is read back from that transition. Tables of their own value types (`KeyAt`, `OpenCase`, …)
/// each had the storage class of their `[Entry]` built by the runtime from its mangled name the
/// first time a process made one: some 22,000 instructions for each of ten kinds, in a cold `run`.
struct SmallMap {
    /// A table's values: where in the timeline each key was seen.
    typealias Value = Int

    /// One entry. A named struct, not a tuple: an array of tuples had its element type built by
    /// the runtime from its mangled name the first time each kind of table was made.
    struct Entry {
        /// The key.
        let key: String
        /// Its value.
        var value: Value
    }

    /// The first `slots` entries' keys and values, in slots 0 to 3; a free slot holds nil and 0.
    /// Separate properties, not an `InlineArray` of entries (tried in an earlier round: +370 M
    /// instructions on the catalogue).
    private var key0: String?, key1: String?, key2: String?, key3: String?
    private var value0 = 0, value1 = 0, value2 = 0, value3 = 0
    /// How many of the four slots hold an entry (they fill in order).
    private var slots = 0
    /// The entries past the fourth while there are at most `linearLimit` in all.
    private var more: [Entry] = []
    /// Every entry, once there were more than `linearLimit` (`spilled`; then the slots and `more`
    /// are empty). Not an optional: assigning an optional dictionary cost 6,300 instructions a
    /// spill (its old value destroyed through the type's metadata), this one 4,300.
    private var overflow: [String: Value] = [:]
    private var spilled = false
    private static var linearLimit: Int { 8 }
    private static var slotCount: Int { 4 }

    /// Whether the table holds nothing.
    var isEmpty: Bool { spilled ? overflow.isEmpty : slots == 0 }

    /// The entries, in no order the callers may rely on (they sort, or only collect).
    var elements: [Entry] {
        if spilled { return overflow.map { Entry(key: $0.key, value: $0.value) } }
        var all: [Entry] = []
        all.reserveCapacity(slots + more.count)
        for j in 0..<slots { all.append(Entry(key: key(at: j), value: value(at: j))) }
        all.append(contentsOf: more)
        return all
    }

    /// Calls `body` with each entry's key and value, in the order of `elements`, without
    /// building the list (a walk over a table's cases ran once per answer of a play).
    func forEach(_ body: (String, Value) -> Void) {
        if spilled {
            for entry in overflow { body(entry.key, entry.value) }
            return
        }
        for j in 0..<slots { body(key(at: j), value(at: j)) }
        for entry in more { body(entry.key, entry.value) }
    }

    /// The keys, in the order of `elements`.
    var allKeys: [String] { elements.map(\.key) }

    /// The values, in the order of `elements`.
    var allValues: [Value] { elements.map(\.value) }

    /// Where `key` is: 0 to 3 a slot, 4 on in `more`. Plain `==`, as the overflow dictionary
    /// compares: canonically equivalent spellings are one key (byte counts compared first told
    /// them apart, and the dictionary built at the ninth key then trapped on the "duplicate").
    @inline(__always)
    private func position(of key: String) -> Int? {
        // Slots fill in order, so the first free one ends the walk (the list is empty until all
        // four are taken). Matched as patterns: `==` on an optional String goes through `Equatable`.
        guard case let k0? = key0 else { return nil }
        if k0 == key { return 0 }
        guard case let k1? = key1 else { return nil }
        if k1 == key { return 1 }
        guard case let k2? = key2 else { return nil }
        if k2 == key { return 2 }
        guard case let k3? = key3 else { return nil }
        if k3 == key { return 3 }
        for j in more.indices where more[j].key == key { return Self.slotCount + j }
        return nil
    }

    private func key(at position: Int) -> String {
        switch position {
        case 0: return key0!
        case 1: return key1!
        case 2: return key2!
        case 3: return key3!
        default: return more[position - Self.slotCount].key
        }
    }

    @inline(__always)
    private func value(at position: Int) -> Value {
        switch position {
        case 0: return value0
        case 1: return value1
        case 2: return value2
        case 3: return value3
        default: return more[position - Self.slotCount].value
        }
    }

    /// Puts an entry at `position` (a slot, or one already in `more`); a nil key frees a slot.
    private mutating func put(_ key: String?, _ value: Value, at position: Int) {
        switch position {
        case 0: (key0, value0) = (key, value)
        case 1: (key1, value1) = (key, value)
        case 2: (key2, value2) = (key, value)
        case 3: (key3, value3) = (key, value)
        default: more[position - Self.slotCount] = Entry(key: key!, value: value)
        }
    }

    /// Changes the value at `position`, keeping its key.
    private mutating func setValue(_ value: Value, at position: Int) {
        switch position {
        case 0: value0 = value
        case 1: value1 = value
        case 2: value2 = value
        case 3: value3 = value
        default: more[position - Self.slotCount].value = value
        }
    }

    /// The value for `key`; setting nil removes the entry.
    subscript(key: String) -> Value? {
        @inline(__always) get {
            if spilled { return overflow[key] }
            return position(of: key).map { value(at: $0) }
        }
        set {
            if spilled {
                overflow[key] = newValue
            } else if let j = position(of: key) {
                if let newValue {
                    // The key first stored stays, as a dictionary keeps it.
                    setValue(newValue, at: j)
                } else {
                    remove(at: j)
                }
            } else if let newValue {
                insert(key, newValue)
            }
        }
    }

    /// Removes the entry at `position`: the last entry takes its place.
    private mutating func remove(at position: Int) {
        let last = slots + more.count - 1
        if position != last { put(key(at: last), value(at: last), at: position) }
        if last >= Self.slotCount {
            more.removeLast()
        } else {
            put(nil, 0, at: last)
            slots -= 1
        }
    }

    /// Adds an entry for a key the table does not hold.
    private mutating func insert(_ key: String, _ value: Value) {
        if slots < Self.slotCount {
            put(key, value, at: slots)
            slots += 1
        } else if slots + more.count < Self.linearLimit {
            // Growing an array from empty reallocated it at every other insert.
            if more.isEmpty { more.reserveCapacity(Self.linearLimit - Self.slotCount) }
            more.append(Entry(key: key, value: value))
        } else {
            var all = Dictionary(uniqueKeysWithValues: elements.lazy.map { ($0.key, $0.value) })
            all[key] = value
            overflow = all
            spilled = true
            (key0, key1, key2, key3) = (nil, nil, nil, nil)
            slots = 0
            more = []
        }
    }
}

/// A set of the strings a timeline names, on `SmallMap` (see there for why not `Set`). On the
/// same `SmallMap` as every table of the checker: each other kind of table had its array's
/// storage class built at run time, once per process, some 22,000 instructions a kind.
struct SmallSet {
    private var members = SmallMap()

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
