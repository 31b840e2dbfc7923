/// The runtime's books of what is live by number (attempts, calls in flight): a few entries at a
/// time, found by a walk from the newest rather than by hashing.
///
/// These were `[Int: Value]` dictionaries: every phase of every attempt hashed its number (some
/// fifty lookups a play, each a SipHash), and each play allocated and grew both tables. Numbers
/// only grow and the newest entry is nearly always the one asked for, so the walk from the end
/// is mostly one comparison. Nothing reads the entries in an order.
struct IDTable<Value> {
    private var ids: [Int] = []
    /// The entries, optional so that an in-place edit can move one out and back (see `subscript`).
    private var slots: [Value?] = []

    /// An empty table.
    init() {}

    /// Whether the table holds nothing.
    var isEmpty: Bool { ids.isEmpty }

    /// Every entry, in no order the callers may rely on.
    var values: [Value] { slots.compactMap { $0 } }

    @inline(__always)
    private func position(of id: Int) -> Int? {
        var at = ids.count
        while at > 0 {
            at -= 1
            if ids[at] == id { return at }
        }
        return nil
    }

    /// The entry numbered `id`; setting nil removes it. An edit through it (`table[id]?.x = y`)
    /// moves the entry out and back, copying nothing.
    subscript(id: Int) -> Value? {
        get { position(of: id).flatMap { slots[$0] } }
        set {
            if let at = position(of: id) {
                if newValue == nil { remove(at: at) } else { slots[at] = newValue }
            } else if newValue != nil {
                ids.append(id)
                slots.append(newValue)
            }
        }
        _modify {
            if let at = position(of: id) {
                var value = slots[at].take()
                defer { if value == nil { remove(at: at) } else { slots[at] = value.take() } }
                yield &value
            } else {
                var value: Value?
                defer {
                    if value != nil {
                        ids.append(id)
                        slots.append(value.take())
                    }
                }
                yield &value
            }
        }
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
