import Revive
import ReviveVocabulary

/// A scenario file, loaded and checked: everything the player needs, with defaults filled in.
public struct Scenario: Sendable {
    /// The file it came from, as given on the command line.
    public var file: String
    /// The scenario's name (lower-case words and dashes).
    public var name: String
    /// The story, in a sentence or two.
    public var description: String
    /// The one source of every choice the lab makes.
    public var seed: UInt64
    /// The simulated runtime.
    public var runtime: RuntimeSpec
    /// The engine's limits.
    public var recovery: RecoveryConfiguration
    /// The latest virtual time the player runs to.
    public var horizon: Span
    /// The connections, in file order.
    public var connections: [ConnectionSpec]
    /// The workflow and its run.
    public var workflow: WorkflowSpec
    /// What breaks, and where.
    public var faults: [FaultSpec]
    /// What people and other systems do.
    public var events: [EventSpec]
    /// What CI checks.
    public var expect: Expectations
    /// The document it was loaded from (embedded in JSONL headers so a record can be replayed).
    public var source: JSONValue

    /// Makes one from its parts.
    public init(file: String, name: String, description: String, seed: UInt64, runtime: RuntimeSpec, recovery: RecoveryConfiguration, horizon: Span, connections: [ConnectionSpec], workflow: WorkflowSpec, faults: [FaultSpec], events: [EventSpec], expect: Expectations, source: JSONValue) {
        // Each step's and fault's connection id held in its connection's own string (equal ids):
        // ids read apart from the document are separate buffers, and each lookup of a lease's
        // connection (the provider's table, the engine's rows) compared them character by
        // character, where one buffer compares as one word. Edited before they are stored: edited
        // in `self`, the whole scenario was copied and destroyed once more (some 900 instructions).
        // Only an id held apart is written: writing one already held so (every id the loader
        // reads) copied the whole list of steps (or faults), shared with the caller's.
        var workflow = workflow
        for index in workflow.steps.indices {
            if let id = workflow.steps[index].connection, let shared = Self.sharedIfApart(id, in: connections) {
                workflow.steps[index].connection = shared
            }
        }
        var faults = faults
        for index in faults.indices {
            if let id = faults[index].connection, let shared = Self.sharedIfApart(id, in: connections) { faults[index].connection = shared }
        }
        self.file = file
        self.name = name
        self.description = description
        self.seed = seed
        self.runtime = runtime
        self.recovery = recovery
        self.horizon = horizon
        self.connections = connections
        self.workflow = workflow
        self.faults = faults
        self.events = events
        self.expect = expect
        self.source = source
    }

    /// `id` as the scenario's connection of that id holds it (`id` itself when none does). The
    /// same bytes, not only an equal string: a canonically equivalent spelling (a Kelvin sign for
    /// a K) is the same id to every comparison, but timelines print the reference's own spelling.
    /// Nil when `id` is to be kept as it is: held already as that connection holds it (the same
    /// words: a small string's bytes, or the same buffer), or no connection has its bytes.
    private static func sharedIfApart(_ id: ConnectionID, in connections: [ConnectionSpec]) -> ConnectionID? {
        for index in connections.indices where sameBytes(connections[index].id.rawValue, id.rawValue) {
            return sameWords(connections[index].id.rawValue, id.rawValue) ? nil : connections[index].id
        }
        return nil
    }

    /// Whether `a` and `b` are the same two words: the same String, which then has one spelling.
    /// (Sound for any two strings: unequal words only mean the id is written, as it always was.)
    private static func sameWords(_ a: String, _ b: String) -> Bool {
        guard MemoryLayout<String>.size == 16 else { return false }
        return unsafeBitCast(a, to: (UInt64, UInt64).self) == unsafeBitCast(b, to: (UInt64, UInt64).self)
    }

    /// Whether `a` and `b` are spelt with the same UTF-8 bytes: lengths first, then the bytes lent
    /// in place. The generic `elementsEqual` on two UTF-8 views cost some 1,150 instructions an id
    /// (136,000 of a cold `run` of the shipped scenarios).
    private static func sameBytes(_ a: String, _ b: String) -> Bool {
        if sameWords(a, b) { return true }
        guard a.utf8.count == b.utf8.count else { return false }
        let same = a.utf8.withContiguousStorageIfAvailable { a in
            b.utf8.withContiguousStorageIfAvailable { b in
                for offset in 0..<a.count where a[offset] != b[offset] { return false }
                return true
            }
        }
        // Bytes not at hand (a bridged string): compared as a sequence.
        return same.flatMap { $0 } ?? a.utf8.elementsEqual(b.utf8)
    }
}

