/// A promise a provider broke, as opposed to a rule the recovery engine broke: the lab reports
/// it apart from the invariants, and a scenario passes with one only when its `expect` names it.
public enum ProviderBreachKind: String, Sendable, CaseIterable {
    /// The provider applied a request later than it declared it could (its caller's deadline plus
    /// `settleAfter`): an `absent` that the engine trusted after that bound was wrong.
    case lateApply = "late-apply"

    /// The promise, in one sentence.
    public var promise: String {
        switch self {
        case .lateApply: return "a request is applied no later than its caller's deadline plus the provider's settleAfter, or never"
        }
    }
}
