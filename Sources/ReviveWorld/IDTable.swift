/// The runtime's books of what is live by number (attempts, calls in flight): a few entries at a
/// time, found by a walk from the newest rather than by hashing.
///
/// These were `[Int: Value]` dictionaries: every phase of every attempt hashed its number (some
/// fifty lookups a play, each a SipHash), and each play allocated and grew both tables. Numbers
/// only grow and the newest entry is nearly always the one asked for, so the walk from the end
/// is mostly one comparison. Nothing reads the entries in an order.
struct IDTable<Value> {
    private var ids: [Int] = []
    /// The entries. Not optional: an optional of a struct this size was copied and destroyed
    /// through the runtime's generic value witnesses (its metadata looked up each time), and an
    /// edit through an optional slot did both on every phase of every attempt (seen in the profile).
    private var slots: [Value] = []

    /// An empty table.
    init() {}

    /// Whether the table holds nothing.
    var isEmpty: Bool { ids.isEmpty }

    /// Every entry, in no order the callers may rely on.
    var values: [Value] { slots }

    @inline(__always)
    private func position(of id: Int) -> Int? {
        var at = ids.count
        while at > 0 {
            at -= 1
            if ids[at] == id { return at }
        }
        return nil
    }

    /// The entry numbered `id`; setting nil removes it. Edit an entry in place with `update`.
    subscript(id: Int) -> Value? {
        get {
            guard let at = position(of: id) else { return nil }
            return slots[at]
        }
        set {
            if let at = position(of: id) {
                if let newValue { slots[at] = newValue } else { remove(at: at) }
            } else if let newValue {
                ids.append(id)
                slots.append(newValue)
            }
        }
    }

    /// Edits the entry numbered `id` in place, if there is one (`table[id]?.x = y` went through an optional).
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
        ids.remove(at: at)
        return slots.remove(at: at)
    }

    private mutating func remove(at: Int) {
        ids.remove(at: at)
        slots.remove(at: at)
    }

    /// Empties the table.
    mutating func removeAll() {
        ids.removeAll()
        slots.removeAll()
    }

    /// This table's entries, with `other`'s whose numbers this one does not hold.
    func merging(_ other: IDTable<Value>) -> IDTable<Value> {
        var merged = self
        for (at, id) in other.ids.enumerated() where position(of: id) == nil {
            merged.ids.append(id)
            merged.slots.append(other.slots[at])
        }
        return merged
    }
}
