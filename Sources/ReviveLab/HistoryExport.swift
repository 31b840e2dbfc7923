import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// What the two runtime-shaped exports (`--format temporal-history`, `--format langgraph-history`)
/// share: the fixed instant virtual time starts from, deterministic ids, and the check that a
/// scenario runs on the export's runtime.
enum HistoryExport {
    /// Virtual time +0 is this instant in every export (2026-01-01T00:00:00Z): no wall clock is read.
    static let startYear = 2026

    /// The instant `time` after the fixed start, as `2026-01-01T00:00:00.300` (no zone suffix).
    static func civil(_ time: Instant) -> (date: String, clock: String, fraction: Int64) {
        let ms = max(0, time.milliseconds)
        var days = ms / 86_400_000
        var year = startYear
        while days >= daysIn(year: year) { days -= daysIn(year: year); year += 1 }
        var month = 1
        while days >= daysIn(month: month, year: year) { days -= daysIn(month: month, year: year); month += 1 }
        let inDay = ms % 86_400_000
        let clock = two(inDay / 3_600_000) + ":" + two(inDay / 60_000 % 60) + ":" + two(inDay / 1000 % 60)
        return ("\(year)-" + two(Int64(month)) + "-" + two(days + 1), clock, inDay % 1000)
    }

    /// Temporal's `eventTime`: RFC 3339 with nanoseconds and `Z`.
    static func temporalTime(_ time: Instant) -> String {
        let c = civil(time)
        return "\(c.date)T\(c.clock).\(digits(c.fraction, 3))000000Z"
    }

    /// LangGraph's `created_at`: ISO 8601 with microseconds and `+00:00`.
    static func langGraphTime(_ time: Instant) -> String {
        let c = civil(time)
        return "\(c.date)T\(c.clock).\(digits(c.fraction, 3))000+00:00"
    }

    /// A protobuf JSON duration (`10s`, `0.500s`).
    static func duration(_ span: Span?) -> String {
        let ms = span?.milliseconds ?? 0
        return ms % 1000 == 0 ? "\(ms / 1000)s" : "\(ms / 1000).\(digits(ms % 1000, 3))s"
    }

    /// A UUID-shaped id drawn from `random`; `time` leads so ids sort in creation order (as
    /// LangGraph's UUIDv6 checkpoint ids do).
    static func uuid(_ random: inout SeededRandom, time: Instant? = nil, version: Character = "4") -> String {
        let lead = time.map { hex(UInt64($0.milliseconds) &+ 0x1F0_0000_0000, 12) } ?? random.hex(12)
        let rest = random.hex(19)
        let a = lead.prefix(8), b = lead.dropFirst(8)
        return "\(a)-\(b)-\(version)\(rest.prefix(3))-8\(rest.dropFirst(3).prefix(3))-\(rest.dropFirst(6).prefix(12))"
    }

    /// The usage error for an export of a scenario that runs on another runtime, or nil.
    static func mismatch(_ format: RunCommand.Format, _ scenario: Scenario) -> String? {
        let wanted: RuntimeKind
        switch format {
        case .temporalHistory: wanted = .temporal
        case .langgraphHistory: wanted = .langgraph
        default: return nil
        }
        guard scenario.runtime.kind != wanted else { return nil }
        let other = scenario.runtime.kind == .langgraph ? "langgraph-history" : "temporal-history"
        return "--format \(format.rawValue) exports a \(wanted.rawValue) history, but \(scenario.file) runs on \(scenario.runtime.kind.rawValue); use --format \(other) for it"
    }

    /// The indented JSON text of an export.
    static func text(_ value: JSONValue) -> String { ScenarioSchema.pretty(value, indent: 0) + "\n" }

    /// A value of a timeline line's note.
    static func note(_ t: Transition, _ name: String) -> String? { t.notes.first(where: { $0.name == name })?.value }

    private static func daysIn(year: Int) -> Int64 { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 366 : 365 }
    private static func daysIn(month: Int, year: Int) -> Int64 {
        switch month {
        case 2: return daysIn(year: year) == 366 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
    private static func two(_ value: Int64) -> String { digits(value, 2) }
    private static func digits(_ value: Int64, _ count: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, count - text.count)) + text
    }
    private static func hex(_ value: UInt64, _ count: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, count - text.count)) + String(text.suffix(count))
    }
}
