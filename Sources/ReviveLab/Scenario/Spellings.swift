import Revive
import ReviveWorld

/// The spellings of an enumeration's cases, in `allCases` order, by their words (`ShortASCII`):
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

    /// The table of `spellings`, the cases' raw values in `allCases` order.
    init(_ spellings: [String]) {
        var words: [UInt64] = []
        words.reserveCapacity(2 * spellings.count)
        for spelling in spellings {
            let spelt = ShortASCII.spelling(of: spelling)
            words += [spelt?.0 ?? 0, spelt?.1 ?? 0]
        }
        self.words = words
        shortTexts = ShortASCII.layoutHolds
    }

    /// The place in `allCases` of the case spelt `text`: `.some(nil)` when none is, nil when the
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
    static let stepEffects = Spellings(StepEffect.allCases.map(\.rawValue))
    static let faultKinds = Spellings(FaultKind.allCases.map(\.rawValue))
}

extension JSONReader {
    /// `choice(_:at:of:noun:)`, the text looked up in `spellings` (of `type`'s cases); a text that
    /// is no case is reported by `choice(_:at:of:noun:)` itself, with its messages.
    mutating func choice<T: RawRepresentable & CaseIterable>(_ value: JSONValue?, at path: @autoclosure () -> String, of type: T.Type,
                                                              spellings: Spellings, noun: String) -> T?
    where T.RawValue == String, T.AllCases == [T] {
        if case .string(let text)? = value, case .some(.some(let place)) = spellings.place(of: text) { return T.allCases[place] }
        return choice(value, at: path(), of: type, noun: noun)
    }
}
