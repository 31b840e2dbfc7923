/// A list of pairs of numbers, kept flat in one `[Int]` (first, second, first, second, …).
///
/// For the lists `history-complete` keeps (outage windows, pending local entries). An array of
/// a struct of its own (`[Outage]`, `[LocalEntry]`) had its storage class built by the runtime
/// from its mangled name the first time a process made one: some 7,000 instructions a kind in a
/// cold `run`. `[Int]` is built long before the checker runs, so this list costs no such setup.
struct IntPairs {
    /// The pairs, flat: pair `k` is at `2k` and `2k + 1`.
    private var flat: [Int] = []

    /// How many pairs the list holds.
    var count: Int { flat.count &>> 1 }

    /// Whether the list holds no pair.
    var isEmpty: Bool { flat.isEmpty }

    /// The first number of pair `k`.
    func first(_ k: Int) -> Int { flat[2 &* k] }

    /// The second number of pair `k`.
    func second(_ k: Int) -> Int { flat[2 &* k &+ 1] }

    /// The place of the first pair that meets `test`, or nil.
    func firstPlace(where test: (_ first: Int, _ second: Int) -> Bool) -> Int? {
        for k in 0..<count where test(first(k), second(k)) { return k }
        return nil
    }

    /// The second numbers of the pairs whose first number meets `test`, in order.
    func seconds(whereFirst test: (Int) -> Bool) -> [Int] {
        var found: [Int] = []
        for k in 0..<count where test(first(k)) { found.append(second(k)) }
        return found
    }

    /// The largest second number, or nil for an empty list.
    var largestSecond: Int? {
        var largest: Int? = nil
        for k in 0..<count { largest = max(largest ?? second(k), second(k)) }
        return largest
    }

    /// Adds a pair at the end.
    mutating func append(_ first: Int, _ second: Int) {
        flat.append(first)
        flat.append(second)
    }

    /// Removes every pair whose first number meets `drop`, keeping the others in order.
    mutating func removeAll(whereFirst drop: (Int) -> Bool) {
        var kept = 0
        for k in 0..<count where !drop(first(k)) {
            flat[2 &* kept] = first(k)
            flat[2 &* kept &+ 1] = second(k)
            kept &+= 1
        }
        flat.removeLast(flat.count &- 2 &* kept)
    }
}
