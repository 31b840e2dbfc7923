import Revive
import ReviveVocabulary

/// SplitMix64: a tiny, fast generator whose whole state is one seed, so a seed replays every choice.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator that starts from `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` lower-case hex digits.
    public mutating func hex(_ count: Int) -> String { hex(count, after: "") }

    /// `prefix` then `count` lower-case hex digits: the text of `prefix + hex(count)`, spelled in
    /// one buffer. Every id and secret the engine draws is such a pair, and joining two strings
    /// cost as much again as drawing the digits.
    ///
    /// The digits are each draw's nibbles, lowest first (two digits a byte, its low nibble
    /// first), 16 a draw, a new draw only when the last is used up: `hex` draws once up front,
    /// then once more every 16 digits (`skipHex` relies on it).
    mutating func hex(_ count: Int, after prefix: String) -> String {
        // An id (a short ASCII prefix and 8 digits: `lease_`, `case_`, `cap_`, `grant_`) fits a
        // small string: made as its two words, where the general path below (a closure, the
        // prefix copied byte by byte, an ASCII check) cost about 300 instructions an id.
        if count <= 8, ShortASCII.layoutHolds, let words = ShortASCII.words(of: prefix) {
            let head = ShortASCII.SmallBytes(words: words)
            if head.count + count <= 15 {
                let digits = SeededRandom.digits(UInt32(truncatingIfNeeded: next()), count: count)
                return ShortASCII.string(SeededRandom.appending(digits, count: count, to: head))
            }
        }
        var bits = next()
        var left = 16
        var generator = self
        var prefix = prefix
        let text = prefix.withUTF8 { head in
            String(unsafeUninitializedCapacity: head.count + count) { buffer in
                guard let start = buffer.baseAddress else { return 0 }
                if let source = head.baseAddress, !head.isEmpty { start.update(from: source, count: head.count) }
                var at = head.count
                // Eight digits a step, from the draw's next 32 bits, stored as one word while
                // eight fit: a draw's 16 digits are two such steps.
                var remaining = count
                while remaining > 0 {
                    if left == 0 { bits = generator.next(); left = 16 }
                    let digits = SeededRandom.digits(UInt32(truncatingIfNeeded: bits), count: 8)
                    if remaining >= 8 {
                        // In bounds: `at + 8 <= head.count + count`, the buffer's capacity, while
                        // eight digits remain; an unaligned store is allowed (SE-0349).
                        UnsafeMutableRawPointer(start + at).storeBytes(of: digits.littleEndian, as: UInt64.self)
                        at += 8
                        remaining -= 8
                    } else {
                        for index in 0..<remaining { start[at + index] = UInt8(truncatingIfNeeded: digits >> UInt64(8 * index)) }
                        return at + remaining
                    }
                    bits >>= 32
                    left -= 8
                }
                return at
            }
        }
        self = generator
        return text
    }
}

