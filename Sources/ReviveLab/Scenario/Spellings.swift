import Revive
import ReviveVocabulary
import ReviveWorld

/// The spellings of an enumeration's cases, in the order of their bytes, by their words (`ShortASCII`):
/// for `JSONReader.choice(_:at:of:spellings:noun:)`, which reads the frequent values of a file
/// (each step's effect, each fault's kind) without `T(rawValue:)`.
///
/// `T(rawValue:)` compares the text with each case's spelling in turn (`_findStringSwitchCase`,
/// a String made from each case's literal): some 200 instructions for a step's effect and 630
/// for a fault's kind. A text kept as a small ASCII string equals a spelling exactly when their
/// words are equal (ASCII equals only the same bytes), so those are compared. Not generic: a
/// generic class with a protocol requirement is built at its first use by scanning every
/// conformance record (230,000 instructions a table when tried).
final class Spellings: Sendable {
    /// The words of each case's spelling, two a case (zero for a spelling of more than 15 bytes
    /// or not ASCII, which no words match: a zero second word is no string's).
    private let words: [UInt64]
    /// Whether texts may be read by their words (`ShortASCII.layoutHolds`).
    private let shortTexts: Bool
    /// The enumeration whose cases these are.
    private let type: ObjectIdentifier
    /// Whether each case of `type` is kept as one byte, its place in the table (`caseCount(of:)`):
    /// then a place is made the case by that byte (`value(at:as:)`).
    private let placesAreBytes: Bool

    /// The table of `type`'s cases: their raw values, in the order of their bytes when each case
    /// is kept as one byte (`caseCount(of:)`), else in `allCases` order. Generic only here (the
    /// class is not): the initializer is specialized where a table is made.
    init<T: RawRepresentable & CaseIterable>(_ type: T.Type) where T.RawValue == String {
        var words: [UInt64] = []
        var placesAreBytes = false
        if let count = Spellings.caseCount(of: type) {
            // Each case made from its byte, 0 up to the count (sound: `caseCount(of:)`), and asked
            // its spelling. `T.allCases` is not asked: it made an array of `T`, whose type the
            // runtime built at its first use (some 7,000 instructions a table, 8 tables).
            // A debug build checks the inference against the cases themselves: a one-byte type
            // that is not an enumeration without payloads (one with payloads keeps cases at
            // other bytes) must not be given here.
            assert(count == T.allCases.count && Set((0..<count).map { unsafeBitCast(UInt8(truncatingIfNeeded: $0), to: T.self).rawValue })
                == Set(T.allCases.map(\.rawValue)), "\(T.self): its bytes are not its cases")
            words.reserveCapacity(2 * count)
            for place in 0..<count {
                let spelt = ShortASCII.spelling(of: unsafeBitCast(UInt8(truncatingIfNeeded: place), to: T.self).rawValue)
                words.append(spelt?.0 ?? 0)
                words.append(spelt?.1 ?? 0)
            }
            placesAreBytes = true
        } else {
            let cases = Array(T.allCases)
            words.reserveCapacity(2 * cases.count)
            for value in cases {
                let spelt = ShortASCII.spelling(of: value.rawValue)
                words.append(spelt?.0 ?? 0)
                words.append(spelt?.1 ?? 0)
            }
        }
        self.words = words
        shortTexts = ShortASCII.layoutHolds
        self.type = ObjectIdentifier(type)
        self.placesAreBytes = placesAreBytes
    }

