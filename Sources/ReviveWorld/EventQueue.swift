import Revive
import ReviveVocabulary

/// The player's one event queue: a binary heap ordered by (time, insertion order).
///
/// Events due at the same instant run in the order they were scheduled, as in swift-nio's
/// embedded event loop, so a scenario replays identically.
///
/// Of the player's events only: generic over them, the entries' type was built from its mangled
/// name (a generic struct's layout worked out at run time) at the first event of every process.
struct EventQueue {
    typealias Payload = SimEvent

    private struct Entry {
        let time: Instant
        let sequence: UInt64
        let payload: Payload

        func precedes(_ other: Entry) -> Bool {
            time != other.time ? time < other.time : sequence < other.sequence
        }
    }

    private var heap: [Entry] = []
    private var nextSequence: UInt64 = 0

    /// An empty queue with room for a play's usual backlog (growing from empty reallocated the
    /// heap four times in every play).
    init() { heap.reserveCapacity(16) }

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    /// Queues `payload` at `time`. The payload is taken, not copied: the callers build each event
    /// in the call, and copying one into its entry (every string and signal it carries retained,
    /// then the original released) was most of scheduling it.
    mutating func schedule(_ payload: consuming Payload, at time: Instant) {
        heap.append(Entry(time: time, sequence: nextSequence, payload: payload))
        nextSequence += 1
        // Swapped through a buffer, whose swaps move entries: the array's own `swapAt` copied
        // both (retaining every id an event carries, then releasing it), on every event of every play.
        heap.withUnsafeMutableBufferPointer { heap in
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard heap[child].precedes(heap[parent]) else { break }
                heap.swapAt(child, parent)
                child = parent
            }
        }
    }

    /// The time of the earliest event, if any.
    var nextTime: Instant? { heap.isEmpty ? nil : heap[0].time }

    mutating func popFirst() -> (time: Instant, payload: Payload)? {
        guard !heap.isEmpty else { return nil }
        // Moved out, not copied: the earliest entry swaps with the last and is removed (swaps
        // through a buffer, as in `schedule`).
        heap.withUnsafeMutableBufferPointer { $0.swapAt(0, $0.count - 1) }
        let first = heap.removeLast()
        heap.withUnsafeMutableBufferPointer { heap in
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < heap.count && heap[left].precedes(heap[smallest]) { smallest = left }
                if right < heap.count && heap[right].precedes(heap[smallest]) { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return (first.time, first.payload)
    }
}
