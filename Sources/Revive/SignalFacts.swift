import ReviveVocabulary

/// The facts the classifier matches on, read out of a signal's status, headers and body.
///
/// Reading order (documented in docs/classification.md): unwrap the broker's envelope to the
/// provider's inner error, then read the body's codes and text, then the headers, and only then
/// fall back to the status.
public struct SignalFacts: Sendable, Equatable {
    /// The HTTP status.
    public var status: Int
    /// Every error code found, lower-cased (`invalid_grant`, `token_revoked`, `unauthenticated` …).
    public var codes: Set<String> = []
    /// Every human text found, lower-cased and joined.
    public var text: String = ""
    /// Microsoft AADSTS numbers found in the codes or the text.
    public var aadstsCodes: Set<Int> = []
    /// The provider's `Retry-After` (or rate-limit reset), when it gave one as seconds.
    public var retryAfter: Span?
    /// The broker whose envelope was unwrapped, if any.
    public var unwrappedFrom: String?
    /// Scopes the provider said were needed (`scope=` or Slack's `needed`).
    public var neededScopes: [String] = []
    /// Whether GitHub-style rate-limit headers say the budget is spent.
    public var rateLimitExhausted = false

    /// Reads the facts out of a signal.
    public init(_ signal: ProviderSignal) {
        status = signal.status
        if let error = signal.error { addCode(error) }
        if let description = signal.description { addText(description) }
        if let body = signal.body { read(body: body, depth: 0) }
        readHeaders(signal)
        if let after = signal.retryAfter { retryAfter = after }
        aadstsCodes.formUnion(SignalFacts.aadstsNumbers(in: text))
        for code in codes { aadstsCodes.formUnion(SignalFacts.aadstsNumbers(in: code)) }
    }

    private mutating func addCode(_ code: String) {
        let trimmed = code.trimmingWhitespace()
        if !trimmed.isEmpty { codes.insert(trimmed.lowercased()) }
    }

    private mutating func addText(_ value: String) {
        text += (text.isEmpty ? "" : " | ") + value.lowercased()
    }

    private mutating func read(body: JSONValue, depth: Int) {
        guard depth < 8 else { return }
        switch body {
        case .string(let s):
            // A bare string body: an error code if it looks like one, text otherwise.
            if !s.contains(" ") && s.count < 64 { addCode(s) } else { addText(s) }
        case .array(let items):
            // Salesforce answers a list of {errorCode, message}.
            for item in items { read(body: item, depth: depth + 1) }
        case .object:
            readObject(body, depth: depth)
        default:
            break
        }
    }

    private mutating func readObject(_ object: JSONValue, depth: Int) {
        // Broker envelopes first: the inner provider error decides, not the wrapper's words.
        if let inner = object["payload"]?["dataMessage"] ?? object["dataMessage"] {
            unwrappedFrom = unwrappedFrom ?? "nango"
            read(body: inner, depth: depth + 1)
        }
        if case .string(let type)? = object["type"], type.hasSuffix("_error") || type.hasSuffix("_external_error") {
            addCode(type)
        }
        switch object["error"] {
        case .string(let code)?: addCode(code)
        case .object?:
            // Google APIs and Nango: {"error": {"code": 401, "status": "UNAUTHENTICATED", "message": …}}
            read(body: object["error"]!, depth: depth + 1)
        default: break
        }
        for key in ["code", "errorCode", "error_code", "status", "reason", "subcode"] {
            if case .string(let code)? = object[key] { addCode(code) }
        }
        for key in ["error_description", "message", "description", "detail", "error_message"] {
            if case .string(let value)? = object[key] { addText(value) }
        }
        if case .array(let list)? = object["error_codes"] {
            for item in list { if let n = item.integerValue { aadstsCodes.insert(Int(n)) } }
        }
        if case .array(let errors)? = object["errors"] {
            for item in errors { read(body: item, depth: depth + 1) }
        }
        if case .array(let details)? = object["details"] {
            for item in details { read(body: item, depth: depth + 1) }
        }
        // Scalekit reports a connected account's state rather than an error.
        if let account = object["connected_account"] ?? object["connectedAccount"] {
            if case .string(let state)? = account["status"] {
                unwrappedFrom = unwrappedFrom ?? "scalekit"
                addCode("connected_account_" + state)
            }
        }
        if case .string(let needed)? = object["needed"] {
            neededScopes.append(contentsOf: needed.split(separator: ",").map(String.init))
        }
        if case .object? = object["response_metadata"] { read(body: object["response_metadata"]!, depth: depth + 1) }
    }

