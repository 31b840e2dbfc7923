import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Keeps token-shaped values in a scenario from leaving the lab.
///
/// People paste real failures into scenarios: an `Authorization: Bearer ya29...` header, an
/// `access_token` in a body. The loader replaces every value of the shapes the `token-custody`
/// invariant scans for (`SecretScanner`) with a digest of it before the scenario is played, so
/// no output (the JSONL header embeds the source for replay) can carry it, and a replay of the
/// redacted source plays exactly what was played.
enum SecretRedactor {
    /// A value found and what it was replaced with.
    struct Finding: Equatable {
        /// The key path of the string that held it (`faults[0].signal.headers.Authorization`).
        var path: String
        /// The shape that gave it away (`ya29.`).
        var marker: String
    }

    /// The characters a token is made of, after its marker.
    static let tokenCharacters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/=!")

    /// What replaces a token: a digest that matches every copy of the same token and no marker.
    static func replacement(for token: Substring) -> String {
        "[redacted sha256:\(SHA256.hexDigest(String(token)).prefix(16))]"
    }

    /// The document with every token-shaped string value redacted, and where each was.
    static func redact(_ value: JSONValue, at path: String = "") -> (value: JSONValue, findings: [Finding]) {
        switch value {
        case .string(let text):
            guard let marker = SecretScanner.firstMarker(in: text) else { return (value, []) }
            return (.string(redact(text)), [Finding(path: path, marker: marker)])
        case .array(let items):
            var findings: [Finding] = []
            let redacted = items.enumerated().map { index, item -> JSONValue in
                let (value, found) = redact(item, at: JSONReader.index(path, index))
                findings += found
                return value
            }
            return (.array(redacted), findings)
        case .object(let members):
            var findings: [Finding] = []
            let redacted = members.map { member -> (key: String, value: JSONValue) in
                let (value, found) = redact(member.value, at: JSONReader.join(path, member.key))
                findings += found
                return (member.key, value)
            }
            return (.object(redacted), findings)
        default:
            return (value, [])
        }
    }

    /// The text with each token (from its marker to the end of its token characters) replaced;
    /// if the scanner still sees a shape after that, the whole value goes.
    static func redact(_ text: String) -> String {
        var out = Substring(text)
        for marker in SecretScanner.markers {
            while let range = out.firstRange(of: marker) {
                let end = out[range.upperBound...].firstIndex(where: { !tokenCharacters.contains($0) }) ?? out.endIndex
                out.replaceSubrange(range.lowerBound..<end, with: replacement(for: out[range.lowerBound..<end]))
            }
        }
        out = redactSalesforceTokens(out)
        return SecretScanner.firstMarker(in: String(out)) == nil ? String(out) : replacement(for: Substring(text))
    }

    /// Salesforce session ids: `00D` + org id + `!` + a long secret.
    static func redactSalesforceTokens(_ text: Substring) -> Substring {
        var out = text
        var searchFrom = out.startIndex
        while let start = out[searchFrom...].firstRange(of: "00D")?.lowerBound {
            let end = out[start...].firstIndex(where: { !tokenCharacters.contains($0) }) ?? out.endIndex
            let token = out[start..<end]
            if let bang = token.firstIndex(of: "!"), token.distance(from: bang, to: token.endIndex) > 20 {
                let replaced = replacement(for: token)
                out.replaceSubrange(start..<end, with: replaced)
                searchFrom = out.index(start, offsetBy: replaced.count)
            } else {
                searchFrom = out.index(after: start)
            }
        }
        return out
    }
}