extension SeededRandom {
    /// The first `count` (0 to 8) digits of `bits`, nibble 0 first: digit `i` in byte `i` of the
    /// result (the lowest first), zero past the count.
    @inline(__always)
    static func digits(_ bits: UInt32, count: Int) -> UInt64 {
        // Each byte to its own 16 bits, then each nibble to its own byte, the low nibble first.
        var x = UInt64(bits)
        x = (x | x << 16) & 0x0000_FFFF_0000_FFFF
        x = (x | x << 8) & 0x00FF_00FF_00FF_00FF
        x = (x | x << 4) & 0x0F0F_0F0F_0F0F_0F0F
        // A nibble of 10 or more carries into its byte's bit 4 when 6 is added (never past its
        // byte): those take 'a' - 10 instead of '0', 39 more.
        let letters = ((x &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101
        let spelt = x &+ 0x3030_3030_3030_3030 &+ letters &* 39
        return count >= 8 ? spelt : spelt & ((1 &<< UInt64(truncatingIfNeeded: 8 * count)) &- 1)
    }

    /// The words of the small ASCII string `head` then `count` digits (from `digits`), which
    /// together fit in 15 bytes.
    @inline(__always)
    static func appending(_ digits: UInt64, count: Int, to head: ShortASCII.SmallBytes) -> (UInt64, UInt64) {
        let shift = UInt64(truncatingIfNeeded: 8 * (head.count & 7))
        let (low, high): (UInt64, UInt64)
        if head.count == 0 {
            (low, high) = (digits, 0)
        } else if head.count < 8 {
            (low, high) = (head.low | digits &<< shift, digits &>> (64 &- shift))
        } else {
            (low, high) = (head.low, head.high | digits &<< shift)
        }
        return ShortASCII.words(low: low, high: high, count: head.count + count)
    }
}

/// Ids and secrets drawn from the scenario's seed: same seed, same ids.
public final class SeededIdentifierSource: IdentifierSource {
    // Unchecked (see `Timeline`): one play, one thread; the dynamic exclusivity checks on every
    // draw cost about a fifth of the draw.
    @exclusivity(unchecked) private var random: SeededRandom

    /// A source seeded for one scenario run.
    public init(seed: UInt64) { random = SeededRandom(seed: seed) }

    public func nextID(prefix: String) -> String { random.hex(8, after: prefix) }

    public func nextSecret(prefix: String) -> String { random.hex(32, after: prefix) }
}

extension SeededRandom {
    /// Advances the stream exactly as `hex(count)` does, without spelling the digits.
    mutating func skipHex(_ count: Int) {
        // `hex` draws once up front, then once more every 16 digits.
        for _ in 0..<max(1, (count + 15) / 16) { _ = next() }
    }
}

extension SimulatedProvider {
    /// A fresh access token in the provider's own shape (never printed: the custody check looks for these shapes).
    static func accessToken(for provider: ProviderKind, random: inout SeededRandom) -> String {
        switch provider {
        case .microsoft: return "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9." + random.hex(40)
        case .google: return "ya29." + random.hex(40)
        case .slack: return "xoxe.xoxp-1-" + random.hex(40)
        case .github: return "ghu_" + random.hex(36)
        case .salesforce: return "00D" + random.hex(12) + "!" + random.hex(40)
        case .generic: return "rvlab_at_" + random.hex(32)
        }
    }
}

/// A token pair the simulated provider issued, kept as the provider's stream at the draw: the
/// strings are spelled only if someone asks. Nothing in a play reads a token's text (it never
/// leaves the provider), and spelling two at every issue was most of a play's setup outside
/// the engine; the stream moves on exactly as the spelled draw would, so every later draw
/// (grant and trace ids) is unchanged.
struct IssuedTokens {
    let provider: ProviderKind
    let draw: SeededRandom

    /// The access token, in the provider's own shape.
    var accessToken: String {
        var random = draw
        return SimulatedProvider.accessToken(for: provider, random: &random)
    }

    /// The refresh token, drawn after the access token.
    var refreshToken: String {
        var random = draw
        _ = SimulatedProvider.accessToken(for: provider, random: &random)
        return "rvlab_rt_" + random.hex(32)
    }

    /// Issues a pair for `provider`, moving `random` past both tokens' digits.
    static func issue(for provider: ProviderKind, random: inout SeededRandom) -> IssuedTokens {
        let tokens = IssuedTokens(provider: provider, draw: random)
        // The digit counts of `SimulatedProvider.accessToken`, then the refresh token's 32.
        switch provider {
        case .microsoft, .google, .slack: random.skipHex(40)
        case .github: random.skipHex(36)
        case .salesforce: random.skipHex(12); random.skipHex(40)
        case .generic: random.skipHex(32)
        }
        random.skipHex(32)
        assert({ var spelled = spelledStream(tokens), skipped = random; return spelled.next() == skipped.next() }(),
               "skipping a token pair must leave the stream where spelling it does")
        return tokens
    }

    /// The stream as spelling `tokens` leaves it (checked in debug builds against the skip).
    private static func spelledStream(_ tokens: IssuedTokens) -> SeededRandom {
        var random = tokens.draw
        _ = SimulatedProvider.accessToken(for: tokens.provider, random: &random)
        _ = random.hex(32)
        return random
    }
}