    private mutating func readHeaders(_ signal: ProviderSignal) {
        if let value = signal.header("Retry-After"), let seconds = Int64(value.trimmingWhitespace()), seconds >= 0 {
            retryAfter = .seconds(seconds)
        } else if let value = signal.header("Retry-After"), let date = HTTPDate.parse(value),
                  let sent = signal.header("Date").flatMap(HTTPDate.parse) {
            // An HTTP-date is relative to the response's own Date header; the engine reads no clock.
            retryAfter = .seconds(max(0, date - sent))
        }
        if let remaining = signal.header("x-ratelimit-remaining"), remaining.trimmingWhitespace() == "0" {
            rateLimitExhausted = true
            if retryAfter == nil, let reset = signal.header("x-ratelimit-reset").flatMap({ Int64($0.trimmingWhitespace()) }),
               let sent = signal.header("Date").flatMap(HTTPDate.parse) {
                retryAfter = .seconds(max(0, reset - sent))
            }
        }
        if let challenge = signal.header("WWW-Authenticate") {
            let parameters = SignalFacts.challengeParameters(challenge)
            if let error = parameters["error"] { addCode(error) }
            if let description = parameters["error_description"] { addText(description) }
            if let scope = parameters["scope"] { neededScopes.append(contentsOf: scope.split(separator: " ").map(String.init)) }
        }
    }

    /// The `key="value"` parameters of a `WWW-Authenticate: Bearer …` challenge.
    static func challengeParameters(_ challenge: String) -> [String: String] {
        var result: [String: String] = [:]
        var rest = Substring(challenge)
        if let space = rest.firstIndex(of: " "), !rest[..<space].contains("=") { rest = rest[rest.index(after: space)...] }
        while !rest.isEmpty {
            rest = rest.drop(while: { $0 == " " || $0 == "," })
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].trimmingCharactersSpace().lowercased()
            rest = rest[rest.index(after: equals)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                let end = rest.firstIndex(of: "\"") ?? rest.endIndex
                value = String(rest[..<end])
                rest = end < rest.endIndex ? rest[rest.index(after: end)...] : rest[end...]
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                value = String(rest[..<end]).trimmingWhitespace()
                rest = rest[end...]
            }
            result[key] = value
        }
        return result
    }

    /// The numbers that follow `AADSTS` in a text.
    static func aadstsNumbers(in text: String) -> Set<Int> {
        var found = Set<Int>()
        let bytes = Array(text.lowercased().utf8)
        let marker = Array("aadsts".utf8)
        var i = 0
        while i + marker.count <= bytes.count {
            if bytes[i..<i + marker.count].elementsEqual(marker) {
                var j = i + marker.count
                var value = 0
                var digits = 0
                while j < bytes.count, bytes[j] >= 48, bytes[j] <= 57, digits < 9 {
                    value = value * 10 + Int(bytes[j] - 48)
                    j += 1
                    digits += 1
                }
                if digits > 0 { found.insert(value) }
                i = j
            } else {
                i += 1
            }
        }
        return found
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = lastIndex(where: { !isSpace($0) })!
        return String(self[start...end])
    }

    func trimmingCharactersSpace() -> String { trimmingWhitespace() }
}
