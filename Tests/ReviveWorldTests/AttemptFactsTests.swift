import Testing
import ReviveVocabulary
@testable import ReviveWorld

/// An attempt keeps its worker, ticket and rare facts in one box that its copies share (and that
/// the attempts a worker begins share until each takes a ticket): the box is never written, so an
/// edit to one attempt never shows in a copy of it or in another attempt on the same box.
@Suite("Attempt facts")
struct AttemptFactsTests {
    @Test func anEditShowsOnlyInTheAttemptEdited() {
        let blank = AttemptFacts(worker: WorkerID("worker-1"))
        var first = Attempt(id: 1, stepIndex: 0, number: 1, facts: blank)
        let second = Attempt(id: 2, stepIndex: 1, number: 1, facts: blank)
        let copy = first
        first.activityTimeout = "heartbeat-timeout"
        #expect(first.activityTimeout == "heartbeat-timeout")
        #expect(copy.activityTimeout == nil)
        #expect(second.activityTimeout == nil)
        #expect(blank.activityTimeout == nil)
        #expect(first.worker == WorkerID("worker-1"))
        #expect(second.worker == first.worker)
        #expect(first.ticket == nil)
        #expect(first.ticketBox == nil)
        #expect(first.lease == nil)
        #expect(first.key == nil)
        #expect(first.prefixLease == nil)
        first.activityTimeout = nil
        #expect(first.activityTimeout == nil)
        #expect(first.worker == WorkerID("worker-1"))
    }

    @Test("Each number and flag of an attempt keeps its own value, two numbers to a word")
    func numbersAndFlagsAreIndependent() {
        for (a, b) in [(0, 0), (1, 2), (7, 0), (0, 9), (-5, 3), (Int(Int32.max), Int(Int32.max) - 1), (Int(Int32.min) + 1, -1)] {
            var attempt = Attempt(id: a, stepIndex: b, number: a / 2, worker: WorkerID("w"))
            #expect(attempt.id == a && attempt.stepIndex == b && attempt.number == a / 2)
            #expect(attempt.awaitingCall == nil && attempt.replayCall == nil)
            #expect(attempt.immediateRetries == 0 && attempt.runtimeAttempt == 0 && attempt.activityID == 0)
            #expect(!attempt.skipCall && !attempt.replaysPrefix && !attempt.afterInterrupt)
            attempt.awaitingCall = a
            attempt.replayCall = b
            attempt.immediateRetries = b
            attempt.runtimeAttempt = a
            attempt.activityID = b
            attempt.replaysPrefix = true
            let copy = attempt
            #expect(attempt.awaitingCall == a && attempt.replayCall == b)
            #expect(attempt.immediateRetries == b && attempt.runtimeAttempt == a && attempt.activityID == b)
            #expect(attempt.id == a && attempt.stepIndex == b && attempt.number == a / 2)
            #expect(!attempt.skipCall && attempt.replaysPrefix && !attempt.afterInterrupt)
            attempt.awaitingCall = nil
            attempt.skipCall = true
            attempt.afterInterrupt = true
            attempt.replaysPrefix = false
            attempt.runtimeAttempt = b
            #expect(attempt.awaitingCall == nil && attempt.replayCall == b)
            #expect(attempt.skipCall && !attempt.replaysPrefix && attempt.afterInterrupt)
            #expect(attempt.runtimeAttempt == b && attempt.number == a / 2 && attempt.activityID == b)
            #expect(copy.awaitingCall == a && copy.replaysPrefix && !copy.skipCall && copy.runtimeAttempt == a,
                    "a copy keeps the values it was made with")
        }
    }

    @Test func anAttemptOnAWorkerHasABoxOfItsOwn() {
        let attempt = Attempt(id: 3, stepIndex: 2, number: 4, worker: WorkerID("worker-2"))
        #expect(attempt.worker == WorkerID("worker-2"))
        #expect(attempt.id == 3 && attempt.stepIndex == 2 && attempt.number == 4)
        #expect(attempt.ticket == nil)
        #expect(attempt.activityTimeout == nil)
    }
}
