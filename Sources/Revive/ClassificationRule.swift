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
    /// Only these statuses match; empty matches any status.
    public var statuses: Set<Int> { row.statuses }
    /// At least one of these codes must be present (lower-case); empty means no code is needed.
    public var codes: Set<String> { row.codes }
    /// At least one of these AADSTS numbers must be present; empty means none is needed.
    public var aadsts: Set<Int> { row.aadsts }
    /// At least one of these lower-case fragments must occur in the text; empty means no text is needed.
    public var text: [String] { row.text }
    /// The class a match means.
    public var failureClass: FailureClass { row.failureClass }
    /// How sure a match is.
    public var confidence: Confidence { row.confidence }
    /// Whether a refresh failure matching this rule must first be checked for a newer generation.
    public var checksGeneration: Bool { row.checksGeneration }

    init(name: String, provider: ProviderKind?, statuses: Set<Int>, codes: Set<String>, aadsts: Set<Int>, text: [String],
         failureClass: FailureClass, confidence: Confidence, checksGeneration: Bool) {
        row = Row(name: name, provider: provider, statuses: statuses, codes: codes, aadsts: aadsts, text: text,
                  failureClass: failureClass, confidence: confidence, checksGeneration: checksGeneration)
    }

    /// Whether the rule matches these facts from this provider.
    public func matches(_ facts: SignalFacts, provider signalProvider: ProviderKind?) -> Bool {
        row.matches(facts, codes: facts.codeList, aadsts: Array(facts.aadstsCodes), provider: signalProvider)
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

/// A classification row's fields (see `ClassificationRule.row`), with its codes and numbers
/// also as lists for matching.
private final class Row: Sendable {
    let name: String
    let provider: ProviderKind?
    let statuses: Set<Int>
    let codes: Set<String>
    let aadsts: Set<Int>
    let text: [String]
    let failureClass: FailureClass
    let confidence: Confidence
    let checksGeneration: Bool
    private let codeList: [String]
    /// Each code's `exactCount`, beside it.
    private let codeCounts: [Int]
    private let aadstsList: [Int]

    init(name: String, provider: ProviderKind?, statuses: Set<Int>, codes: Set<String>, aadsts: Set<Int>, text: [String],
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
        codeList = Array(codes)
        codeCounts = codeList.map(Row.exactCount)
        aadstsList = Array(aadsts)
    }

    /// Codes and numbers are compared rather than hashed: a signal has a code or two and a row a
    /// few, and `isDisjoint` hashed every code of one set into the other for each row tried, on
    /// every classification (a third of the classifier's cost).
    func matches(_ facts: SignalFacts, codes factCodes: [String], aadsts factNumbers: [Int], provider signalProvider: ProviderKind?) -> Bool {
        if let provider, provider != signalProvider { return false }
        if !statuses.isEmpty && !statuses.contains(facts.status) { return false }
        if !codeList.isEmpty && !sharesCode(with: factCodes) { return false }
        if !aadstsList.isEmpty && !Row.shareAny(aadstsList, factNumbers) { return false }
        if !text.isEmpty && !text.contains(where: { ClassificationRule.text(facts.text, contains: $0) }) { return false }
        return true
    }

    /// Whether the row's codes and the signal's share a code (`==`, as the sets' own membership
    /// is), comparing byte counts first where that decides: codes mostly differ, and `==` of two
    /// different strings went through the runtime's general comparison (some hundred
    /// instructions) for every code of every row tried, on every classification.
    private func sharesCode(with factCodes: [String]) -> Bool {
        // Walked by index: a `zip` of the two lists cost more than the comparisons it fed.
        for i in codeList.indices {
            let count = codeCounts[i]
            for fact in factCodes where (count < 0 || fact.utf8.count == count) && codeList[i] == fact { return true }
        }
        return false
    }

    /// A code's byte count when only strings of that many bytes can equal it, else -1. A string
    /// canonically equivalent to an ASCII one has its bytes, except through the three ASCII
    /// characters with a non-ASCII singleton spelling (`K` for U+212A, `;` for U+037E, `` ` `` for U+1FEF).
    private static func exactCount(_ code: String) -> Int {
        let plain = code.utf8.allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: "K") && $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: "`") }
        return plain ? code.utf8.count : -1
    }

    /// Whether the lists share an element (`==`, as the sets' own membership is).
    private static func shareAny<Element: Equatable>(_ a: [Element], _ b: [Element]) -> Bool {
        for x in a {
            for y in b where x == y { return true }
        }
        return false
    }
}

/// Builds a table row; the short spelling keeps the table readable as a table.
func rule(_ name: String, _ failureClass: FailureClass, _ confidence: Confidence = .high,
          provider: ProviderKind? = nil, status: Set<Int> = [], codes: Set<String> = [],
          aadsts: Set<Int> = [], text: [String] = [], checksGeneration: Bool = false) -> ClassificationRule {
    ClassificationRule(name: name, provider: provider, statuses: status, codes: codes, aadsts: aadsts,
                       text: text, failureClass: failureClass, confidence: confidence,
                       checksGeneration: checksGeneration)
}