/// Which runtime's vocabulary and habits the simulation uses.
public enum RuntimeKind: String, Sendable, CaseIterable {
    case langgraph, temporal
}

/// `runtime`: the workers and their limits.
public struct RuntimeSpec: Sendable {
    /// The vocabulary.
    public var kind: RuntimeKind
    /// Workers alive at the start; the run starts on the first.
    public var workers: [WorkerID]
    /// How long a silent worker has before it is declared lost (default 1m).
    public var heartbeatTimeout: Span
    /// How long a worker waits for a provider's answer before it gives up (default 30s).
    public var callTimeout: Span
    /// The runtime-wide retry policy.
    public var retry: RetryPolicy?
    /// The file's format and the behaviours it chooses (durability, activity timeouts).
    public var model: RuntimeModel

    /// Makes one from its parts.
    public init(kind: RuntimeKind, workers: [WorkerID], heartbeatTimeout: Span, callTimeout: Span, retry: RetryPolicy? = nil,
                model: RuntimeModel = .formatOne) {
        self.kind = kind
        self.workers = workers
        self.heartbeatTimeout = heartbeatTimeout
        self.callTimeout = callTimeout
        self.retry = retry
        self.model = model
    }
}

/// `connections[]`: one owner's authorization at one provider.
public struct ConnectionSpec: Sendable {
    public var id: ConnectionID
    public var provider: ProviderKind
    public var broker: BrokerKind
    public var owner: String
    public var subject: String
    public var tenant: String
    public var scopes: [String]
    /// How long an access token lives (default 1h).
    public var accessTokenTTL: Span
    /// The integration-level retry policy (between the step's and the workflow's).
    public var retry: RetryPolicy?
    /// How the provider treats idempotency keys and how late it may still apply a request.
    public var idempotency: IdempotencyPromise

    /// Makes one from its parts.
    public init(id: ConnectionID, provider: ProviderKind, broker: BrokerKind, owner: String, subject: String, tenant: String, scopes: [String], accessTokenTTL: Span, retry: RetryPolicy? = nil,
                idempotency: IdempotencyPromise = IdempotencyPromise()) {
        self.id = id
        self.provider = provider
        self.broker = broker
        self.owner = owner
        self.subject = subject
        self.tenant = tenant
        self.scopes = scopes
        self.accessTokenTTL = accessTokenTTL
        self.retry = retry
        self.idempotency = idempotency
    }
}

/// What a step does to the remote world.
public enum StepEffect: String, Sendable, CaseIterable {
    case none, read, mutation
}

/// `workflow.steps[]`.
public struct StepSpec: Sendable {
    public var id: ActionKey
    public var connection: ConnectionID?
    public var effect: StepEffect
    /// Virtual time the call takes (default 100ms).
    public var duration: Span
    public var retry: RetryPolicy?
    /// (format 2, Temporal) this activity's own timeouts, over the runtime's.
    public var timeouts: ActivityTimeouts

    /// Makes one from its parts.
    public init(id: ActionKey, connection: ConnectionID? = nil, effect: StepEffect, duration: Span, retry: RetryPolicy? = nil,
                timeouts: ActivityTimeouts = ActivityTimeouts()) {
        self.id = id
        self.connection = connection
        self.effect = effect
        self.duration = duration
        self.retry = retry
        self.timeouts = timeouts
    }
}

/// `workflow`: the steps and the run.
public struct WorkflowSpec: Sendable {
    public var name: String
    public var run: RunID
    public var steps: [StepSpec]
    /// The workflow-level retry policy (between the connection's and the runtime's).
    public var retry: RetryPolicy?

    /// Makes one from its parts.
    public init(name: String, run: RunID, steps: [StepSpec], retry: RetryPolicy? = nil) {
        self.name = name
        self.run = run
        self.steps = steps
        self.retry = retry
    }
}

/// A moment inside one attempt of a step.
public enum StepPoint: String, Sendable, CaseIterable {
    case beforeCall = "before-call"
    case afterEffect = "after-effect"
    case afterCommit = "after-commit"
    case afterCheckpoint = "after-checkpoint"
}

/// Where a fault strikes.
public enum FaultTrigger: Sendable {
    /// At a point of a step's attempt.
    case step(id: ActionKey, point: StepPoint, attempt: Int)
    /// At a virtual time.
    case time(Instant)
}

