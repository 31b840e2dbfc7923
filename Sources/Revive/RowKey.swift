import ReviveVocabulary

/// A key of the in-memory store's tables (`RowTable`), compared by its strings in place.
///
/// The ids' own `==` is the vocabulary's, a call the compiler cannot see into: it might write
/// anything, so every read of a table through the store's pointer copied the table (three
/// retains and releases) to keep it alive across the walk. Compared here as the strings they
/// wrap, which is what their synthesized `==` does, the walk is known to write nothing.
protocol RowKey: Hashable {
    /// Whether `other` is the same key (`==`).
    func sameRow(as other: Self) -> Bool
}

/// An id that is one string, compared as that string (what its synthesized `==` does).
protocol StringRowKey: RowKey {
    /// The id's text.
    var rawValue: String { get }
}

extension StringRowKey {
    @inline(__always) func sameRow(as other: Self) -> Bool { rawValue == other.rawValue }
}

extension ConnectionID: StringRowKey {}
extension LeaseID: StringRowKey {}
extension WorkerID: StringRowKey {}
extension CaseID: StringRowKey {}
extension CapabilityID: StringRowKey {}
extension IdempotencyKey: StringRowKey {}

extension String: RowKey {
    @inline(__always) func sameRow(as other: String) -> Bool { self == other }
}

/// A capability's digest as the key of the in-memory store's digest table, with its first
/// eight bytes as a word that a walk compares before the text.
///
/// Digests are 64 hex digits: two of them compared as strings went through the runtime's general
/// comparison (a call, a check of both strings' forms, a compare of their bytes) for every row the
/// walk passed, on every capability the engine issued, checked or updated. Two ASCII strings are
/// equal exactly when their bytes are, so between two ASCII keys different first words settle it;
/// a key with any other byte is compared as text alone, as `String`'s `==` compares it.
struct DigestKey: RowKey {
    /// The digest.
    let text: String
    /// The first eight bytes (fewer for a shorter text), high byte first; read only when `ascii`.
    private let head: UInt64
    /// Whether every byte of `text` is ASCII.
    private let ascii: Bool

    /// The key of `text`.
    init(_ text: String) {
        self.text = text
        var bytes = text
        (head, ascii) = bytes.withUTF8 { bytes -> (UInt64, Bool) in
            guard let base = bytes.baseAddress else { return (0, true) }
            var head: UInt64 = 0
            for i in 0..<min(8, bytes.count) { head = head << 8 | UInt64(base[i]) }
            // The bytes' high bits gathered eight at a time: a key is made on every lookup and write.
            var high: UInt64 = 0
            var i = 0
            while i + 8 <= bytes.count {
                high |= UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                i += 8
            }
            while i < bytes.count {
                high |= UInt64(base[i])
                i += 1
            }
            return (head, high & 0x8080_8080_8080_8080 == 0)
        }
    }

    static func == (a: DigestKey, b: DigestKey) -> Bool { a.text == b.text }

    func hash(into hasher: inout Hasher) { hasher.combine(text) }

    @inline(__always) func sameRow(as other: DigestKey) -> Bool {
        if ascii && other.ascii && head != other.head { return false }
        return text == other.text
    }
}
