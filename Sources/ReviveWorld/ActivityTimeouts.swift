import ReviveVocabulary

/// A Temporal activity's timeouts (format 2): set on `runtime` for every activity, or on a step
/// for its own activity, key by key over the runtime's. Temporal has no default for any of them,
/// and an activity needs a start-to-close or a schedule-to-close timeout.
public struct ActivityTimeouts: Sendable, Equatable {
    /// How long the activity may go without a heartbeat (none by default).
    public var heartbeat: Span?
    /// How long one attempt may run, from its start.
    public var startToClose: Span?
    /// How long the whole activity may take, from its first attempt's scheduling (not retried past it).
    public var scheduleToClose: Span?

    /// Makes one from its parts; a missing part is unset.
    public init(heartbeat: Span? = nil, startToClose: Span? = nil, scheduleToClose: Span? = nil) {
        self.heartbeat = heartbeat
        self.startToClose = startToClose
        self.scheduleToClose = scheduleToClose
    }

    /// These timeouts with each unset one taken from `broader` (a step's over the runtime's).
    public func merged(over broader: ActivityTimeouts) -> ActivityTimeouts {
        ActivityTimeouts(heartbeat: heartbeat ?? broader.heartbeat, startToClose: startToClose ?? broader.startToClose,
                         scheduleToClose: scheduleToClose ?? broader.scheduleToClose)
    }

    /// Whether none is set.
    public var isEmpty: Bool { heartbeat == nil && startToClose == nil && scheduleToClose == nil }

    /// The set ones in words (`heartbeat 3s, start-to-close 1m`), in Temporal's order of names.
    public var words: String {
        [heartbeat.map { "heartbeat \($0)" }, startToClose.map { "start-to-close \($0)" },
         scheduleToClose.map { "schedule-to-close \($0)" }].compactMap { $0 }.joined(separator: ", ")
    }
}
