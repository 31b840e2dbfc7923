import Revive

/// The keys one kind of scenario object may have, in the order a `ScenarioKeys` list gives them,
/// ready for `JSONReader.fields` to place each member's key among them.
///
/// Asking a `JSONObject` for a key compares the name with the members' keys one by one, and `==`
/// on two unequal strings is a call out of line: the section readers' questions made some thirty
/// thousand such calls in a cold run of the shipped scenarios, a fifth of building them
/// (callgrind). Now each member's key is placed once, when its object is read, and the readers
/// ask by place (`Fields`).
final class KeyList: Sendable {
    /// The keys, in the order of their `ScenarioKeys` list.
    let names: [String]
    /// The places of the keys an object must have, in the order they are reported when missing.
    let requiredPlaces: [Int]
    /// The names by their edges (`KeyList.edges`), open addressing from `home(edges)`: each
    /// slot 0 (empty) or a name's edges shifted left 8, or'ed with its place + 1.
    private let table: [Int]
    /// The names of 15 bytes at most by their words (`ShortASCII`), open addressing from
    /// `shortHome`: what a key kept as a small string is looked up in, by two words compared.
    /// Three words a slot: the name's two words and its place (all zero in an empty slot). Plain
    /// words, not a struct: a list of a type of its own is built from its mangled name at first use.
    private let shortTable: [UInt64]
    /// Whether keys may be looked up by their words (`ShortASCII.layoutHolds`).
    private let shortKeys: Bool

    /// The list of `names` (ASCII, 16 at most, pairwise unequal), of which `required` must be given.
    init(_ names: [String], required: [String] = []) {
        precondition(names.count <= 16, "a key list holds 16 keys at most: one byte of `Fields.slots` each")
        self.names = names
        requiredPlaces = required.map { names.firstIndex(of: $0)! }
        var table = [Int](repeating: 0, count: KeyList.tableSize)
        for (place, name) in names.enumerated() {
            let edges = KeyList.edges(name)
            var slot = KeyList.home(edges)
            while table[slot] != 0 { slot = (slot + 1) % KeyList.tableSize }
            table[slot] = Int(edges) << 8 | (place + 1)
        }
        self.table = table
        var shortTable = [UInt64](repeating: 0, count: 3 * KeyList.shortSize)
        for (place, name) in names.enumerated() {
            guard let words = ShortASCII.spelling(of: name) else {
                // Asked only of the longer names: a short ASCII name's words say it is ASCII.
                precondition(name.utf8.allSatisfy { $0 < 0x80 }, "scenario keys are ASCII words")
                continue
            }
            var slot = KeyList.shortHome(words)
            while shortTable[3 * slot + 1] != 0 { slot = (slot + 1) % KeyList.shortSize }
            shortTable[3 * slot] = words.0
            shortTable[3 * slot + 1] = words.1
            shortTable[3 * slot + 2] = UInt64(place)
        }
        self.shortTable = shortTable
        shortKeys = ShortASCII.layoutHolds
    }

    /// Slots in `shortTable`: twice the most names (a power of two: a probe wraps by a mask).
    private static let shortSize = 32

    /// Where a name with these words starts its probe in `shortTable`.
    @inline(__always)
    private static func shortHome(_ words: (UInt64, UInt64)) -> Int {
        Int(truncatingIfNeeded: ((words.0 ^ words.1 &* 31) &* 0x9E37_79B9_7F4A_7C15) >> 59)
    }

    /// Slots in `table`: four times the most names, so that a probe mostly meets its name or an empty slot.
    private static let tableSize = 64

    /// Where names with these edges start their probe in `table`.
    private static func home(_ edges: UInt16) -> Int { Int(truncatingIfNeeded: (UInt32(edges) &* 0x9E37_79B1) >> 26) }

    /// The place of the name equal to `key` (`==`: canonically equivalent spellings are one key,
    /// as a dictionary compares them), or nil: by its words in `shortTable` when it is kept as a
    /// small ASCII string, else by its edges in `table` (only names whose edges equal `key`'s are
    /// compared, unless `key`'s edges are not ASCII).
    @inline(__always)
    func place(of key: String) -> Int? {
        // A key kept as a small ASCII string (nearly every key) is equal to a name exactly when
        // their words are: an ASCII key equals only the name of its bytes, and no name of more
        // than 15 bytes can be that. Inlined where members are placed: a call was a third of it.
        if shortKeys, let words = ShortASCII.words(of: key) {
            // Read through a pointer: every slot index below is under `3 * shortSize`, the table's
            // size, so the checks of each subscript (a third of placing a member) can go.
            return shortTable.withUnsafeBufferPointer { table in
                var slot = KeyList.shortHome(words)
                // A name's second word is never zero (it holds the form and count): zero ends the probe.
                while true {
                    let high = table[3 &* slot &+ 1]
                    if high == words.1 && table[3 &* slot] == words.0 { return Int(truncatingIfNeeded: table[3 &* slot &+ 2]) }
                    if high == 0 { return nil }
                    slot = (slot &+ 1) & (KeyList.shortSize &- 1)
                }
            }
        }
        return placeByEdges(of: key)
    }

    /// `place(of:)` for a key not kept as a small ASCII string (long, or not ASCII).
    private func placeByEdges(of key: String) -> Int? {
        let keyEdges = KeyList.edges(key)
        guard keyEdges & 0x8080 == 0 else { return names.firstIndex(of: key) }
        var slot = KeyList.home(keyEdges)
        while true {
            let entry = table[slot]
            if entry == 0 { return nil }
            if entry >> 8 == Int(keyEdges), names[(entry & 0xFF) - 1] == key { return (entry & 0xFF) - 1 }
            slot = (slot + 1) % KeyList.tableSize
        }
    }

