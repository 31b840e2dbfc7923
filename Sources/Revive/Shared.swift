/// Immutable fields shared by reference, so that a value type holding them copies one reference
/// where it held every field.
///
/// The engine, its store and the world copy cases, leases, ledger entries, capabilities,
/// connections, tickets and reconnect requests on every read and write; inline, each copy
/// retained and released every string they hold (the catalogue's profile showed those copies
/// high). The fields never change once boxed, so no copy-on-write is needed. Equal and hashed by
/// value, so a type that holds one keeps its synthesized `Hashable`: the same box is equal
/// without looking.
@usableFromInline final class Shared<Value: Sendable>: Sendable {
    /// The fields.
    @usableFromInline let value: Value

    /// Boxes `value`.
    @usableFromInline init(_ value: Value) { self.value = value }
}

// Hashable as an extension, not as a requirement on `Value`: a requirement made the Swift
// runtime look the conformance up (a scan of every conformance record) the first time each boxed
// type was made, about 2.4 M instructions of a cold `run`.
extension Shared: Equatable where Value: Equatable {
    /// Equal when the boxed values are.
    @usableFromInline static func == (lhs: Shared, rhs: Shared) -> Bool { lhs === rhs || lhs.value == rhs.value }
}

extension Shared: Hashable where Value: Hashable {
    /// Hashes the boxed value.
    @usableFromInline func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
