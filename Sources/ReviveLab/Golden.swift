import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Golden timelines: the exact text `revive-lab run` prints for a shipped scenario, kept in
/// `scenarios/golden/NAME.txt` and compared byte for byte by the tests.
public enum Golden {
    /// The golden text for one result: the uncoloured report, as `run --no-color` prints it.
    public static func text(for result: ScenarioResult) -> String {
        TextRenderer(color: false).render(result)
    }

    /// Where a scenario's golden lives, relative to the scenario directory.
    public static func relativePath(forScenarioNamed name: String) -> String { "golden/\(name).txt" }
}
