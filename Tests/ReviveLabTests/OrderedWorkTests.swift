import Foundation
import Testing
@testable import ReviveLab

/// `run`'s worker threads: items come back in order whatever finishes first, workers never run
/// more than the window ahead of the consumer, and a cancelled list lets its threads end.
struct OrderedWorkTests {
    /// How far ahead of the consumer the workers have claimed, at most, as they saw it.
    final class Ahead: @unchecked Sendable {
        private let lock = NSLock()
        private var consumed = 0
        private(set) var most = 0
        func claimed(_ index: Int) { lock.lock(); most = max(most, index - consumed); lock.unlock() }
        func took(_ index: Int) { lock.lock(); consumed = index + 1; lock.unlock() }
    }

    @Test func itemsComeBackInOrderWhateverFinishesFirst() {
        for jobs in [1, 2, 5] {
            // Early items take longest, so later ones finish first.
            let work = OrderedWork(count: 40, jobs: jobs) { index -> Int in
                var sum = 0
                for step in 0..<((40 - index) * 2_000) { sum &+= step }
                return index * 10 + (sum == -1 ? 1 : 0)
            }
            let taken = (0..<40).map { work.take($0) }
            #expect(taken == (0..<40).map { $0 * 10 }, "jobs \(jobs)")
        }
    }

    @Test func workersStayWithinTheWindow() {
        let ahead = Ahead()
        let work = OrderedWork(count: 200, jobs: 3, window: 4) { index -> Int in
            ahead.claimed(index)
            return index
        }
        for index in 0..<200 {
            #expect(work.take(index) == index)
            ahead.took(index)
        }
        #expect(ahead.most <= 4, "a worker claimed \(ahead.most) items past the consumer")
    }

    @Test func aCancelledListClaimsNothingMore() {
        let started = Ahead()
        let work = OrderedWork(count: 1_000, jobs: 2, window: 2) { index -> Int in
            started.claimed(index)
            return index
        }
        #expect(work.take(0) == 0)
        work.cancel()
        // The workers hold at most a window's worth; nothing near the end was ever claimed.
        #expect(started.most < 10)
    }
}
