import Testing
import ReviveLab

/// The coloured timeline is the plain one with ANSI escapes added, and nothing else: the
/// renderer writes the plain header without the colour path's joined String.
struct ColorRenderingTests {
    /// `text` without its ANSI escapes (ESC, `[`, digits, `m`).
    static func withoutEscapes(_ text: String) -> String {
        var out: [UInt8] = []
        var inEscape = false
        for byte in text.utf8 {
            if byte == 0x1B { inEscape = true; continue }
            if inEscape {
                if byte == UInt8(ascii: "m") { inEscape = false }
                continue
            }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    @Test func colouredOutputIsThePlainOutputWithEscapes() throws {
        let result = try GoldenTests.play("account-blocked-salesforce")
        let plain = TextRenderer(color: false).render(result)
        let coloured = TextRenderer(color: true).render(result)
        #expect(coloured != plain)
        #expect(coloured.hasPrefix("\u{1B}[1m== account-blocked-salesforce\u{1B}[0m  (scenarios/"))
        #expect(ColorRenderingTests.withoutEscapes(coloured) == plain)
    }
}
