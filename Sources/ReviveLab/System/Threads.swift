#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutex with one condition variable (pthreads), for the frontend's few threads.
final class Condition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let variable = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(variable, nil)
    }

    deinit {
        pthread_cond_destroy(variable)
        pthread_mutex_destroy(mutex)
        variable.deallocate()
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
    /// Waits for a broadcast, with the lock held before and after.
    func wait() { pthread_cond_wait(variable, mutex) }

    /// Waits, with the lock held before and after, until `ready` (checked under the lock) holds.
    ///
    /// It first gives the lock up and yields the processor a few thousand times, about a
    /// millisecond, and only then blocks: on a virtual machine a blocked thread's wake-up took
    /// half a millisecond on average (a cold `run` of the catalogue spent 2 of its 7 ms so), where
    /// the other thread usually hands over within a hundred microseconds. On a single processor
    /// the yield lets that other thread run.
    func wait(until ready: () -> Bool) {
        var yields = 0
        while !ready() {
            if yields < Condition.yieldsBeforeBlocking {
                yields += 1
                unlock()
                sched_yield()
                lock()
            } else {
                wait()
            }
        }
    }

    /// How many times `wait(until:)` yields before it blocks.
    static let yieldsBeforeBlocking = 4_096
    /// Wakes every waiter.
    func broadcast() { pthread_cond_broadcast(variable) }
}

/// Starting threads.
enum Threads {
    /// Runs `body` on a new detached thread (see `spawn`).
    static func start(_ body: @escaping @Sendable () -> Void) {
        _ = spawn(detached: true, body)
    }

    /// Starts `body` on a new thread with an 8 MB stack: the main thread's size everywhere, as
    /// loading a scenario recurses as deep as its JSON (up to 256 levels) and macOS gives
    /// secondary threads only 512 KB by default. Returns the thread to `join`, unless detached.
    private static func spawn(detached: Bool, _ body: @escaping @Sendable () -> Void) -> pthread_t? {
        // Placed elsewhere first; if that is refused (a processor gone offline meanwhile, a
        // sandbox that forbids setting affinity), started wherever the system puts it.
        if let started = create(detached: detached, elsewhere: true, body) { return started.thread }
        guard let started = create(detached: detached, elsewhere: false, body) else {
            preconditionFailure("pthread_create failed: \(FileSystem.describe(errno))")
        }
        return started.thread
    }

    /// A thread `create` started: the thread to join, nil when detached.
    private struct Started {
        let thread: pthread_t?
    }

    /// One `pthread_create`, or nil (and `errno` set) when it was refused.
    private static func create(detached: Bool, elsewhere: Bool, _ body: @escaping @Sendable () -> Void) -> Started? {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 8 << 20)
        pthread_attr_setdetachstate(&attributes, Int32(detached ? PTHREAD_CREATE_DETACHED : PTHREAD_CREATE_JOINABLE))
        let everywhere = elsewhere ? startElsewhere(&attributes) : nil
        let box = Unmanaged.passRetained(Body {
            if let everywhere { allowEverywhere(everywhere) }
            body()
        })
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let failure = pthread_create(&thread, &attributes, { raw in
            // Released here, before the thread ends: `join` then knows the body is let go.
            Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue().run()
            return nil
        }, box.toOpaque())
        guard failure == 0 else {
            box.release()
            errno = failure
            return nil
        }
        return Started(thread: detached ? nil : thread)
    }


    /// Runs `body(0)` … `body(iterations - 1)` on up to `threads` threads (the caller's one of
    /// them), each taking the next iteration as it finishes one, and returns when all are done.
    static func perform(iterations: Int, threads: Int = processorCount, _ body: @Sendable (Int) -> Void) {
        let shared = SharedIterations(count: iterations)
        let helpers = max(0, min(threads, iterations) - 1)
        // Every helper is joined before the block ends, and a helper lets its closure go before
        // it ends, so `body` never outlives this call.
        withoutActuallyEscaping(body) { body in
            let started = (0..<helpers).compactMap { _ in spawn(detached: false) { shared.drain(body) } }
            shared.drain(body)
            for thread in started { pthread_join(thread, nil) }
        }
    }

    /// The iterations of one `perform`, handed out under its lock.
    private final class SharedIterations: @unchecked Sendable {
        let condition = Condition()
        let count: Int
        var next = 0
        init(count: Int) { self.count = count }

        /// Runs iterations until none is left.
        func drain(_ body: (Int) -> Void) {
            while true {
                condition.lock()
                let index = next
                next += 1
                condition.unlock()
                guard index < count else { return }
                body(index)
            }
        }
    }

    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    /// Has a new thread start on another processor than the caller's, and returns the mask to
    /// restore once it runs (nil when nothing was changed).
    ///
    /// Linux queued a new thread beside its creator, and on a virtual machine whose other
    /// processor slept it waited there up to 4 ms before it was moved (a cold `run` of the
    /// catalogue then ran nearly all on one thread). Starting it elsewhere wakes that processor
    /// at once; the thread then lets itself run anywhere again.
    private static func startElsewhere(_ attributes: inout pthread_attr_t) -> [UInt8]? {
        #if os(Linux)
        guard let getAffinity = GNUCalls.schedGetaffinity, let setStart = GNUCalls.pthreadAttrSetaffinity,
              let current = GNUCalls.schedGetcpu?() else { return nil }
        var mask = [UInt8](repeating: 0, count: 128)
        guard getAffinity(0, mask.count, &mask) == 0, current >= 0, Int(current) < mask.count * 8 else { return nil }
        var others = mask
        others[Int(current) / 8] &= ~(1 << UInt8(current % 8))
        guard others.contains(where: { $0 != 0 }) else { return nil }
        return setStart(&attributes, others.count, others) == 0 ? mask : nil
        #else
        return nil
        #endif
    }

    /// Lets the calling thread run on every processor of `mask`.
    private static func allowEverywhere(_ mask: [UInt8]) {
        #if os(Linux)
        _ = GNUCalls.schedSetaffinity?(0, mask.count, mask)
        #endif
    }

    /// How many processors this process may run on.
    static var processorCount: Int {
        #if os(Linux)
        // The affinity mask, as a container or `taskset` limits it; sysconf counts every
        // processor online.
        var mask = [UInt8](repeating: 0, count: 128)
        if let affinity = GNUCalls.schedGetaffinity, affinity(0, mask.count, &mask) == 0 {
            let count = mask.reduce(0) { $0 + $1.nonzeroBitCount }
            if count > 0 { return count }
        }
        #endif
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}
