/// Items computed on several threads, ahead of one consumer that takes them in order.
///
/// `run` plays its scenarios this way: each play is independent and deterministic, so computing
/// them on every core and printing them in file order gives the same bytes as one thread, sooner.
/// Workers stay at most `window` items ahead of the consumer, so a long list never holds more
/// than a window of finished results in memory. The threads live here, in the frontend: below it
/// nothing knows about them.
final class OrderedWork<Item>: @unchecked Sendable {
    private let condition = Condition()
    private let count: Int
    private let window: Int
    private let work: (Int) -> Item
    /// Finished items not yet taken: item `i` in slot `i % window` (see `slot(of:)`).
    ///
    /// A ring of optionals rather than a dictionary by index: a `Dictionary`'s first use in a
    /// process built its generic types and scanned every protocol conformance (some 150,000
    /// instructions of a cold threaded `run`), and an `Array` of items would build its storage's
    /// type at first use too; this buffer needs no type built at run time. Sound: it is allocated
    /// and every slot initialized (nil) in `init`, read and written only under `condition`'s
    /// lock, and deinitialized and freed in `deinit`, which no worker can outlive (each holds
    /// `self` while it runs).
    private let slots: UnsafeMutablePointer<Item?>
    /// The next index a worker claims.
    private var claimed = 0
    /// How many items the consumer has taken.
    private var taken = 0

    /// Computes `work(0)`, `work(1)` … `work(count - 1)` on `jobs` threads: the consumer's own,
    /// which computes an item it asks for that no worker has claimed yet, and `jobs - 1` more.
    /// `work` runs on those threads, so it must touch nothing the consumer or another item changes.
    ///
    /// The consumer works too, rather than only waiting: with one job no thread is started at all
    /// (a cold `run --jobs 1` of the catalogue took 15 ms through one worker thread, 11 to 13 ms
    /// in line), and with more it is one of the `jobs`.
    init(count: Int, jobs: Int, window: Int? = nil, work: @escaping (Int) -> Item) {
        self.count = count
        self.window = max(1, window ?? jobs * 2)
        self.work = work
        slots = .allocate(capacity: self.window)
        slots.initialize(repeating: nil, count: self.window)
        for _ in 0..<max(0, min(jobs, count) - 1) {
            Threads.start { [self] in computeUntilDone() }
        }
    }

    /// The item at `index`, computing or waiting for it if need be. Indexes must be taken in
    /// order, each once. While a worker still holds the item, the consumer computes the next
    /// unclaimed one within the window rather than sleep until the worker is done.
    func take(_ index: Int) -> Item {
        condition.lock()
        defer { condition.unlock() }
        precondition(index == taken, "items are taken in order")
        while true {
            if let item = slots[slot(of: index)].take() {
                taken = index + 1
                condition.broadcast()
                return item
            }
            guard claimed < count && (claimed == index || claimed - taken < window) else {
                condition.wait { slots[slot(of: index)] != nil || (claimed < count && claimed - taken < window) }
                continue
            }
            let (claim, item) = computeNext()
            if claim == index {
                // Its own item goes straight back, never through a slot.
                taken = index + 1
                condition.broadcast()
                return item
            }
            hand(item, at: claim)
        }
    }

    deinit {
        slots.deinitialize(count: window)
        slots.deallocate()
    }

    /// The slot of item `index`. Unique among the items finished and not taken: a worker claims
    /// an index only while it is less than `window` past `taken` (and the consumer its own,
    /// `taken`, or one within the window), and `taken` only grows, so those items all lie in
    /// `taken ..< taken + window`.
    private func slot(of index: Int) -> Int { index % window }

    /// Claims the next index and computes it outside the lock. Called, and returns, with the
    /// lock held.
    private func computeNext() -> (claim: Int, item: Item) {
        let claim = claimed
        claimed += 1
        condition.unlock()
        let item = work(claim)
        condition.lock()
        return (claim, item)
    }

    /// Keeps a computed item for the consumer and wakes whoever waits. Called with the lock held.
    private func hand(_ item: Item, at index: Int) {
        slots[slot(of: index)] = item
        condition.broadcast()
    }

    /// Claims nothing more: workers finish the item they hold and end. For a consumer that stops
    /// early (an input error ends `run`), so no thread waits forever on a window that never moves.
    func cancel() {
        condition.lock()
        claimed = count
        condition.broadcast()
        condition.unlock()
    }

    /// One worker: claims the next index while the window allows, computes it, hands it over.
    private func computeUntilDone() {
        condition.lock()
        defer { condition.unlock() }
        while true {
            condition.wait { claimed >= count || claimed - taken < window }
            guard claimed < count else { return }
            let (claim, item) = computeNext()
            hand(item, at: claim)
        }
    }
}
