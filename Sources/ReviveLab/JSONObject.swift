import Revive

/// The members of a checked object, looked up by key: what `JSONReader.object` returns.
///
/// It was a `[String: JSONValue]` built for every object of a scenario; hashing each key into it,
/// and again on every lookup, was most of building a scenario (callgrind). Objects are small (a
/// dozen keys at most), so scanning the members, comparing lengths before bytes, is cheaper, and
/// when every key is allowed (as in any file that loads) the document's own member list is kept.
struct JSONObject {
    /// The allowed members, in document order.
    let members: [(key: String, value: JSONValue)]

    /// The value of `key`, or nil.
    subscript(key: String) -> JSONValue? {
        // From the end: were a key there twice (the parser refuses that, a built value may not),
        // the last one wins, as it did when the members were stored into a dictionary.
        members.withUnsafeBufferPointer { members in
            var index = members.count
            while index > 0 {
                index -= 1
                if JSONObject.same(members[index].key, key) { return members[index].value }
            }
            return nil
        }
    }

    /// Whether `key` is one of `keys`.
    static func contains(_ keys: [String], _ key: String) -> Bool {
        for candidate in keys where same(candidate, key) { return true }
        return false
    }

    /// String equality, as a dictionary's: canonically equivalent spellings ("é" as one code
    /// point or as "e" and a combining accent) are one key. Comparing byte counts first would
    /// tell them apart, so it is not done.
    @inline(__always)
    static func same(_ a: String, _ b: String) -> Bool {
        a == b
    }
}
