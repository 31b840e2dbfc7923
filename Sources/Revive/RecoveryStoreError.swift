/// Why a `RecoveryStore` could not run a decision's transaction.
///
/// The decision did not happen: the store kept none of its writes and the engine recorded none
/// of its transitions, so the caller may retry the same engine call once the store is healthy.
public struct RecoveryStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable code for alerts, dashboards and retry rules; never reworded.
    public enum Code: String, Hashable, Sendable {
        /// The store could not be reached or did not answer in time.
        case unavailable = "store-unavailable"
        /// Another writer changed the same records first (a serialization failure or a lost race).
        case conflict = "store-conflict"
        /// A stored record cannot be read back or breaks the store's own rules.
        case corrupt = "store-corrupt"
    }

    /// The stable code.
    public let code: Code
    /// What happened and what the operator should do, in words.
    public let message: String

    /// Makes an error with a code and a message; prefer the named constructors, which say what to do.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The store could not be reached; `detail` says which call or connection failed.
    public static func unavailable(_ detail: String) -> RecoveryStoreError {
        RecoveryStoreError(code: .unavailable, message: "the recovery store is unavailable (\(detail)); "
            + "nothing was decided: check the store's health and connectivity, then retry the call")
    }

    /// Another writer won a race for the same records; `detail` names them.
    public static func conflict(_ detail: String) -> RecoveryStoreError {
        RecoveryStoreError(code: .conflict, message: "the recovery store refused a conflicting write (\(detail)); "
            + "nothing was decided: retry the call, which reads the newer records")
    }

    /// A record cannot be trusted; `detail` names it.
    public static func corrupt(_ detail: String) -> RecoveryStoreError {
        RecoveryStoreError(code: .corrupt, message: "the recovery store holds a record it cannot read (\(detail)); "
            + "nothing was decided: repair or restore the record from a backup before retrying")
    }

    /// The code, then the message: what an operator's log shows.
    public var description: String { "\(code.rawValue): \(message)" }
}
