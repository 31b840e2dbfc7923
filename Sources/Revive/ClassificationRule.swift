import ReviveVocabulary

/// One row of the classification table: a pattern over a signal's facts and the class it means.
public struct ClassificationRule: Sendable {
    /// The row's fields, in one shared box: the classifier tries the rows in order on every
    /// failure, and a row held inline was copied whole (its sets, strings and array, each
    /// retained and released) for every row tried, even read in place through a buffer.
    private let row: Row

    /// A stable name, printed as "the rule that matched".
    public var name: String { row.name }
    /// Only signals from this provider match; nil matches any provider.
    public var provider: ProviderKind? { row.provider }
    // The sets are made when asked for (documentation and tests do): the row keeps lists, which
    // the compiler lays down as constants, where a table of sets hashed every member into new
    // storage at the first classification of every process (and `Set<Int>` cost a scan of every
    // protocol conformance of the process, to check `Int: Hashable`).
    /// Only these statuses match; empty matches any status.
    public var statuses: Set<Int> { Set(row.statuses) }
    /// At least one of these codes must be present (lower-case); empty means no code is needed.
    public var codes: Set<String> { Set(row.codes) }
    /// At least one of these AADSTS numbers must be present; empty means none is needed.
    public var aadsts: Set<Int> { Set(row.aadsts) }
    /// At least one of these lower-case fragments must occur in the text; empty means no text is needed.
    public var text: [String] { row.text }
    /// The lists the row matches on (the sets above are made from them).
    var statusList: [Int] { row.statuses }
    var codeList: [String] { row.codes }
    var aadstsList: [Int] { row.aadsts }
    /// The class a match means.
    public var failureClass: FailureClass { row.failureClass }
    /// How sure a match is.
    public var confidence: Confidence { row.confidence }
    /// Whether a refresh failure matching this rule must first be checked for a newer generation.
    public var checksGeneration: Bool { row.checksGeneration }

    init(name: String, provider: ProviderKind?, statuses: [Int], codes: [String], aadsts: [Int], text: [String],
         failureClass: FailureClass, confidence: Confidence, checksGeneration: Bool) {
        row = Row(name: name, provider: provider, statuses: statuses, codes: codes, aadsts: aadsts, text: text,
                  failureClass: failureClass, confidence: confidence, checksGeneration: checksGeneration)
    }

    /// Whether the rule matches these facts from this provider.
    public func matches(_ facts: SignalFacts, provider signalProvider: ProviderKind?) -> Bool {
        row.matches(facts, codes: facts.codeList, aadsts: facts.aadstsList, provider: signalProvider)
    }

    /// `matches`, with the facts' codes and AADSTS numbers listed once for all the rows tried.
    func matches(_ facts: SignalFacts, codes: [String], aadsts: [Int], provider signalProvider: ProviderKind?) -> Bool {
        row.matches(facts, codes: codes, aadsts: aadsts, provider: signalProvider)
    }

    /// `haystack.contains(needle)`, by bytes when that gives the same answer: the generic
    /// `String.contains` cost tens of thousands of instructions a call in the classifier's profile.
    /// With both ASCII and no `\r` in the haystack (`\r\n` is one character), every byte is one
    /// character and canonical equivalence changes nothing, so a byte match is a character match.
    static func text(_ haystack: String, contains needle: String) -> Bool {
        // In place on the strings' own bytes: copying the haystack into an array for every rule
        // with words, on every classification, showed in the player's profile.
        var hay = haystack
        var pattern = needle
        let ascii: Bool? = hay.withUTF8 { bytes in
            pattern.withUTF8 { wanted -> Bool? in
                guard !wanted.isEmpty, wanted.allSatisfy({ $0 < 0x80 }),
                      bytes.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "\r") }) else { return nil }
                guard wanted.count <= bytes.count else { return false }
                for start in 0...(bytes.count - wanted.count) where bytes[start] == wanted[0] {
                    var j = 1
                    while j < wanted.count && bytes[start + j] == wanted[j] { j += 1 }
                    if j == wanted.count { return true }
                }
                return false
            }
        }
        return ascii ?? haystack.contains(needle)
    }
}

