import Revive

/// A dictionary for the few keys one play keys its state by (its connections, its workers),
/// found by a walk over the keys rather than by hashing.
///
/// A `[ConnectionID: …]` hashed the id's whole string (SipHash) on every lookup, several per
/// provider call and per phase of every attempt; the keys mostly arrive as the very string the
/// table holds, a compare of one word. Past `walkLimit` keys it also keeps each key's place in a
/// dictionary. Nothing reads the entries in an order.
///
/// The keys and the values lie in one block of memory the table allocates and owns (as the
/// store's `RowTable` does). As two arrays they were two buffers to allocate and free per table,
/// four tables a play; as one array of key-value entries, that entry type and its array's storage
/// class each had their metadata built at run time at the first play of a process, for every
/// kind of table. Allocated here, in code compiled for the table's types, the block needs no
/// metadata. Not copyable, so the memory has one owner (a table is never copied).
///
/// The pointer work is sound because the table is the block's only owner, entries `0..<count`
/// are always the initialized ones (`append` initializes at `count` before counting it, `remove`
/// moves the last entry into the hole before the count covers it no more), every read or edit
/// is at a place below `count`, so the block exists (found by the walk or the places, or handed out by
/// `index(forKey:)`), and `deinit` destroys exactly those entries before freeing the block.
struct SmallTable<Key: Hashable, Value>: ~Copyable {
    /// Entry `i`'s key and value at place `i` of each list, `count` of them initialized, room for
    /// `capacity` (nil until the first entry); both lists lie in the one block `keyList` starts.
    private var keyList: UnsafeMutablePointer<Key>?
    private var valueList: UnsafeMutablePointer<Value>?
    private var count = 0
    private var capacity = 0
    /// Each key's place, kept only once the table outgrows the walk (never dropped: keys are seldom removed).
    private var places: [Key: Int]?

    /// The most keys walked.
    private static var walkLimit: Int { 16 }

    /// An empty table (it allocates at its first entry).
    init() {}

    /// Destroys the entries one by one, each by code compiled for its types (see above).
    deinit { KeyValueBlock.free(keys: keyList, values: valueList, count: count) }

    /// Whether the table holds nothing.
    var isEmpty: Bool { count == 0 }

    /// The place of `key`'s entry, if it has one.
    func index(forKey key: Key) -> Int? {
        if let places { return places[key] }
        guard let keyList else { return nil }
        for i in 0..<count where keyList[i] == key { return i }
        return nil
    }

    /// Edits the entry at `index` (from `index(forKey:)`) in place.
    @inline(__always)
    mutating func modify<R>(at index: Int, _ body: (inout Value) -> R) -> R { body(&valueList.unsafelyUnwrapped[index]) }

    /// Edits `key`'s entry in place, if there is one (`table[key]?.x = y` would copy it out and back).
    @inline(__always)
    mutating func update(_ key: Key, _ edit: (inout Value) -> Void) {
        guard let i = index(forKey: key) else { return }
        edit(&valueList.unsafelyUnwrapped[i])
    }

    /// Makes room for `count` entries.
    mutating func reserveCapacity(_ count: Int) {
        if count > capacity { grow(to: count) }
    }

    /// Adds `value` for `key` (replacing the entry if the key has one), moving it in: set through
    /// the optional subscript, a large value (a connection's provider state) was copied into an
    /// optional and out again.
    mutating func add(_ key: Key, _ value: consuming Value) {
        if let i = index(forKey: key) {
            valueList.unsafelyUnwrapped[i] = value
            return
        }
        append(key, value)
    }

    /// The entry for `key`; setting nil removes it.
    subscript(key: Key) -> Value? {
        get {
            guard let i = index(forKey: key) else { return nil }
            return valueList.unsafelyUnwrapped[i]
        }
        set {
            if let i = index(forKey: key) {
                if let newValue { valueList.unsafelyUnwrapped[i] = newValue } else { remove(at: i) }
            } else if let newValue {
                append(key, newValue)
            }
        }
    }

    /// Appends an entry for a key the table does not hold.
    private mutating func append(_ key: Key, _ value: consuming Value) {
        if count == capacity { grow(to: max(2, capacity * 2)) }
        (keyList.unsafelyUnwrapped + count).initialize(to: key)
        (valueList.unsafelyUnwrapped + count).initialize(to: value)
        count += 1
        if places != nil {
            places![key] = count - 1
        } else if count > Self.walkLimit {
            var built = [Key: Int](minimumCapacity: count)
            for i in 0..<count { built[keyList.unsafelyUnwrapped[i]] = i }
            places = built
        }
    }

    /// Removes the entry at `i`, the last entry taking its place.
    private mutating func remove(at i: Int) {
        let keys = keyList.unsafelyUnwrapped, values = valueList.unsafelyUnwrapped
        count -= 1
        let key = (keys + i).move()
        (values + i).deinitialize(count: 1)
        if i != count {
            (keys + i).moveInitialize(from: keys + count, count: 1)
            (values + i).moveInitialize(from: values + count, count: 1)
            places?[keys[i]] = i
        }
        places?[key] = nil
    }

    /// Room for `larger` entries: the keys and then the values in one block, the entries moved over.
    private mutating func grow(to larger: Int) {
        let (keys, values) = KeyValueBlock.grow(keys: keyList, values: valueList, count: count, to: larger)
        (keyList, valueList, capacity) = (keys, values, larger)
    }
}
