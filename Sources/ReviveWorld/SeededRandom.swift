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
    mutating func hex(_ count: Int, after prefix: String) -> String {
        var bits = next()
        var left = 16
        var generator = self
        var prefix = prefix
        let text = prefix.withUTF8 { head in
            String(unsafeUninitializedCapacity: head.count + count) { buffer in
                var at = 0
                for byte in head {
                    buffer[at] = byte
                    at += 1
                }
                // Two digits a step, low nibble first (the order the digits were always drawn
                // in): a draw's 16 digits are 8 whole bytes, so a pair never straddles a draw.
                var remaining = count
                while remaining > 0 {
                    if left == 0 { bits = generator.next(); left = 16 }
                    let byte = UInt8(truncatingIfNeeded: bits)
                    buffer[at] = SeededRandom.digit(byte & 0xF)
                    if remaining == 1 { return at + 1 }
                    buffer[at + 1] = SeededRandom.digit(byte >> 4)
                    at += 2
                    remaining -= 2
                    bits >>= 8
                    left -= 2
                }
                return at
            }
        }
        self = generator
        return text
    }
}

extension SeededRandom {
    /// The lower-case hex digit of a nibble.
    @inline(__always)
    static func digit(_ nibble: UInt8) -> UInt8 { nibble &+ (nibble < 10 ? 48 : 87) }
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
