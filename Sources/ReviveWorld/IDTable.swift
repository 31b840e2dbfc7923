/// The runtime's books of what is live by number (attempts, calls in flight): a few entries at a
/// time, found by a walk from the newest rather than by hashing.
///
/// These were `[Int: Value]` dictionaries: every phase of every attempt hashed its number (some
/// fifty lookups a play, each a SipHash), and each play allocated and grew both tables. Numbers
/// only grow and the newest entry is nearly always the one asked for, so the walk from the end
/// is mostly one comparison. Nothing reads the entries in an order.
///
/// An entry carries its own number (`Numbered`), so the table is one list. Kept as a list of
/// numbers beside a list of entries, each table was two buffers to allocate and free in every
/// play; as a list of number-entry pairs, the pair's type and its list's storage class had their
/// metadata built at run time at the first play of a process.
struct IDTable<Value: Numbered> {
    /// The entries. Not optional: an optional of a struct this size was copied and destroyed
    /// through the runtime's generic value witnesses (its metadata looked up each time), and an
    /// edit through an optional slot did both on every phase of every attempt (seen in the profile).
    private var slots: [Value] = []

    /// An empty table.
    init() {}

    /// Whether the table holds nothing.
    var isEmpty: Bool { slots.isEmpty }

    /// Every entry, in no order the callers may rely on.
    var values: [Value] { slots }

    @inline(__always)
    private func position(of id: Int) -> Int? {
        var at = slots.count
        while at > 0 {
            at -= 1
            if slots[at].id == id { return at }
        }
        return nil
    }

    /// The entry numbered `id`; setting nil removes it, setting an entry stores it under its own
    /// number (which must be `id`). Edit an entry in place with `update`.
    subscript(id: Int) -> Value? {
        get {
            guard let at = position(of: id) else { return nil }
            return slots[at]
        }
        set {
            assert(newValue.map { $0.id == id } ?? true, "an entry is stored under its own number")
            if let at = position(of: id) {
                if let newValue { slots[at] = newValue } else { slots.remove(at: at) }
            } else if let newValue {
                slots.append(newValue)
            }
        }
    }

    /// Edits the entry numbered `id` in place, if there is one (`table[id]?.x = y` went through an
    /// optional). The edit keeps the entry's number (`Numbered.id` is never written).
    @inline(__always)
    mutating func update(_ id: Int, _ edit: (inout Value) -> Void) {
        guard let at = position(of: id) else { return }
        edit(&slots[at])
    }

    /// Removes the entry numbered `id` if `wanted` says so, and hands it over: moved out, where
    /// reading it (a copy) and then setting nil (a destroy) cost a copy and a destroy of a call in
    /// flight, every string in it retained and released, at every call's landing.
    mutating func take(_ id: Int, if wanted: (Value) -> Bool) -> Value? {
        guard let at = position(of: id), wanted(slots[at]) else { return nil }
        return slots.remove(at: at)
    }

    /// Empties the table.
    mutating func removeAll() { slots.removeAll() }

    /// This table's entries, with `other`'s whose numbers this one does not hold.
    func merging(_ other: IDTable<Value>) -> IDTable<Value> {
        var merged = self
        for entry in other.slots where position(of: entry.id) == nil { merged.slots.append(entry) }
        return merged
    }
}

/// What an `IDTable` holds: something that carries its own number, never changed once made.
protocol Numbered {
    /// The entry's number in its table.
    var id: Int { get }
}

extension Attempt: Numbered {}
extension InFlightCall: Numbered {}