    /// The first byte of `key`'s UTF-8 in the high byte and its last in the low one; zero for an
    /// empty key, 0x8080 (not ASCII: ruling nothing out) if the bytes are not at hand.
    ///
    /// Keys whose edges are ASCII and differ are different keys however either is spelt: an ASCII
    /// byte is a whole character that normalization neither changes nor joins to a neighbour (no
    /// canonical decomposition holds one after its first character, and every one is a starter),
    /// so a key's first and last characters are its canonical form's first and last.
    @inline(__always)
    static func edges(_ key: String) -> UInt16 {
        key.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.isEmpty ? 0 : UInt16(bytes[0]) << 8 | UInt16(bytes[bytes.count - 1])
        } ?? 0x8080
    }
}

/// The keys of one kind of scenario object as places: one case per key, in the order of its
/// `ScenarioKeys` list (`list.names`), so that `Fields` answers by place.
protocol ObjectKey: RawRepresentable where RawValue == Int {
    /// The object's keys, with those it must have.
    static var list: KeyList { get }
}

/// A checked object's members, found by their key's place in the object's `KeyList`: what a
/// `JSONObject` answers by name, answered without comparing names.
struct Fields<Key: ObjectKey> {
    /// The object's allowed members, in document order.
    let members: [(key: String, value: JSONValue)]
    /// Byte `place` (the first word's bytes, then the second's): 1 + the index of the last member
    /// at that place (the last, as a dictionary kept it), or 0 when there is none.
    private var slots: (UInt64, UInt64) = (0, 0)
    /// Set when a member's index did not fit its byte (a built value with hundreds of repeated
    /// keys): then a place is looked up by name.
    private var overflowed = false
    /// Bit `place` set for each key the object has: what `checkStepTimeouts` asks of a step,
    /// without placing its keys a second time. Two bytes (16 keys at most): with a whole word,
    /// `Fields` outgrew four words, and its optional was then handled through its metadata,
    /// built at run time by scanning the conformance records (860,000 instructions of a cold `run`).
    private(set) var places: UInt16 = 0

    /// The members placed by `Key.list`, or nil if one's key is not among its names.
    init?(_ members: [(key: String, value: JSONValue)]) {
        self.members = members
        let list = Key.list
        // Kept in locals and stored once: updated in `self`, each member's were stored and loaded again.
        var low: UInt64 = 0
        var high: UInt64 = 0
        var given: UInt16 = 0
        for index in members.indices {
            guard let place = list.place(of: members[index].key) else { return nil }
            // A place is below 16 (`KeyList.init`): the shifts need no checks.
            given |= 1 &<< UInt16(truncatingIfNeeded: place)
            guard index < 255 else {
                overflowed = true
                continue
            }
            let shift = UInt64(truncatingIfNeeded: place & 7) &<< 3
            let slot = UInt64(truncatingIfNeeded: index &+ 1) &<< shift
            let kept = ~(0xFF &<< shift)
            if place < 8 { low = low & kept | slot } else { high = high & kept | slot }
        }
        slots = (low, high)
        places = given
    }

    /// The value of the key at `place`, or nil.
    @inline(__always)
    func value(at place: Int) -> JSONValue? {
        if overflowed { return valueByName(at: place) }
        let slot = Int(truncatingIfNeeded: (place < 8 ? slots.0 : slots.1) >> UInt64(8 * (place % 8)) & 0xFF)
        return slot == 0 ? nil : members[slot - 1].value
    }

    /// `value(at:)` for an object whose slots overflowed: the last member so named.
    private func valueByName(at place: Int) -> JSONValue? {
        let name = Key.list.names[place]
        return members.last(where: { $0.key == name })?.value
    }

    /// The value of `key`, or nil.
    @inline(__always)
    subscript(key: Key) -> JSONValue? { value(at: key.rawValue) }

    /// Whether the object has a member at `place`: `value(at:) != nil` without copying the value
    /// out (and releasing it) to ask.
    @inline(__always)
    func has(at place: Int) -> Bool {
        if overflowed { return valueByName(at: place) != nil }
        return (place < 8 ? slots.0 : slots.1) >> UInt64(8 * (place % 8)) & 0xFF != 0
    }

    /// The text of the member at `key` if it is a string, read in place; nil when there is none
    /// or it is not a string.
    @inline(__always)
    func text(_ key: Key) -> String? {
        if overflowed { return valueByName(at: key.rawValue)?.stringValue }
        let place = key.rawValue
        let slot = Int(truncatingIfNeeded: (place < 8 ? slots.0 : slots.1) >> UInt64(8 * (place % 8)) & 0xFF)
        guard slot != 0, case .string(let text) = members[slot - 1].value else { return nil }
        return text
    }

    /// Whether the object has a member named `key`.
    @inline(__always)
    func has(_ key: Key) -> Bool { has(at: key.rawValue) }

    /// The value of the key spelt `name` (one of `Key.list.names`), or nil.
    func value(named name: String) -> JSONValue? { Key.list.place(of: name).flatMap(value(at:)) }

    /// The spelling of `key`, for paths in messages.
    static func name(of key: Key) -> String { Key.list.names[key.rawValue] }
}
