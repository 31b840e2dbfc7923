/// Reads and writes the scenario format's durations (`250ms`, `90s`, `15m`, `2h`, `1d`) and
/// the timeline's clock (`+00:10:00.250`).
public enum DurationText {
    /// The longest duration a scenario may name (365 days): longer is a typo, not a plan.
    public static let maximum = Span.days(365)

    /// Parses one whole number followed by one unit; nil if the text is not that.
    public static func parse(_ text: String) -> Span? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (unit, factor) in units where text.hasSuffix(unit) {
            let digits = text.dropLast(unit.count)
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.count <= 12,
                  let number = Int64(digits) else { continue }
            let (product, overflow) = number.multipliedReportingOverflow(by: factor)
            guard !overflow, product <= maximum.milliseconds else { return nil }
            return Span(milliseconds: product)
        }
        return nil
    }

    /// Formats a span for people, in mixed units, largest first: `9m59.9s`, `1h30m`, `2d3h`, `250ms`
    /// (unlike `Span.description`, which spells the scenario format's one-unit durations).
    public static func words(_ span: Span) -> String {
        var ms = span.milliseconds
        if ms < 0 { return "-" + words(Span(milliseconds: -ms)) }
        if ms < 1000 { return "\(ms)ms" }
        var text = ""
        // Unit by unit, not over a list of pairs: the list's types were built from their mangled
        // names at the first duration spelt in every process.
        func take(_ unit: String, _ size: Int64) {
            guard ms >= size else { return }
            text += "\(ms / size)\(unit)"
            ms %= size
        }
        take("d", 86_400_000)
        take("h", 3_600_000)
        take("m", 60_000)
        guard ms > 0 else { return text }
        text += String(ms / 1000)
        if ms % 1000 != 0 {
            // Milliseconds as a decimal fraction without trailing zeros: 900 → ".9", 50 → ".05".
            var fraction = pad(ms % 1000, 3)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "s"
    }

    /// Formats an instant as `+HH:MM:SS.mmm` (hours grow past 99 when they must).
    public static func clock(_ instant: Instant) -> String {
        // Every line of every timeline starts with one: written as bytes, not joined strings.
        let text = String(unsafeUninitializedCapacity: clockWidth) { buffer in
            buffer.baseAddress.flatMap { writeClock(instant, to: $0) } ?? 0
        }
        if !text.isEmpty { return text }
        let ms = instant.milliseconds
        return "+" + pad(ms / 3_600_000, 2) + ":" + pad((ms / 60_000) % 60, 2) + ":" + pad((ms / 1000) % 60, 2) + "." + pad(ms % 1000, 3)
    }

    /// The bytes of a clock in its usual range (0 to 99 hours).
    public static let clockWidth = 13

    /// Writes `clock(instant)` to `out` (room for `clockWidth` bytes) and returns how many bytes
    /// it wrote, or nil (writing nothing) for a negative instant or one past 99 hours: a renderer
    /// writes each line's clock straight into its buffer, with no String made per line.
    public static func writeClock(_ instant: Instant, to out: UnsafeMutablePointer<UInt8>) -> Int? {
        let ms = instant.milliseconds
        let hours = ms / 3_600_000
        guard ms >= 0, hours < 100 else { return nil }
        let minutes = (ms / 60_000) % 60
        let seconds = (ms / 1000) % 60
        let millis = ms % 1000
        let zero = UInt8(ascii: "0")
        out[0] = UInt8(ascii: "+")
        out[1] = zero + UInt8(hours / 10)
        out[2] = zero + UInt8(hours % 10)
        out[3] = UInt8(ascii: ":")
        out[4] = zero + UInt8(minutes / 10)
        out[5] = zero + UInt8(minutes % 10)
        out[6] = UInt8(ascii: ":")
        out[7] = zero + UInt8(seconds / 10)
        out[8] = zero + UInt8(seconds % 10)
        out[9] = UInt8(ascii: ".")
        out[10] = zero + UInt8(millis / 100)
        out[11] = zero + UInt8(millis / 10 % 10)
        out[12] = zero + UInt8(millis % 10)
        return clockWidth
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
