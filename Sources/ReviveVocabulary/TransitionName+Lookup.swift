// Finding a transition name by its spelling, in a file of its own to keep TransitionName.swift
// within the size limit.

extension TransitionName {
    /// The name spelt `rawValue`; a spelling this version does not know becomes `.unrecognized`.
    public init(rawValue: String) {
        // The bytes lent where they lie (nil only for a bridged string, which the search by `==` finds).
        let place = rawValue.utf8.withContiguousStorageIfAvailable { TransitionName.place(of: $0) } ?? -1
        if place >= 0 {
            self = TransitionName.known[place]
            return
        }
        // A spelling of other bytes may still be canonically equal to a name (as `==` compares).
        self = TransitionName.known.first { $0.rawValue == rawValue } ?? .unrecognized(rawValue)
    }

    /// The known names by spelling: 256 slots, each 0 (empty) or a place in `known` plus one, a
    /// name at its spelling's `slot` or the next free slot after it (open addressing).
    ///
    /// Slots of a cheap sum of the spelling's length and end bytes, not a dictionary of strings:
    /// the dictionary hashed every name (SipHash over each byte) to build it at the first
    /// scenario of every process, some thirty-five thousand instructions, and hashed every name
    /// looked up again. A slot's name is compared byte by byte with the spelling looked up, both
    /// lent in place: through the String's generic `first`, `last` and `==` a lookup cost some
    /// 380 instructions (155,000 of a cold `run` of the shipped scenarios, which name some 400
    /// transitions). A spelling of other bytes is looked for among all the names with `==`.
    private static let slots: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for index in known.indices {
            var spelling = known[index].rawValue
            var slot = spelling.withUTF8 { TransitionName.slot(of: $0) }
            while table[slot] != 0 { slot = (slot + 1) & 255 }
            table[slot] = UInt8(index + 1)
        }
        return table
    }()

    /// A spelling's first slot: its byte count and first and last bytes, mixed.
    private static func slot(of bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let first = bytes.first, let last = bytes.last else { return 0 }
        return (bytes.count &* 37 &+ Int(first) &* 11 &+ Int(last)) & 255
    }

    /// The place in `known` of the name spelt exactly `bytes`, or -1 when none is.
    private static func place(of bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var slot = slot(of: bytes)
        while slots[slot] != 0 {
            let place = Int(slots[slot]) - 1
            if known[place].rawValue.utf8.withContiguousStorageIfAvailable({ sameBytes($0, bytes) }) == true { return place }
            slot = (slot + 1) & 255
        }
        return -1
    }

    /// Whether `a` and `b` hold the same bytes: eight at a time (the last eight may overlap the
    /// ones before), byte by byte below eight.
    private static func sameBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = a.count
        guard count == b.count else { return false }
        guard count >= 8, let x = a.baseAddress.map(UnsafeRawPointer.init), let y = b.baseAddress.map(UnsafeRawPointer.init) else {
            for offset in 0..<count where a[offset] != b[offset] { return false }
            return true
        }
        var offset = 0
        while offset + 8 < count {
            if x.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != y.loadUnaligned(fromByteOffset: offset, as: UInt64.self) { return false }
            offset += 8
        }
        return x.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) == y.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    }
}
