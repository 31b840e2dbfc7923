import ReviveVocabulary

// The checker's table values: named structs, not tuples, whose types the runtime built from their
// mangled names the first time each walk ran in a process (a cold `run` paid for every one).

/// A step's idempotency key, and where it was first seen.
struct KeyAt {
    let key: String
    let index: Int
}

/// The identity a connection was pinned to, and where.
struct PinnedIdentity {
    let subject: String
    let tenant: String
    let index: Int
}

/// A capability as it was issued: its case, when it expires, and where.
struct IssuedCapability {
    let caseID: String?
    let expires: Instant?
    let index: Int
}

/// The capability that completed a case, and where.
struct CapabilityAt {
    let capability: String
    let index: Int
}

/// A lease generation (rotated to, or classified dead), and where.
struct GenerationAt {
    let generation: Int
    let index: Int
}

/// An opened case: its connection, the identity it waits for, and where it opened.
struct OpenCase {
    let connection: String
    let subject: String
    let tenant: String
    let index: Int
}
