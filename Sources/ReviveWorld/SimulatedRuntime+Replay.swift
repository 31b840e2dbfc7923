import Revive
import ReviveVocabulary

/// The replayed prefix (format 2, LangGraph): `Command(resume)` re-runs the interrupted node from
/// its start, so every call it made before `interrupt()` happens again before `interrupt()`
/// returns the resume value (measured on LangGraph 1.2.22: the failing send was attempted again).
///
/// With Revive the node asks for its lease again, so the replayed call carries the rotated
/// generation. Without Revive the node still holds the credential it called with, so the replay
/// calls the dead grant again; the provider refuses it, `interrupt()` hands back the resume value
/// (the reconnected grant), and the node calls once more with that.
extension SimulatedRuntime {
    /// The node just resumed by `Command(resume)` replays its prefix: its first call says so, and
    /// without Revive it carries the credential the interrupted attempt held.
    func markPrefixReplay() {
        guard measuredLangGraph, let held = interruptedPrefix, case .running(let id) = runState else { return }
        interruptedPrefix = nil
        attempts.update(id) { $0.replaysPrefix = true }
        if world.mode == .withoutRevive { attempts.update(id) { $0.prefixLease = held } }
    }

    /// The lease a call carries and the facts it adds: the first call of a resumed node is the
    /// replayed prefix (`replay=prefix`), with the held credential when the node kept one; the call
    /// after a refused replay uses the resume value (`after=interrupt()`). Consumes the marks.
    func replayCredential(_ attempt: inout Attempt, lease: Lease) -> (lease: Lease, notes: [Transition.Note], held: Bool) {
        if attempt.afterInterrupt {
            attempt.afterInterrupt = false
            return (lease, [.init("after", "interrupt()")], false)
        }
        guard attempt.replaysPrefix else { return (lease, [], false) }
        attempt.replaysPrefix = false
        guard let held = attempt.prefixLease else { return (lease, [.init("replay", "prefix")], false) }
        attempt.prefixLease = nil
        return (held, [.init("replay", "prefix")], true)
    }

    /// The provider answered the replayed call. A refusal is the node's own business: it reaches
    /// `interrupt()`, which now returns the resume value, and the node calls again (true: handled).
    /// A success is the call's answer like any other (false).
    func replayAnswered(_ id: Int, failure: ProviderSignal?) -> Bool {
        attempts.update(id) { $0.replayCall = nil }
        guard case .some = failure else { return false }
        attempts.update(id) { $0.afterInterrupt = true }
        world.queue.schedule(.phase(attempt: id, .call), at: now)
        return true
    }
}
