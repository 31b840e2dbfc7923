/// Who acted in a timeline transition: one of the parties of the recovery contract, or a worker.
///
/// The raw values are the spellings timelines use. Any other spelling is a worker's name (the
/// scenario loader refuses workers named like a party, so the two never collide).
public enum Actor: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
    /// The recovery engine.
    case revive
    /// The credential provider (or the broker in front of it).
    case provider
    /// The durable runtime (LangGraph, Temporal).
    case runtime
    /// The account owner, answering a reconnect request.
    case owner
    /// An operator of the integration, answering an alert.
    case `operator`
    /// The lab itself, injecting a scenario's fault.
    case lab
    /// A worker process of the runtime, by name.
    case worker(WorkerID)

    /// The parties' spellings, which no worker may take.
    public static let partyNames: Set<String> = ["revive", "provider", "runtime", "owner", "operator", "lab"]

    /// The actor spelt `rawValue`: a party, or else a worker of that name.
    public init(rawValue: String) {
        switch rawValue {
        case "revive": self = .revive
        case "provider": self = .provider
        case "runtime": self = .runtime
        case "owner": self = .owner
        case "operator": self = .operator
        case "lab": self = .lab
        default: self = .worker(WorkerID(rawValue))
        }
    }

    /// The actor's spelling in timelines.
    public var rawValue: String {
        switch self {
        case .revive: return "revive"
        case .provider: return "provider"
        case .runtime: return "runtime"
        case .owner: return "owner"
        case .operator: return "operator"
        case .lab: return "lab"
        case .worker(let worker): return worker.rawValue
        }
    }

    public var description: String { rawValue }

    // Written out rather than synthesized so that other modules can inline them (see TransitionName).
    @inlinable
    public static func == (a: Actor, b: Actor) -> Bool {
        switch (a, b) {
        case (.worker(let x), .worker(let y)): return x == y
        case (.worker, _), (_, .worker): return false
        default: return a.ordinal == b.ordinal
        }
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
        if case .worker(let worker) = self { hasher.combine(worker) } else { hasher.combine(ordinal) }
    }

    /// The position of a party in the declaration (-1 for a worker).
    @usableFromInline
    var ordinal: Int {
        switch self {
        case .revive: return 0
        case .provider: return 1
        case .runtime: return 2
        case .owner: return 3
        case .operator: return 4
        case .lab: return 5
        case .worker: return -1
        }
    }
}
