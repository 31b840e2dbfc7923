import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Measurements for `revive-lab bench`: plays scenarios many times and counts what was done.
/// The command line reads the clock around these calls; nothing here reads it.
public enum Benchmark {
    /// Plays each scenario `repetitions` times; returns (plays, transitions).
    public static func playCatalogue(_ scenarios: [Scenario], repetitions: Int) -> (plays: Int, transitions: Int) {
        var plays = 0
        var transitions = 0
        for _ in 0..<repetitions {
            for scenario in scenarios {
                let result = ScenarioPlayer.play(scenario)
                transitions += result.transitions.count
                plays += 1
            }
        }
        return (plays, transitions)
    }
}
