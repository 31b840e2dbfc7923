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

extension ConnectionID: RowKey {
    @inline(__always) func sameRow(as other: ConnectionID) -> Bool { rawValue == other.rawValue }
}

extension LeaseID: RowKey {
    @inline(__always) func sameRow(as other: LeaseID) -> Bool { rawValue == other.rawValue }
}

extension WorkerID: RowKey {
    @inline(__always) func sameRow(as other: WorkerID) -> Bool { rawValue == other.rawValue }
}

extension CaseID: RowKey {
    @inline(__always) func sameRow(as other: CaseID) -> Bool { rawValue == other.rawValue }
}

extension CapabilityID: RowKey {
    @inline(__always) func sameRow(as other: CapabilityID) -> Bool { rawValue == other.rawValue }
}

extension IdempotencyKey: RowKey {
    @inline(__always) func sameRow(as other: IdempotencyKey) -> Bool { rawValue == other.rawValue }
}

extension String: RowKey {
    @inline(__always) func sameRow(as other: String) -> Bool { self == other }
}
