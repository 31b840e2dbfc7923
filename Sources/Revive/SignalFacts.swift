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
    public var codes: Set<String> {
        get { Set(codeList) }
        set { codeList = Array(newValue) }
    }
    /// The codes, each once, in the order they were read; the classifier matches on this list.
    /// A list, not a set: a set hashed every code it took (over a thousand instructions a code,
    /// with its storage allocated), and the classifier then listed the set again to compare codes.
    private(set) var codeList: [String] = []
    /// Every human text found, lower-cased and joined.
    public var text: String = ""
    /// Microsoft AADSTS numbers found in the codes or the text.
    public var aadstsCodes: Set<Int> {
        get { Set(aadstsList) }
        set { aadstsList = Array(newValue) }
    }
    /// The AADSTS numbers, each once, in the order found; the classifier matches on this list.
    /// A list, as `codeList`: a set's storage was hashed into on every Microsoft failure, and its
    /// first use in a process scanned every protocol conformance to check `Int: Hashable`.
    private(set) var aadstsList: [Int] = []
    /// The provider's `Retry-After` (or rate-limit reset), when it gave one as seconds.
    public var retryAfter: Span?
    /// The broker whose envelope was unwrapped, if any.
    public var unwrappedFrom: String?
    /// Scopes the provider said were needed (`scope=` or Slack's `needed`).
    public var neededScopes: [String] = []
    /// Whether GitHub-style rate-limit headers say the budget is spent.
    public var rateLimitExhausted = false

    /// Whether the human texts are read (and the AADSTS numbers looked for): only `codeList(of:)`
    /// skips them. Always true in facts anyone can hold, so it never tells two of them apart.
    private var readsText = true

    /// Reads the facts out of a signal.
    public init(_ signal: ProviderSignal) { self.init(signal, readingText: true) }

    /// Equal when every fact is; the codes as sets (the order they were read in is no fact).
    public static func == (a: SignalFacts, b: SignalFacts) -> Bool {
        a.status == b.status && a.codes == b.codes && a.text == b.text && a.aadstsCodes == b.aadstsCodes
            && a.retryAfter == b.retryAfter && a.unwrappedFrom == b.unwrappedFrom && a.neededScopes == b.neededScopes
            && a.rateLimitExhausted == b.rateLimitExhausted && a.readsText == b.readsText
    }

    private init(_ signal: ProviderSignal, readingText: Bool) {
        status = signal.status
        readsText = readingText
        if let error = signal.error { addCode(error) }
        if let description = signal.description { addText(description) }
        if let body = signal.body { read(body: body, depth: 0) }
        readHeaders(signal)
        if let after = signal.retryAfter { retryAfter = after }
        guard readingText else { return }
        for number in SignalFacts.aadstsNumberList(in: text) { addNumber(number) }
        for code in codeList {
            for number in SignalFacts.aadstsNumberList(in: code) { addNumber(number) }
        }
    }

    /// Notes an AADSTS number, each once (as a set holds it).
    private mutating func addNumber(_ number: Int) {
        if !aadstsList.contains(number) { aadstsList.append(number) }
    }

    /// The error codes `SignalFacts(signal).codes` holds, each once, in the order read, read
    /// without the texts: the simulated provider names a failure's code on its timeline line, and
    /// lower-casing and searching the texts it never prints was half of reading an enveloped
    /// failure (a set of them hashed every code into new storage only to be listed and sorted).
    public static func codeList(of signal: ProviderSignal) -> [String] { SignalFacts(signal, readingText: false).codeList }

    /// The wait `signal` asks for, as `SignalFacts(signal).retryAfter` reads it, without reading
    /// the body (which never sets it): the simulated provider notes it on every failed answer.
    public static func retryAfter(of signal: ProviderSignal) -> Span? {
        if let after = signal.retryAfter { return after }
        guard !signal.headers.isEmpty else { return nil }
        // The headers alone: the codes and texts never set the wait.
        var facts = SignalFacts(status: signal.status)
        facts.readsText = false
        facts.readHeaders(signal)
        return facts.retryAfter
    }

    /// Facts with the status only, read into by `retryAfter(of:)`.
    private init(status: Int) { self.status = status }

    private mutating func addCode(_ code: String) {
        let trimmed = code.trimmingWhitespace()
        guard !trimmed.isEmpty else { return }
        // Each code once, compared as a set compares its members (`==`).
        let code = trimmed.lowercasedFast()
        if !codeList.contains(code) { codeList.append(code) }
    }

    private mutating func addText(_ value: String) {
        guard readsText else { return }
        text += (text.isEmpty ? "" : " | ") + value.lowercasedFast()
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
        guard case .object(let members) = object else { return }
        // The members this reading looks at, found in one walk (`ObjectKeys`): asked for one by
        // one, some twenty names each walked the members, a string comparison per member, on
        // every failure the classifier read.
        let keys = ObjectKeys(members)
        func member(_ key: ObjectKeys.Key) -> JSONValue? { keys.value(key) }
        // Broker envelopes first: the inner provider error decides, not the wrapper's words.
        if let inner = member(.payload)?["dataMessage"] ?? member(.dataMessage) {
            unwrappedFrom = unwrappedFrom ?? "nango"
            read(body: inner, depth: depth + 1)
        }
        if case .string(let type)? = member(.type), type.hasSuffix("_error") || type.hasSuffix("_external_error") {
            addCode(type)
        }
        switch member(.error) {
        case .string(let code)?: addCode(code)
        case .object?:
            // Google APIs and Nango: {"error": {"code": 401, "status": "UNAUTHENTICATED", "message": …}}
            read(body: member(.error)!, depth: depth + 1)
        default: break
        }
        for key in ObjectKeys.codeKeys {
            if case .string(let code)? = member(key) { addCode(code) }
        }
        for key in ObjectKeys.textKeys {
            if case .string(let value)? = member(key) { addText(value) }
        }
        if case .array(let list)? = member(.errorCodes) {
            for item in list { if let n = item.integerValue { addNumber(Int(n)) } }
        }
        if case .array(let errors)? = member(.errors) {
            for item in errors { read(body: item, depth: depth + 1) }
        }
        if case .array(let details)? = member(.details) {
            for item in details { read(body: item, depth: depth + 1) }
        }
        // Scalekit reports a connected account's state rather than an error.
        if let account = member(.connectedAccountSnake) ?? member(.connectedAccountCamel) {
            if case .string(let state)? = account["status"] {
                unwrappedFrom = unwrappedFrom ?? "scalekit"
                addCode("connected_account_" + state)
            }
        }
        if case .string(let needed)? = member(.needed) {
            neededScopes.append(contentsOf: needed.split(separator: ",").map(String.init))
        }
        if case .object? = member(.responseMetadata) { read(body: member(.responseMetadata)!, depth: depth + 1) }
    }

    private mutating func readHeaders(_ signal: ProviderSignal) {
        guard !signal.headers.isEmpty else { return }
        // `signal.header(_:)`, with every name lower-cased once: asking for each of the five
        // headers lower-cased every name again, on every failure (seen in the catalogue's profile).
        // Names and values as two lists of strings, not one of pairs: a list of pairs was a type
        // built from its mangled name at the first failure with headers in every process.
        var (names, values) = ([String](), [String]())
        names.reserveCapacity(signal.headers.count)
        values.reserveCapacity(signal.headers.count)
        for (name, value) in signal.headers {
            names.append(name.lowercasedFast())
            values.append(value)
        }
        func header(_ name: String) -> String? { names.firstIndex(of: name).map { values[$0] } }
        if let value = header("retry-after"), let seconds = Int64(value.trimmingWhitespace()), seconds >= 0 {
            retryAfter = .seconds(seconds)
        } else if let value = header("retry-after"), let date = HTTPDate.parse(value),
                  let sent = header("date").flatMap(HTTPDate.parse) {
            // An HTTP-date is relative to the response's own Date header; the engine reads no clock.
            retryAfter = .seconds(max(0, date - sent))
        }
        if let remaining = header("x-ratelimit-remaining"), remaining.trimmingWhitespace() == "0" {
            rateLimitExhausted = true
            if retryAfter == nil, let reset = header("x-ratelimit-reset").flatMap({ Int64($0.trimmingWhitespace()) }),
               let sent = header("date").flatMap(HTTPDate.parse) {
                retryAfter = .seconds(max(0, reset - sent))
            }
        }
        if let challenge = header("www-authenticate") {
            let fields = SignalFacts.challengeFields(challenge)
            if let error = fields.error { addCode(error) }
            if let description = fields.description { addText(description) }
            if let scope = fields.scope { neededScopes.append(contentsOf: scope.split(separator: " ").map(String.init)) }
        }
    }

    /// The three parameters of a challenge the facts read.
    struct ChallengeFields: Equatable {
        var error: String?
        var description: String?
        var scope: String?
    }

    /// `challengeParameters(challenge)`'s `error`, `error_description` and `scope`, read without
    /// the dictionary: building one (its storage, and every key hashed in) cost some two
    /// thousand instructions a parameter, on every failure with a challenge.
    static func challengeFields(_ challenge: String) -> ChallengeFields {
        var fields = ChallengeFields()
        // The last of a name wins, as it does in the dictionary.
        forEachChallengeParameter(challenge) { key, value in
            switch key {
            case "error": fields.error = value
            case "error_description": fields.description = value
            case "scope": fields.scope = value
            default: break
            }
        }
        return fields
    }

    /// The `key="value"` parameters of a `WWW-Authenticate: Bearer …` challenge.
    ///
    /// By bytes when the challenge is ASCII without `\r` (then every byte is one character, and
    /// the answer is the same): walking it by characters cost tens of thousands of instructions a
    /// challenge in the explorer's profile.
    static func challengeParameters(_ challenge: String) -> [String: String] {
        var result: [String: String] = [:]
        forEachChallengeParameter(challenge) { key, value in result[key] = value }
        return result
    }

    /// Hands each `key="value"` parameter of a challenge to `body`, in order (a name may come
    /// twice), by bytes where `challengeParameters` reads by bytes; otherwise each parameter of
    /// `challengeParametersByCharacter`, once.
    static func forEachChallengeParameter(_ challenge: String, _ body: (String, String) -> Void) {
        let bytes = Array(challenge.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "\r") }) else {
            for (key, value) in challengeParametersByCharacter(challenge) { body(key, value) }
            return
        }
        func text(_ start: Int, _ end: Int) -> String { String(decoding: bytes[start..<end], as: UTF8.self) }
        var i = 0
        if let space = bytes.firstIndex(of: UInt8(ascii: " ")), !bytes[..<space].contains(UInt8(ascii: "=")) { i = space + 1 }
        while i < bytes.count {
            while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: ",") { i += 1 }
            guard let equals = bytes[i...].firstIndex(of: UInt8(ascii: "=")) else { break }
            let key = text(i, equals).trimmingWhitespace().lowercasedFast()
            i = equals + 1
            let value: String
            if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
                i += 1
                let end = bytes[i...].firstIndex(of: UInt8(ascii: "\"")) ?? bytes.count
                value = text(i, end)
                i = end < bytes.count ? end + 1 : end
            } else {
                let end = bytes[i...].firstIndex(of: UInt8(ascii: ",")) ?? bytes.count
                value = text(i, end).trimmingWhitespace()
                i = end
            }
            body(key, value)
        }
    }

    /// `challengeParameters`, character by character (any challenge).
    static func challengeParametersByCharacter(_ challenge: String) -> [String: String] {
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
    static func aadstsNumbers(in text: String) -> Set<Int> { Set(aadstsNumberList(in: text)) }

    /// The numbers that follow `AADSTS` in a text, each once, in the order found.
    static func aadstsNumberList(in text: String) -> [Int] {
        // On the text's own bytes when it is ASCII, where lower-casing is byte by byte: a
        // lower-cased copy and an array of it for every code and text showed in the profile.
        // (`lowercased()` may map a non-ASCII letter to an ASCII one, hence the ASCII condition.)
        // One pass: the ASCII check rides along the search (a walk of its own before it cost a
        // third of the search, on every code and text of every failure the classifier read).
        var ascii = text
        if let found = ascii.withUTF8({ aadstsNumbers(inLowercased: $0, folding: true) }) { return found }
        return Array(text.lowercased().utf8).withUnsafeBufferPointer { aadstsNumbers(inLowercased: $0, folding: false) } ?? []
    }

    /// The numbers after `aadsts` in `bytes`; with `folding`, ASCII letters match either case,
    /// and a byte past ASCII gives nil (the caller then lower-cases the text first).
    private static func aadstsNumbers(inLowercased bytes: UnsafeBufferPointer<UInt8>, folding: Bool) -> [Int]? {
        var found: [Int] = []
        let marker: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0x61, 0x61, 0x64, 0x73, 0x74, 0x73)  // a a d s t s
        let fold: UInt8 = folding ? 0x20 : 0
        var i = 0
        // Every byte the search passes over is looked at here first (a marker and its digits are ASCII).
        while i + 6 <= bytes.count {
            // Eight bytes at a time while none of them is past ASCII or an `a` (either case), the
            // only byte a marker starts with: texts are long and markers rare, and byte by byte the
            // search cost several instructions a byte of every text of every failure.
            if folding, i + 8 <= bytes.count, let base = bytes.baseAddress {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                if word & 0x8080_8080_8080_8080 != 0 { return nil }
                let x = (word | 0x2020_2020_2020_2020) ^ 0x6161_6161_6161_6161
                // The high bit of each byte that is an `a`: exact up to the first one (a borrow can
                // only mark bytes after a true one), and the first one is where the search goes on.
                let found = (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
                if found == 0 {
                    i += 8
                    continue
                }
                i += found.trailingZeroBitCount / 8
                if i + 6 > bytes.count { break }
            }
            if folding && bytes[i] >= 0x80 { return nil }
            // `| 0x20` lower-cases an ASCII letter and maps no other byte onto a lower-case letter.
            if bytes[i] | fold == marker.0, bytes[i + 1] | fold == marker.1, bytes[i + 2] | fold == marker.2,
               bytes[i + 3] | fold == marker.3, bytes[i + 4] | fold == marker.4, bytes[i + 5] | fold == marker.5 {
                var j = i + 6
                var value = 0
                var digits = 0
                while j < bytes.count, bytes[j] >= 48, bytes[j] <= 57, digits < 9 {
                    value = value * 10 + Int(bytes[j] - 48)
                    j += 1
                    digits += 1
                }
                if digits > 0 && !found.contains(value) { found.append(value) }
                i = j
            } else {
                i += 1
            }
        }
        // The last few bytes, too short for a marker, are checked all the same.
        while folding && i < bytes.count {
            if bytes[i] >= 0x80 { return nil }
            i += 1
        }
        return found
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    func trimmingWhitespace() -> String {
        // Codes and texts seldom have spaces at their ends: skip the walk over characters then.
        let isSpaceByte: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        let bytes = utf8
        if let first = bytes.first, !isSpaceByte(first), !isSpaceByte(bytes[bytes.index(bytes.endIndex, offsetBy: -1)]) { return String(self) }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = lastIndex(where: { !isSpace($0) })!
        return String(self[start...end])
    }

    func trimmingCharactersSpace() -> String { trimmingWhitespace() }
}