    /// How many values `type` has when each is kept as one byte, the values being the bytes from
    /// 0 up to that count: nil for any other type. An enumeration without payloads of 2 to 255
    /// cases keeps each case as its number in declaration order (the order of a synthesized
    /// `allCases`), and the bytes above the last case are its spare values, of which an `Optional`
    /// keeps `nil` in the first (the ABI's layout of enumerations: `nil` is the byte equal to the
    /// number of cases). A one-byte type whose `Optional` is one byte too is read so: its `nil`'s
    /// byte is the count. (A struct of one such enumeration has the same bytes.) Only for such
    /// enumerations: one with payloads is one byte too, but keeps its cases at other bytes (the
    /// debug build's check in `init` catches one given here).
    static func caseCount<T>(of type: T.Type) -> Int? {
        guard MemoryLayout<T>.size == 1, MemoryLayout<T?>.size == 1 else { return nil }
        let none: T? = nil
        let count = withUnsafeBytes(of: none) { Int($0[0]) }
        return count > 0 ? count : nil
    }

    /// The case of `type` at `place` (`place` from `place(of:)` on this table of `type`'s cases).
    /// Made from its byte where `placesAreBytes` holds for `type`: sound, as the table was made
    /// from the very bytes below the count of `type`'s values (`caseCount(of:)`). `T.allCases`
    /// otherwise (the table is then in its order), which makes a new array on every call (some
    /// 160 instructions with its allocation and release).
    @inline(__always)
    func value<T: RawRepresentable & CaseIterable>(at place: Int, as type: T.Type) -> T where T.AllCases == [T] {
        if placesAreBytes && MemoryLayout<T>.size == 1 && ObjectIdentifier(type) == self.type {
            return unsafeBitCast(UInt8(truncatingIfNeeded: place), to: T.self)
        }
        return T.allCases[place]
    }

    /// The case of `type` (whose spellings these are) spelt `text`, or nil: `T(rawValue:)` looked
    /// up by words, asked of `T(rawValue:)` itself only for a text not kept as a small ASCII string.
    func value<T: RawRepresentable & CaseIterable>(of text: String, as type: T.Type) -> T?
    where T.RawValue == String, T.AllCases == [T] {
        switch place(of: text) {
        case .some(.some(let place)): return value(at: place, as: type)
        case .some(.none): return nil
        case .none: return T(rawValue: text)
        }
    }

    /// The place in the table of the case spelt `text`: `.some(nil)` when none is, nil when the
    /// text must be asked of `T(rawValue:)` (it is not kept as a small ASCII string).
    func place(of text: String) -> Int?? {
        guard shortTexts, let spelt = ShortASCII.words(of: text) else { return nil }
        var index = 0
        while index < words.count {
            if words[index] == spelt.0 && words[index + 1] == spelt.1 { return .some(index / 2) }
            index += 2
        }
        // A short ASCII text can equal no spelling of more than 15 bytes.
        return .some(nil)
    }

    /// The spellings of the enumerations read most: a step's effect, a fault's kind.
    static let stepEffects = Spellings(StepEffect.self)
    static let faultKinds = Spellings(FaultKind.self)
    /// The spellings of the enumerations read once or twice a file. Through `T(rawValue:)` they
    /// cost some 90,000 instructions of a cold `run` of the shipped scenarios (200 to 500 a
    /// value, `_findStringSwitchCase`); a table costs a few hundred, once a process.
    static let providerKinds = Spellings(ProviderKind.self)
    static let brokerKinds = Spellings(BrokerKind.self)
    static let runtimeKinds = Spellings(RuntimeKind.self)
    static let outcomes = Spellings(Outcome.self)
    static let failureClasses = Spellings(FailureClass.self)
    static let stepPoints = Spellings(StepPoint.self)
}

extension JSONReader {
    /// `choice(_:at:of:noun:)`, the text looked up in `spellings` (of `type`'s cases); a text that
    /// is no case is reported by `choice(_:at:of:noun:)` itself, with its messages.
    mutating func choice<T: RawRepresentable & CaseIterable>(_ value: JSONValue?, at path: @autoclosure () -> String, of type: T.Type,
                                                              spellings: Spellings, noun: String) -> T?
    where T.RawValue == String, T.AllCases == [T] {
        if case .string(let text)? = value, case .some(.some(let place)) = spellings.place(of: text) { return spellings.value(at: place, as: type) }
        return choice(value, at: path(), of: type, noun: noun)
    }
}
