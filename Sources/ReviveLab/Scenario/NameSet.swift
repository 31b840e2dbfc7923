/// The names a scenario defines (connection ids, step ids, workers), each kept once, as a
/// `Set<String>` would keep them.
///
/// A scenario names a few of each: comparing a name with the few read so far costs less than
/// hashing it (SipHash, and a set's storage for each list, were a tenth of building a scenario
/// in callgrind). Past `linearLimit` names a `Set` takes over, so a long workflow stays linear.
/// Names are compared with `==`, as a `Set` compares them.
struct NameSet {
    /// The names, in the order first inserted.
    private var names: [String] = []
    /// Every name, once there are more than `linearLimit`.
    private var hashed: Set<String>?
    /// How many names are compared one by one before they are hashed.
    static let linearLimit = 16

    /// An empty set.
    init() {}

    /// The set of `names`, each kept once.
    init(_ names: some Sequence<String>) {
        for name in names { insert(name) }
    }

    /// How many names the set holds.
    var count: Int { names.count }

    /// Whether `name` is in the set.
    func contains(_ name: String) -> Bool {
        if let hashed { return hashed.contains(name) }
        return names.contains(name)
    }

    /// Adds `name`; false (and nothing added) if it was already there.
    @discardableResult
    mutating func insert(_ name: String) -> Bool {
        if hashed != nil {
            guard hashed!.insert(name).inserted else { return false }
        } else {
            guard !names.contains(name) else { return false }
            if names.count == NameSet.linearLimit { hashed = Set(names + [name]) }
        }
        // Room for a few names at once: grown from one slot, name by name, the list cost more
        // than comparing the names.
        if names.isEmpty { names.reserveCapacity(4) }
        names.append(name)
        return true
    }

    /// The names in increasing order, as `Set.sorted()` gives them.
    func sorted() -> [String] { names.sorted() }
}
