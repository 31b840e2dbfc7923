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
    public mutating func hex(_ count: Int) -> String {
        var bits = next()
        var left = 16
        var generator = self
        let text = String(unsafeUninitializedCapacity: count) { buffer in
            for index in 0..<count {
                if left == 0 { bits = generator.next(); left = 16 }
                let nibble = UInt8(truncatingIfNeeded: bits & 0xF)
                buffer[index] = nibble < 10 ? 48 + nibble : 87 + nibble
                bits >>= 4
                left -= 1
            }
            return count
        }
        self = generator
        return text
    }
}

/// Ids and secrets drawn from the scenario's seed: same seed, same ids.
public final class SeededIdentifierSource: IdentifierSource {
    private var random: SeededRandom

    /// A source seeded for one scenario run.
    public init(seed: UInt64) { random = SeededRandom(seed: seed) }

    public func nextID(prefix: String) -> String { prefix + random.hex(8) }

    public func nextSecret(prefix: String) -> String { prefix + random.hex(32) }
}
