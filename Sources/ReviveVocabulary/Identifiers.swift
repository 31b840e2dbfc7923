/// Strong types for the raw strings and numbers the recovery contract joins together.
///
/// Each wraps one value so that a run id can never be passed where a connection id is expected.

/// The stable id of one logical workflow run (a LangGraph thread, a Temporal workflow id).
public struct RunID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The id as the runtime spells it.
    public let rawValue: String
    /// Wraps a runtime's run id.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (a: RunID, b: RunID) -> Bool { a.rawValue < b.rawValue }
}

/// One owner's authorization at one provider.
public struct ConnectionID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The id as the credential provider spells it.
    public let rawValue: String
    /// Wraps a provider connection id.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (a: ConnectionID, b: ConnectionID) -> Bool { a.rawValue < b.rawValue }
}

/// The key of one action (a step's provider call) inside a run; stable across attempts.
public struct ActionKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The action's name, usually the step id.
    public let rawValue: String
    /// Wraps an action key.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (a: ActionKey, b: ActionKey) -> Bool { a.rawValue < b.rawValue }
}

/// A worker process of the runtime.
public struct WorkerID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The worker's name.
    public let rawValue: String
    /// Wraps a worker name.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (a: WorkerID, b: WorkerID) -> Bool { a.rawValue < b.rawValue }
}

/// The id of a durable recovery case.
public struct CaseID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The case id, drawn from the injected identifier source.
    public let rawValue: String
    /// Wraps a case id.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (a: CaseID, b: CaseID) -> Bool { a.rawValue < b.rawValue }
}

/// The public id of a recovery capability (never its secret value).
public struct CapabilityID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The capability id, safe to print.
    public let rawValue: String
    /// Wraps a capability id.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (a: CapabilityID, b: CapabilityID) -> Bool { a.rawValue < b.rawValue }
}

/// The id of one credential lease handed to one worker.
public struct LeaseID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The lease id, safe to print.
    public let rawValue: String
    /// Wraps a lease id.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (a: LeaseID, b: LeaseID) -> Bool { a.rawValue < b.rawValue }
}

/// The idempotency key of an action: derived from run id and action key, stable for the run's life.
public struct IdempotencyKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The key as sent to the provider.
    public let rawValue: String
    /// Derives the key for an action of a run; the same inputs always give the same key.
    public init(run: RunID, action: ActionKey) {
        // Written byte by byte into a string made once at its size: interpolation grew it piece
        // by piece, and appending to a reserved string still cost over a thousand instructions a
        // key, on every engine call of every step (seen in the catalogue's profile).
        var (run, action) = (run.rawValue, action.rawValue)
        let prefix: StaticString = "idem-"
        let count = prefix.utf8CodeUnitCount + run.utf8.count + 1 + action.utf8.count
        rawValue = run.withUTF8 { run in
            action.withUTF8 { action in
                String(unsafeUninitializedCapacity: count) { key in
                    guard let start = key.baseAddress else { return 0 }
                    var end = start
                    func put(_ bytes: UnsafeBufferPointer<UInt8>) {
                        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
                        end.update(from: source, count: bytes.count)
                        end += bytes.count
                    }
                    put(UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
                    put(run)
                    end.pointee = UInt8(ascii: "-")
                    end += 1
                    put(action)
                    return end - start
                }
            }
        }
    }
    /// Wraps a key read back from a record.
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (a: IdempotencyKey, b: IdempotencyKey) -> Bool { a.rawValue < b.rawValue }
}

/// A connection's credential generation: 1, 2, 3 … and never backwards.
public struct LeaseGeneration: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The generation number, starting at 1.
    public private(set) var value: Int
    /// The generation every connection starts at.
    public static let first = LeaseGeneration(value: 1)
    private init(value: Int) { self.value = value }
    /// Reads a generation back from a record; generations start at 1.
    public init?(recorded value: Int) {
        guard value >= 1 else { return nil }
        self.value = value
    }
    /// The only way forward: the generation after this one.
    public func next() -> LeaseGeneration { LeaseGeneration(value: value + 1) }
    public var description: String { String(value) }
    public static func < (a: LeaseGeneration, b: LeaseGeneration) -> Bool { a.value < b.value }
}

/// A provider subject plus tenant: who a connection belongs to, pinned when it is made.
public struct ProviderIdentity: Hashable, Sendable, CustomStringConvertible {
    /// The stable subject (Entra `oid`, Google `sub`, Slack user id, GitHub numeric id …).
    public let subject: String
    /// The tenant or org (Entra `tid`, Google `hd`, Slack team id, Salesforce org id …).
    public let tenant: String
    /// Makes an identity from its two parts.
    public init(subject: String, tenant: String) {
        self.subject = subject
        self.tenant = tenant
    }
    public var description: String { "\(subject)@\(tenant)" }
}
