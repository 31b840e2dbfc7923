/// A point in time measured from an origin the caller chooses.
///
/// The engine never reads a clock: every call that needs the time takes an `Instant`. The lab's
/// origin is the start of a scenario; a real integration can use its own epoch.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Milliseconds since the origin.
    public let milliseconds: Int64
    /// The origin itself.
    public static let zero = Instant(milliseconds: 0)
    /// Makes an instant from milliseconds since the origin.
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }
    /// The instant `span` after this one.
    public func advanced(by span: Span) -> Instant { Instant(milliseconds: milliseconds + span.milliseconds) }
    /// The span from `earlier` to this instant.
    public func since(_ earlier: Instant) -> Span { Span(milliseconds: milliseconds - earlier.milliseconds) }
    public static func < (a: Instant, b: Instant) -> Bool { a.milliseconds < b.milliseconds }
    public var description: String { "+\(Span(milliseconds: milliseconds))" }
}

/// A length of virtual time, in whole milliseconds.
///
/// Milliseconds are the lab's resolution: the format's smallest unit is `ms`, and integer
/// arithmetic keeps every timeline byte-identical across machines.
public struct Span: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The length in milliseconds.
    public let milliseconds: Int64
    /// No time at all.
    public static let zero = Span(milliseconds: 0)
    /// Makes a span from milliseconds.
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }
    /// A span of whole seconds.
    public static func seconds(_ value: Int64) -> Span { Span(milliseconds: value * 1000) }
    /// A span of whole minutes.
    public static func minutes(_ value: Int64) -> Span { Span(milliseconds: value * 60_000) }
    /// A span of whole hours.
    public static func hours(_ value: Int64) -> Span { Span(milliseconds: value * 3_600_000) }
    /// A span of whole days.
    public static func days(_ value: Int64) -> Span { Span(milliseconds: value * 86_400_000) }
    public static func < (a: Span, b: Span) -> Bool { a.milliseconds < b.milliseconds }
    public static func + (a: Span, b: Span) -> Span { Span(milliseconds: a.milliseconds + b.milliseconds) }

    /// The shortest exact spelling in the scenario format's units: `250ms`, `90s`, `15m`, `2h`, `1d`.
    public var description: String {
        let ms = milliseconds
        if ms != 0 && ms % 86_400_000 == 0 { return "\(ms / 86_400_000)d" }
        if ms != 0 && ms % 3_600_000 == 0 { return "\(ms / 3_600_000)h" }
        if ms != 0 && ms % 60_000 == 0 { return "\(ms / 60_000)m" }
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(ms)ms"
    }
}
