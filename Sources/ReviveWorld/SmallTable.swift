/// A dictionary for the few keys one play keys its state by (its connections, its workers),
/// found by a walk over the keys rather than by hashing.
///
/// A `[ConnectionID: …]` hashed the id's whole string (SipHash) on every lookup, several per
/// provider call and per phase of every attempt; the keys mostly arrive as the very string the
/// table holds, a compare of one word. Past `walkLimit` keys it also keeps each key's place in a
/// dictionary. Nothing reads the entries in an order.
struct SmallTable<Key: Hashable, Value> {
    private var keys: [Key] = []
    private var slots: [Value] = []
    /// Each key's place, kept only once the table outgrows the walk (never dropped: keys are seldom removed).
    private var places: [Key: Int]?

    /// The most keys walked.
    private static var walkLimit: Int { 16 }

    /// An empty table.
    init() {}

    /// Whether the table holds nothing.
    var isEmpty: Bool { keys.isEmpty }

    /// The place of `key`'s entry, if it has one.
    func index(forKey key: Key) -> Int? {
        if let places { return places[key] }
        return keys.withUnsafeBufferPointer { keys in
            for i in keys.indices where keys[i] == key { return i }
            return nil
        }
    }

    /// Edits the entry at `index` (from `index(forKey:)`) in place.
    @inline(__always)
    mutating func modify<R>(at index: Int, _ body: (inout Value) -> R) -> R { body(&slots[index]) }

    /// Edits `key`'s entry in place, if there is one (`table[key]?.x = y` would copy it out and back).
    @inline(__always)
    mutating func update(_ key: Key, _ edit: (inout Value) -> Void) {
        guard let i = index(forKey: key) else { return }
        edit(&slots[i])
    }

    /// Makes room for `count` entries.
    mutating func reserveCapacity(_ count: Int) {
        keys.reserveCapacity(count)
        slots.reserveCapacity(count)
    }

    /// Adds `value` for `key` (replacing the entry if the key has one), moving it in: set through
    /// the optional subscript, a large value (a connection's provider state) was copied into an
    /// optional and out again.
    mutating func add(_ key: Key, _ value: consuming Value) {
        if let i = index(forKey: key) {
            slots[i] = value
            return
        }
        keys.append(key)
        slots.append(value)
        if places != nil {
            places![key] = keys.count - 1
        } else if keys.count > Self.walkLimit {
            places = Dictionary(uniqueKeysWithValues: zip(keys, keys.indices))
        }
    }

    /// The entry for `key`; setting nil removes it.
    subscript(key: Key) -> Value? {
        get {
            guard let i = index(forKey: key) else { return nil }
            return slots[i]
        }
        set {
            if let i = index(forKey: key) {
                if let newValue { slots[i] = newValue } else { remove(at: i) }
            } else if let newValue {
                keys.append(key)
                slots.append(newValue)
                if places != nil {
                    places![key] = keys.count - 1
                } else if keys.count > Self.walkLimit {
                    places = Dictionary(uniqueKeysWithValues: zip(keys, keys.indices))
                }
            }
        }
    }

    /// Removes the entry at `i`, the last entry taking its place.
    private mutating func remove(at i: Int) {
        let key = keys[i]
        let last = keys.count - 1
        if i != last {
            keys.swapAt(i, last)
            slots.swapAt(i, last)
            places?[keys[i]] = i
        }
        keys.removeLast()
        slots.removeLast()
        places?[key] = nil
    }
}
