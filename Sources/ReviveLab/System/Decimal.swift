#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Numbers printed with a fixed count of decimals, as `printf("%.Nf")` prints them.
enum Decimal {
    /// `value` with `places` decimals, right-aligned in `width` characters when given.
    static func fixed(_ value: Double, places: Int, width: Int = 0) -> String {
        let format = "%\(width > 0 ? String(width) : "").\(places)f"
        var buffer = [CChar](repeating: 0, count: 64)
        let length = withVaList([value]) { vsnprintf(&buffer, buffer.count, format, $0) }
        if length >= buffer.count {
            buffer = [CChar](repeating: 0, count: Int(length) + 1)
            _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, format, $0) }
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