/// A classification row's fields (see `ClassificationRule.row`): its codes and numbers as lists,
/// each member once as in the set it stands for (a list's order decides no match).
private final class Row: Sendable {
    let name: String
    let provider: ProviderKind?
    let statuses: [Int]
    let codes: [String]
    let aadsts: [Int]
    let text: [String]
    let failureClass: FailureClass
    let confidence: Confidence
    let checksGeneration: Bool
    /// Whether only a string of a code's byte count can equal it, for every code (`isPlain`):
    /// one flag, where a list of counts beside the codes was an array built for every row.
    private let plainCodes: Bool

    init(name: String, provider: ProviderKind?, statuses: [Int], codes: [String], aadsts: [Int], text: [String],
         failureClass: FailureClass, confidence: Confidence, checksGeneration: Bool) {
        self.name = name
        self.provider = provider
        self.statuses = statuses
        self.codes = codes
        self.aadsts = aadsts
        self.text = text
        self.failureClass = failureClass
        self.confidence = confidence
        self.checksGeneration = checksGeneration
        plainCodes = codes.allSatisfy(Row.isPlain)
    }

    /// Codes and numbers are compared rather than hashed: a signal has a code or two and a row a
    /// few, and `isDisjoint` hashed every code of one set into the other for each row tried, on
    /// every classification (a third of the classifier's cost).
    func matches(_ facts: SignalFacts, codes factCodes: [String], aadsts factNumbers: [Int], provider signalProvider: ProviderKind?) -> Bool {
        if let provider, provider != signalProvider { return false }
        if !statuses.isEmpty && !statuses.contains(facts.status) { return false }
        if !codes.isEmpty && !sharesCode(with: factCodes) { return false }
        if !aadsts.isEmpty && !Row.shareAny(aadsts, factNumbers) { return false }
        if !text.isEmpty && !text.contains(where: { ClassificationRule.text(facts.text, contains: $0) }) { return false }
        return true
    }

    /// Whether the row's codes and the signal's share a code (`==`, as the sets' own membership
    /// is), comparing byte counts first where that decides: codes mostly differ, and `==` of two
    /// different strings went through the runtime's general comparison (some hundred
    /// instructions) for every code of every row tried, on every classification.
    private func sharesCode(with factCodes: [String]) -> Bool {
        // Walked by index: a `zip` of the two lists cost more than the comparisons it fed.
        // A code's byte count is stored with it: read, not counted.
        for i in codes.indices {
            let count = plainCodes ? codes[i].utf8.count : -1
            for fact in factCodes where (count < 0 || fact.utf8.count == count) && codes[i] == fact { return true }
        }
        return false
    }

    /// Whether only strings of `code`'s byte count can equal it. A string canonically equivalent
    /// to an ASCII one has its bytes, except through the three ASCII characters with a non-ASCII
    /// singleton spelling (`K` for U+212A, `;` for U+037E, `` ` `` for U+1FEF). Read on the
    /// string's own bytes: through its `utf8` view the table's codes cost fourteen thousand
    /// instructions at the first classification of every process.
    static func isPlain(_ code: String) -> Bool {
        var code = code
        return code.withUTF8 { bytes in
            bytes.allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: "K") && $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: "`") }
        }
    }

    /// Whether the lists share an element (`==`, as the sets' own membership is).
    private static func shareAny<Element: Equatable>(_ a: [Element], _ b: [Element]) -> Bool {
        for x in a {
            for y in b where x == y { return true }
        }
        return false
    }
}

/// Builds a table row; the short spelling keeps the table readable as a table. The lists hold
/// each member once (`ColdStartTableTests` holds the table to that, and to the old table of sets).
func rule(_ name: String, _ failureClass: FailureClass, _ confidence: Confidence = .high,
          provider: ProviderKind? = nil, status: [Int] = [], codes: [String] = [],
          aadsts: [Int] = [], text: [String] = [], checksGeneration: Bool = false) -> ClassificationRule {
    ClassificationRule(name: name, provider: provider, statuses: status, codes: codes, aadsts: aadsts,
                       text: text, failureClass: failureClass, confidence: confidence,
                       checksGeneration: checksGeneration)
}
