import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// The digest chain of a JSONL record (docs/jsonl.md, "Proving a record whole").
///
/// Every record of a scenario's block (header, each transition, footer) carries a `digest`: the
/// SHA-256 of the previous record's digest, a newline, and the record's own compact text without
/// its `digest` member. The header starts from the empty string. So deleting, duplicating,
/// reordering or editing any record breaks the chain at the first record that no longer follows.
/// The chain has no key: it stops accidents and naive edits, not a forger, who can recompute it.
public enum RecordChain {
    /// The chain's name in a header's `chain` key.
    public static let algorithm = "sha256"

    /// The digest that `record` must carry when it follows a record whose digest is `previous`.
    public static func link(after previous: String, _ record: JSONValue) -> String {
        SHA256.hexDigest(previous + "\n" + unsealed(record).compactText)
    }

    /// The record with its `digest` member appended, and that digest (the next record's `previous`).
    public static func seal(_ record: JSONValue, after previous: String) -> (record: JSONValue, digest: String) {
        let digest = link(after: previous, record)
        guard case .object(let members) = unsealed(record) else { return (record, digest) }
        return (.object(members + [("digest", .string(digest))]), digest)
    }

    /// The record without its `digest` member: what the digest covers.
    static func unsealed(_ record: JSONValue) -> JSONValue {
        guard case .object(let members) = record else { return record }
        return .object(members.filter { $0.key != "digest" })
    }
}
