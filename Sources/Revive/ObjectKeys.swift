// The members of a signal's JSON object that `SignalFacts` reads (see `SignalFacts.readObject`).

/// Where the first member of each name `SignalFacts` reads sits in one JSON object's member
/// list, found in one walk of the members.
///
/// Asked for by name one at a time, the twenty-odd names each walked the whole member list, a
/// string comparison per member, on every failure the classifier read. Here each member's name is
/// matched once, against the few names of its byte count (no name read here has `K`, `;` or
/// `` ` ``, the only ASCII characters with a non-ASCII singleton spelling, so only a string of
/// the same bytes can equal one). The first member of a name wins, as `JSONValue`'s subscript
/// finds it. The places sit in three words, a byte each: no allocation per object.
struct ObjectKeys {
    /// A member name that `SignalFacts` reads.
    enum Key: Int, CaseIterable {
        case payload, dataMessage, type, error, code, errorCodeCamel, errorCodeSnake, status, reason, subcode
        case errorDescription, message, description, detail, errorMessage, errorCodes, errors, details
        case connectedAccountSnake, connectedAccountCamel, needed, responseMetadata

        /// The member's name in the JSON.
        var name: String {
            switch self {
            case .payload: return "payload"
            case .dataMessage: return "dataMessage"
            case .type: return "type"
            case .error: return "error"
            case .code: return "code"
            case .errorCodeCamel: return "errorCode"
            case .errorCodeSnake: return "error_code"
            case .status: return "status"
            case .reason: return "reason"
            case .subcode: return "subcode"
            case .errorDescription: return "error_description"
            case .message: return "message"
            case .description: return "description"
            case .detail: return "detail"
            case .errorMessage: return "error_message"
            case .errorCodes: return "error_codes"
            case .errors: return "errors"
            case .details: return "details"
            case .connectedAccountSnake: return "connected_account"
            case .connectedAccountCamel: return "connectedAccount"
            case .needed: return "needed"
            case .responseMetadata: return "response_metadata"
            }
        }

        /// The key a member name is, if it is one: tried against the few names of its byte count.
        /// A switch, where a table of the names by count was built at the first failure of every
        /// process (its array types made from their mangled names: thirty thousand instructions).
        static func named(_ name: String) -> Key? {
            switch name.utf8.count {
            case 4: return first(name, .type, .code)
            case 5: return first(name, .error)
            case 6: return first(name, .status, .reason, .detail, .errors, .needed)
            case 7: return first(name, .payload, .subcode, .message, .details)
            case 9: return first(name, .errorCodeCamel)
            case 10: return first(name, .errorCodeSnake)
            case 11: return first(name, .dataMessage, .description, .errorCodes)
            case 13: return first(name, .errorMessage)
            case 16: return first(name, .connectedAccountCamel)
            case 17: return first(name, .errorDescription, .connectedAccountSnake, .responseMetadata)
            default: return nil
            }
        }

        /// The first of the keys whose name is `name` (`ColdStartTableTests` holds `named` to a search of every name).
        private static func first(_ name: String, _ a: Key, _ b: Key? = nil, _ c: Key? = nil, _ d: Key? = nil,
                                  _ e: Key? = nil) -> Key? {
            if a.name == name { return a }
            if let b, b.name == name { return b }
            if let c, c.name == name { return c }
            if let d, d.name == name { return d }
            if let e, e.name == name { return e }
            return nil
        }
    }

    /// The members that carry an error code, and those that carry text, in reading order.
    static let codeKeys: [Key] = [.code, .errorCodeCamel, .errorCodeSnake, .status, .reason, .subcode]
    static let textKeys: [Key] = [.errorDescription, .message, .description, .detail, .errorMessage]

    /// A byte per key: 0 when no member has its name, else the first such member's place plus one.
    private var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
    /// The members, for a name whose first member lies past the 254th (a byte cannot hold its place).
    private let members: [(key: String, value: JSONValue)]

    /// The places of `members`' names.
    init(_ members: [(key: String, value: JSONValue)]) {
        self.members = members
        for index in members.indices {
            guard let key = Key.named(members[index].key), byte(key.rawValue) == 0 else { continue }
            setByte(key.rawValue, UInt64(min(index + 1, 255)))
        }
    }

    /// The value of the first member named `key`, if any.
    func value(_ key: Key) -> JSONValue? {
        let found = byte(key.rawValue)
        if found == 0 { return nil }
        if found < 255 { return members[Int(found) - 1].value }
        // Past the bytes' reach: found by name, as the subscript does.
        return members.first { $0.key == key.name }?.value
    }

    private func byte(_ slot: Int) -> UInt64 {
        let shift = UInt64(slot % 8 * 8)
        switch slot / 8 {
        case 0: return words.0 >> shift & 0xFF
        case 1: return words.1 >> shift & 0xFF
        default: return words.2 >> shift & 0xFF
        }
    }

    private mutating func setByte(_ slot: Int, _ value: UInt64) {
        let shift = UInt64(slot % 8 * 8)
        switch slot / 8 {
        case 0: words.0 |= value << shift
        case 1: words.1 |= value << shift
        default: words.2 |= value << shift
        }
    }
}