/// The kinds of fault the lab injects.
public enum FaultKind: String, Sendable, CaseIterable {
    case revokeGrant = "revoke-grant"
    case expireAccessToken = "expire-access-token"
    case providerError = "provider-error"
    case loseResponse = "lose-response"
    case dropRequest = "drop-request"
    case crashWorker = "crash-worker"
    case stallWorker = "stall-worker"
    /// Another worker sharing the connection refreshes it just before this call lands (a refresh race).
    case refreshElsewhere = "refresh-elsewhere"
    /// The provider applies the call in flight (or the next one) `by` after its declared bound:
    /// the provider breaks its promise, which the checker reports apart from engine breaches.
    case lateApply = "late-apply"
    /// The next `count` lookups by idempotency key on the connection are refused (or time out).
    case lookupError = "lookup-error"
    /// Revive's shared store cannot be reached for `for`: the engine journals locally and drains after.
    case storeUnavailable = "store-unavailable"
    /// The runtime's durable engine cannot be reached for `for`: reads and local steps run locally.
    case runtimeUnavailable = "runtime-unavailable"

    /// Whether the fault strikes a worker (otherwise a connection, unless it strikes neither).
    public var targetsWorker: Bool { self == .crashWorker || self == .stallWorker }
    /// Whether the fault takes a durable side away (Revive's store, the runtime's engine) rather
    /// than striking a connection or a worker.
    public var isOutage: Bool { self == .storeUnavailable || self == .runtimeUnavailable }
}

/// `faults[]`.
public struct FaultSpec: Sendable {
    public var at: FaultTrigger
    public var kind: FaultKind
    /// The connection struck (step faults: the step's connection).
    public var connection: ConnectionID?
    /// The worker struck (step faults: the worker running the step).
    public var worker: WorkerID?
    public var signal: ProviderSignal?
    /// How many calls a provider error affects (default 1).
    public var count: Int
    /// How long a stall lasts.
    public var stallFor: Span?
    /// How long after its bound a late apply lands.
    public var lateBy: Span?
    /// How long an outage (`store-unavailable`, `runtime-unavailable`) lasts.
    public var lasting: Span?
    /// A late-apply's `by` when the file gives none.
    public static let defaultLateBy = Span.minutes(1)

    /// Makes one from its parts.
    public init(at: FaultTrigger, kind: FaultKind, connection: ConnectionID? = nil, worker: WorkerID? = nil, signal: ProviderSignal? = nil, count: Int, stallFor: Span? = nil, lateBy: Span? = nil,
                lasting: Span? = nil) {
        self.lasting = lasting
        self.at = at
        self.kind = kind
        self.connection = connection
        self.worker = worker
        self.signal = signal
        self.count = count
        self.stallFor = stallFor
        self.lateBy = lateBy
    }
}

/// When an event fires.
public enum EventTrigger: Sendable {
    case at(Instant)
    /// The first occurrence of a transition, plus a delay.
    case on(transition: TransitionName, after: Span)
}

/// What an event does.
public enum EventAction: Sendable {
    case reconnect(connection: ConnectionID, subject: String, tenant: String)
    case reuseCapability(connection: ConnectionID)
    case startWorker(WorkerID)
    case reviveWorker(WorkerID)
    /// (format 2, LangGraph) someone calls `invoke(None)` on the thread: a thread that gave up
    /// after its retries runs its node again with a fresh budget.
    case resumeThread
    /// An operator fixed the configuration or policy and confirms with the alert's capability.
    case operatorFix(connection: ConnectionID)
    /// An operator says whether an action whose outcome was unknown happened, with the alert's capability.
    case operatorConfirm(connection: ConnectionID, happened: Bool)
}

/// `events[]`.
public struct EventSpec: Sendable {
    public var trigger: EventTrigger
    public var action: EventAction

    /// Makes one from its parts.
    public init(trigger: EventTrigger, action: EventAction) {
        self.trigger = trigger
        self.action = action
    }
}

/// How a run ended.
public enum Outcome: String, Sendable, CaseIterable {
    case completed, parked, failed
}

/// `expect`: what CI checks besides the invariants.
public struct Expectations: Sendable {
    public var outcome: Outcome?
    public var classification: FailureClass?
    public var effects: [(step: ActionKey, count: Int)]?
    public var timeline: [TransitionName]?
    public var absent: [TransitionName]?
    public var rejected: Int?
    public var fenced: Int?
    /// The invariants to check; nil means all of them.
    public var invariants: [Invariant]?
    /// The promises the provider is meant to break (a `late-apply` fault); any other provider
    /// breach fails the scenario, and each one named here must happen.
    public var providerBreaches: [ProviderBreachKind]?

    /// No expectations: only the invariants are checked.
    public init() {}
}
