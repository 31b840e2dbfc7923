import Revive
import ReviveVocabulary

/// The part of the simulated provider's state that outlives one play and that plays in other
/// processes may share: whether a grant is alive, which token pair is current (each refresh token
/// redeemable once), and the effects applied by idempotency key. Everything else the provider
/// keeps (armed faults, in-flight requests, dedupe memory, the signal a grant died with) stays
/// local to one play. Every ordinary play uses `LocalProviderLedger`; `stress` keeps one in its
/// database, so its races are real.
public protocol ProviderLedger: AnyObject {
    /// Whether the connection's grant is alive (a fresh connection's is).
    func isGrantAlive(_ connection: ConnectionID) -> Bool
    /// Revokes (false) or restores (true, a reconnect installed a new grant) the grant.
    func setGrantAlive(_ alive: Bool, of connection: ConnectionID)
    /// The lease generation of the current token pair (1 for a fresh connection).
    func tokenGeneration(of connection: ConnectionID) -> Int
    /// A new token pair at `generation` replaces the current one (a reconnect, or another holder's refresh).
    func issueTokens(of connection: ConnectionID, generation: Int)
    /// Redeems the refresh token of `generation` for a pair at `next`; false when it was already
    /// spent by a newer refresh (refresh tokens are single use).
    func redeemRefreshToken(of connection: ConnectionID, generation: Int, next: Int) -> Bool
    /// A mutation took effect at the provider under `key`.
    func recordEffect(key: IdempotencyKey, run: RunID)
    /// How many times an effect with `key` took effect.
    func effectCount(key: IdempotencyKey) -> Int
}

/// The provider's shared state in memory: one play's alone.
public final class LocalProviderLedger: ProviderLedger {
    // Unchecked: one play's alone (above), on one thread, and no access to these overlaps
    // another; the runtime's exclusivity checks showed in the catalogue's profile.
    /// The connections whose grant is dead, in a plain list walked like `SmallTable`'s keys: a
    /// play revokes a handful at most, and the first revoke allocated the table's two buffers.
    @exclusivity(unchecked) private var dead: [ConnectionID] = []
    @exclusivity(unchecked) private var generations = SmallTable<ConnectionID, Int>()
    @exclusivity(unchecked) private var effects = SmallTable<IdempotencyKey, Int>()

    /// An empty ledger: every grant alive, every token pair at generation 1, no effect.
    public init() {}

    public func isGrantAlive(_ connection: ConnectionID) -> Bool { !dead.contains(connection) }

    public func setGrantAlive(_ alive: Bool, of connection: ConnectionID) {
        if let index = dead.firstIndex(of: connection) {
            if alive { dead.remove(at: index) }
        } else if !alive {
            dead.append(connection)
        }
    }

    public func tokenGeneration(of connection: ConnectionID) -> Int { generations[connection] ?? 1 }

    public func issueTokens(of connection: ConnectionID, generation: Int) { generations[connection] = generation }

    public func redeemRefreshToken(of connection: ConnectionID, generation: Int, next: Int) -> Bool {
        guard generation >= tokenGeneration(of: connection) else { return false }
        generations[connection] = next
        return true
    }

    public func recordEffect(key: IdempotencyKey, run: RunID) {
        if effects.index(forKey: key) == nil { effects[key] = 1 } else { effects.update(key) { $0 += 1 } }
    }

    public func effectCount(key: IdempotencyKey) -> Int { effects[key] ?? 0 }
}

/// What a `stress` play shares with the plays of other processes beyond the engine's store: the
/// provider's ledger, the owners' and operators' inbox, and the state of cases other processes
/// may resolve. Nil in every ordinary play, which then behaves exactly as before.
public protocol SharedPlayWorld: AnyObject {
    /// The provider's state, shared by every play on the same connections.
    var ledger: ProviderLedger { get }
    /// A request the engine sent, delivered to the shared inbox as well as to the play's own.
    func post(_ request: ReconnectRequest)
    /// The latest request for `connection` in the shared inbox, from any process (only requests
    /// to `responder` when one is given).
    func latestRequest(for connection: ConnectionID, responder: Responder?) -> ReconnectRequest?
    /// Called when a play has nothing left to do but its run is parked on `caseID`: whether the
    /// case has left awaiting a reconnect (another process resolved it), so the run resumes. It may
    /// wait a bounded while for that (the worker process polls; the engine never waits).
    func caseWasResolved(_ caseID: CaseID) -> Bool
    /// What an operator finds at the provider about the action of `caseID`: whether it took
    /// effect (nil: the case has no such action). Under `stress` the latest alert may be another
    /// run's, about which the scenario's own `happened` says nothing, so the operator checks.
    func operatorFinds(_ caseID: CaseID) -> Bool?
    /// Runs `body`, which rotates the connection's generation in one decision (a reconnect, another
    /// holder's refresh), while no refresh of it is between its redemption and its rotation. The
    /// engine survives such an overtaken refresh (it reloads the current lease), but the provider
    /// would then hold the refresh's token pair under the reconnect's generation: the lock stands
    /// for the broker's own serialization of one connection's credential.
    func whileNoRefreshRotates<T>(_ connection: ConnectionID, _ body: () -> T) -> T
}
