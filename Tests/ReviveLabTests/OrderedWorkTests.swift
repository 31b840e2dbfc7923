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

    /// An item that counts how many of its kind are alive, and wakes a waiter at each release.
    final class Counted: @unchecked Sendable {
        static let condition = NSCondition()
        nonisolated(unsafe) static var alive = 0
        let index: Int
        init(_ index: Int) { self.index = index; Counted.condition.lock(); Counted.alive += 1; Counted.condition.unlock() }
        deinit { Counted.condition.lock(); Counted.alive -= 1; Counted.condition.broadcast(); Counted.condition.unlock() }

        /// How many are alive once none is, or once `limit` has passed without a release since the
        /// last (a guard against a hang, not a pause: it returns as soon as the last is let go).
        static func aliveWhenAllReleased(limit: TimeInterval) -> Int {
            condition.lock()
            defer { condition.unlock() }
            while alive > 0 && condition.wait(until: Date(timeIntervalSinceNow: limit)) {}
            return alive
        }
    }

    /// The finished items wait in a ring of `window` slots: with the smallest window and more
    /// workers than slots, every item still comes back once, in order; and the items finished
    /// but never taken (a cancelled list) are let go with the list.
    @Test func theRingOfFinishedItemsKeepsEachItemOnce() {
        for (jobs, window) in [(4, 1), (3, 2), (2, 3), (5, 7)] {
            do {
                let work = OrderedWork(count: 300, jobs: jobs, window: window) { Counted($0) }
                for index in 0..<300 { #expect(work.take(index).index == index, "jobs \(jobs), window \(window)") }
            }
            do {
                let work = OrderedWork(count: 300, jobs: jobs, window: window) { Counted($0) }
                #expect(work.take(0).index == 0)
                work.cancel()
            }
        }
        // Workers hold the list until they end: wait for the last item's release.
        #expect(Counted.aliveWhenAllReleased(limit: 30) == 0, "items finished but never taken were not let go")
    }
}
