import Testing
import Revive
import ReviveVocabulary
@testable import ReviveWorld

/// The world's tables and bookkeeping that a fresh process used to build at first use, now
/// literals or plainer types: each proved the same as what it replaced.
@Suite("Cold-start world: literals and plain keys equal to what they replaced")
struct ColdStartWorldTests {
    @Test("The checkpoint names are the names spelt")
    func checkpointNamesAreSpelt() {
        #expect(SimulatedRuntime.checkpointNames == (0..<64).map(SimulatedRuntime.spellCheckpointName))
        #expect(SimulatedRuntime.checkpointNames.count == 64)
    }

    @Test("The faults that fired read as the set they stood for")
    func firedFaultsAreASet() {
        var play = WorldPlay(transitions: [], outcome: .completed, limitReached: nil, stoppedAtHorizon: false, storeFailure: nil)
        #expect(play.firedFaults.isEmpty)
        play.firedFaultList = [3, 0, 2]
        #expect(play.firedFaults == [0, 2, 3])
        play.firedFaults = [5, 1]
        #expect(play.firedFaultList == [1, 5])
    }
}
