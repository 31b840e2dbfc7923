/// The names a scenario defines (connection ids, step ids, workers), each kept once, as a
/// `Set<String>` would keep them.
///
/// A scenario names a few of each: comparing a name with the few read so far costs less than
/// hashing it (SipHash, and a set's storage for each list, were a tenth of building a scenario
/// in callgrind). The first four names are kept inline: most sets hold one to three, and a list
/// for them was an allocation (and its release) of every set, some 50,000 instructions of a cold
/// `run`. Past `linearLimit` names a `Set` takes over, so a long workflow stays linear. Names are
/// compared with `==`, as a `Set` compares them.
struct NameSet {
    /// The first names inserted, `inlineCount` of them.
    private var inline: (String, String, String, String) = ("", "", "", "")
    private var inlineCount = 0
    /// The names past the first four, in the order inserted.
    private var rest: [String] = []
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
    var count: Int { inlineCount + rest.count }

    /// Whether `name` is in the set.
    func contains(_ name: String) -> Bool {
        if let hashed { return hashed.contains(name) }
        if inlineCount > 0 && inline.0 == name { return true }
        if inlineCount > 1 && inline.1 == name { return true }
        if inlineCount > 2 && inline.2 == name { return true }
        if inlineCount > 3 && inline.3 == name { return true }
        return rest.contains(name)
    }

    /// Adds `name`; false (and nothing added) if it was already there.
    @discardableResult
    mutating func insert(_ name: String) -> Bool {
        if hashed != nil {
            guard hashed!.insert(name).inserted else { return false }
        } else {
            guard !contains(name) else { return false }
            if count == NameSet.linearLimit { hashed = Set(all + [name]) }
        }
        switch inlineCount {
        case 0: inline.0 = name
        case 1: inline.1 = name
        case 2: inline.2 = name
        case 3: inline.3 = name
        default:
            rest.append(name)
            return true
        }
        inlineCount += 1
        return true
    }

    /// The names in the order first inserted.
    private var all: [String] { [inline.0, inline.1, inline.2, inline.3].prefix(inlineCount) + rest }

    /// The names in increasing order, as `Set.sorted()` gives them.
    func sorted() -> [String] { all.sorted() }
}
