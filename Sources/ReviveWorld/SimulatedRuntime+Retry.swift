import Revive
import ReviveVocabulary

/// The retry policy a step's attempts follow, from the layers that set one.
extension SimulatedRuntime {
    /// The step's retry policy: step over connection over workflow over runtime over Temporal's defaults.
    func retryPolicy(for stepIndex: Int) -> RetryPolicy {
        let layered = layeredRetry(for: stepIndex)
        var policy = layered ?? RetryPolicy()
        if measuredLangGraph {
            // LangGraph retries a node only with a RetryPolicy, whose defaults are its own.
            if case .some = layered {
                policy = policy.merged(over: RuntimeModel.langGraphRetryPolicy)
            } else {
                policy = RetryPolicy(maxAttempts: 1)
            }
        }
        if world.mode == .withoutRevive, (policy.maxAttempts ?? 0) == 0 {
            // The baseline retries blindly; a cap keeps its timeline readable.
            policy.maxAttempts = NaiveIntegration.retryCap
        }
        return policy
    }

    /// The retry policies that apply to a step merged, most specific first (step, connection,
    /// workflow, runtime), from `RetryPolicy()`; nil when none applies. Merged in turn and read
    /// where they lie: a list of them was two array types made from their mangled names at the
    /// first step of every process, and a policy and a flag returned as a pair a third.
    func layeredRetry(for stepIndex: Int) -> RetryPolicy? {
        var policy: RetryPolicy?
        func merge(_ layer: RetryPolicy?) {
            guard let layer else { return }
            policy = (policy ?? RetryPolicy()).merged(over: layer)
        }
        let steps = scenario.workflow.steps
        merge(steps[stepIndex].retry)
        if let id = steps[stepIndex].connection, let owner = scenario.connections.firstIndex(where: { $0.id == id }) {
            merge(scenario.connections[owner].retry)
        }
        merge(scenario.workflow.retry)
        merge(scenario.runtime.retry)
        return policy
    }
}
