import ReviveVocabulary

/// One row of the classification table: a pattern over a signal's facts and the class it means.
public struct ClassificationRule: Sendable {
    /// A stable name, printed as "the rule that matched".
    public let name: String
    /// Only signals from this provider match; nil matches any provider.
    public let provider: ProviderKind?
    /// Only these statuses match; empty matches any status.
    public let statuses: Set<Int>
    /// At least one of these codes must be present (lower-case); empty means no code is needed.
    public let codes: Set<String>
    /// At least one of these AADSTS numbers must be present; empty means none is needed.
    public let aadsts: Set<Int>
    /// At least one of these lower-case fragments must occur in the text; empty means no text is needed.
    public let text: [String]
    /// The class a match means.
    public let failureClass: FailureClass
    /// How sure a match is.
    public let confidence: Confidence
    /// Whether a refresh failure matching this rule must first be checked for a newer generation.
    public let checksGeneration: Bool

    /// Whether the rule matches these facts from this provider.
    public func matches(_ facts: SignalFacts, provider signalProvider: ProviderKind?) -> Bool {
        if let provider, provider != signalProvider { return false }
        if !statuses.isEmpty && !statuses.contains(facts.status) { return false }
        if !codes.isEmpty && codes.isDisjoint(with: facts.codes) { return false }
        if !aadsts.isEmpty && aadsts.isDisjoint(with: facts.aadstsCodes) { return false }
        if !text.isEmpty && !text.contains(where: { Self.text(facts.text, contains: $0) }) { return false }
        return true
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

/// Builds a table row; the short spelling keeps the table readable as a table.
func rule(_ name: String, _ failureClass: FailureClass, _ confidence: Confidence = .high,
          provider: ProviderKind? = nil, status: Set<Int> = [], codes: Set<String> = [],
          aadsts: Set<Int> = [], text: [String] = [], checksGeneration: Bool = false) -> ClassificationRule {
    ClassificationRule(name: name, provider: provider, statuses: status, codes: codes, aadsts: aadsts,
                       text: text, failureClass: failureClass, confidence: confidence,
                       checksGeneration: checksGeneration)
}
