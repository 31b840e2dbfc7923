/// Immutable fields shared by reference, so that a value type holding them copies one reference
/// where it held every field.
///
/// The engine, its store and the world copy cases, leases, ledger entries, capabilities,
/// connections, tickets and reconnect requests on every read and write; inline, each copy
/// retained and released every string they hold (the catalogue's profile showed those copies
/// high). The fields never change once boxed, so no copy-on-write is needed. Equal and hashed by
/// value, so a type that holds one keeps its synthesized `Hashable`: the same box is equal
/// without looking.
///
/// A protocol that each box's own final class adopts, not one generic class: a generic box's type
/// was built from its mangled name (a class's metadata laid out at run time) the first time each
/// boxed type was made, seven times in the first play of every process; a plain class's type is
/// laid down with the program.
@usableFromInline protocol Shared: AnyObject, Hashable, Sendable {
    /// The boxed fields' type.
    associatedtype Value: Hashable & Sendable
    /// The fields.
    var value: Value { get }
}

extension Shared {
    /// Equal when the boxed values are.
    @inlinable static func == (lhs: Self, rhs: Self) -> Bool { lhs === rhs || lhs.value == rhs.value }

    /// Hashes the boxed value.
    @inlinable func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
