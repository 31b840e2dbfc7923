#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import ReviveLab

/// A value shared between threads, behind the System layer's own lock.
final class SystemLayerLocked<Value>: @unchecked Sendable {
    let condition = Condition()
    private var value: Value
    init(_ value: Value) { self.value = value }

    func with<Result>(_ body: (inout Value) -> Result) -> Result {
        condition.lock()
        defer { condition.unlock() }
        return body(&value)
    }

    /// The value, read without taking the lock, for a caller that holds it already.
    var unlockedValue: Value { value }

    /// Waits, under the lock, until `ready` holds for the value (another thread broadcasts).
    func waitUntil(_ ready: (Value) -> Bool) -> Value {
        condition.lock()
        defer { condition.unlock() }
        while !ready(value) { condition.wait() }
        return value
    }
}

/// Child processes (`posix_spawn`) and threads (pthreads) as the frontend starts them. The tests
/// never sleep themselves: a child that would run long is killed by the test.
struct SystemLayerProcessTests {
    /// Where the symbolic link at `path` points (a /proc fd entry names its file or pipe).
    static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4_096)
        let length = readlink(path, &buffer, buffer.count - 1)
        guard length >= 0 else { return nil }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static let hasProc = FileSystem.exists("/proc/self/fd")

    static func shell(_ script: String, _ output: Subprocess.Output, _ extra: [String] = []) throws -> Subprocess {
        try Subprocess(executable: "/bin/sh", arguments: ["-c", script, "sh"] + extra, output: output)
    }

    @Test(arguments: [Int32(0), 1, 3, 255])
    func capturedOutputHoldsBothStreamsAndTheExitStatus(status: Int32) throws {
        let child = try Self.shell("echo out; echo err >&2; exit \(status)", .captured)
        #expect(String(decoding: child.readOutput(), as: UTF8.self) == "out\nerr\n")
        #expect(child.wait() == .exited(status))
        #expect(child.ending == .exited(status))
        // Reaped once: asking again gives the recorded ending, and the pipe was read to its end once.
        #expect(child.poll() == .exited(status))
        #expect(child.wait() == .exited(status))
        #expect(child.readOutput() == [])
        #expect(child.ending?.described == "exited with \(status)")
    }

    /// More than a pipe's buffer: the child blocks until the parent reads, so all must arrive.
    @Test func capturedOutputLargerThanAPipesBufferArrivesWhole() throws {
        let child = try Self.shell("i=0; while [ $i -lt 4000 ]; do echo \"line $i of the captured output\"; i=$((i+1)); done", .captured)
        let output = String(decoding: child.readOutput(), as: UTF8.self)
        #expect(child.wait() == .exited(0))
        let expected = (0..<4_000).map { "line \($0) of the captured output\n" }.joined()
        #expect(output == expected)
    }

    @Test func aChildThatKillsItselfEndsSignalled() throws {
        let child = try Self.shell("kill -9 $$; echo survived", .captured)
        #expect(child.readOutput() == [])
        #expect(child.wait() == .signalled(9))
        #expect(child.ending?.described == "was ended by signal 9")
    }

    @Test func pollIsNilWhileTheChildRunsAndSendEndsIt() throws {
        let child = try Self.shell("exec sleep 5", .discarded)
        #expect(child.poll() == nil)
        #expect(child.ending == nil)
        child.send(SIGKILL)
        #expect(child.wait() == .signalled(SIGKILL))
        #expect(child.poll() == .signalled(SIGKILL))
        // Reaped: its pid may be another process's now, so nothing more is sent.
        child.send(SIGKILL)
        #expect(child.ending == .signalled(SIGKILL))
    }

    @Test func aMissingExecutableThrowsAnErrorNamingIt() {
        let path = "/nonexistent/revive-lab-no-such-tool"
        for output in [Subprocess.Output.captured, .discarded, .inherited] {
            do {
                _ = try Subprocess(executable: path, arguments: ["x"], output: output)
                Issue.record("a missing executable started")
            } catch {
                #expect(error.executable == path)
                #expect(error.error == ENOENT)
                #expect(error.description == "cannot start \(path): \(FileSystem.describe(ENOENT))")
            }
        }
    }

    /// The child itself checks where its streams go: its exit status says whether they were /dev/null.
    @Test(.enabled(if: SystemLayerProcessTests.hasProc))
    func discardedOutputGoesToDevNullAndInputComesFromIt() throws {
        let script = "for fd in 0 1 2; do [ \"$(readlink /proc/$$/fd/$fd)\" = /dev/null ] || exit $((10+fd)); done; echo hi"
        let child = try Self.shell(script, .discarded)
        #expect(child.readOutput() == [])
        #expect(child.wait() == .exited(0))
    }

    @Test(.enabled(if: SystemLayerProcessTests.hasProc))
    func inheritedOutputIsThisProcesssOwn() throws {
        let out = try #require(Self.linkTarget("/proc/self/fd/1")), err = try #require(Self.linkTarget("/proc/self/fd/2"))
        let script = "[ \"$(readlink /proc/$$/fd/1)\" = \"$1\" ] || exit 11; [ \"$(readlink /proc/$$/fd/2)\" = \"$2\" ] || exit 12; "
            + "[ \"$(readlink /proc/$$/fd/0)\" = /dev/null ] || exit 10"
        let child = try Self.shell(script, .inherited, [out, err])
        #expect(child.wait() == .exited(0))
    }

    @Test func theChildsInputIsEmpty() throws {
        let child = try Self.shell("cat; echo done", .captured)
        #expect(String(decoding: child.readOutput(), as: UTF8.self) == "done\n")
        #expect(child.wait() == .exited(0))
    }

    /// The captured pipe is close-on-exec in this process: a child started later must not hold
    /// it, or reading the first child's output would wait for the second one's end too.
    @Test(.enabled(if: SystemLayerProcessTests.hasProc))
    func aLaterChildDoesNotInheritACapturedPipe() throws {
        let first = try Self.shell("exec sleep 5", .captured)
        defer { first.send(SIGKILL); first.wait() }
        let pipe = try #require(Self.linkTarget("/proc/\(first.pid)/fd/1"))
        #expect(pipe.hasPrefix("pipe:"))
        let second = try Self.shell("exec sleep 5", .discarded)
        defer { second.send(SIGKILL); second.wait() }
        let descriptors = try #require(FileSystem.names(inFolder: "/proc/\(second.pid)/fd"))
        for descriptor in descriptors {
            #expect(Self.linkTarget("/proc/\(second.pid)/fd/\(descriptor)") != pipe, "fd \(descriptor) holds the pipe")
        }
    }

    static func threadID() -> Int { Int(bitPattern: pthread_self()) }

    /// Passing a parameter that is not `@escaping` compiles only while `perform` keeps its body
    /// from escaping.
    static func perform(_ iterations: Int, _ threads: Int, _ body: @Sendable (Int) -> Void) {
        Threads.perform(iterations: iterations, threads: threads, body)
    }

    @Test(arguments: [0, 1, 7, 1_000], [1, 2, 8])
    func performRunsEveryIterationExactlyOnce(iterations: Int, threads: Int) {
        let seen = SystemLayerLocked([Int]())
        let workers = SystemLayerLocked(Set<Int>())
        Self.perform(iterations, threads) { index in
            seen.with { $0.append(index) }
            workers.with { _ = $0.insert(Self.threadID()) }
        }
        #expect(seen.with { $0.sorted() } == Array(0..<iterations))
        // Helpers are joined only at the end, so no two of them share an id while counted here.
        let used = workers.with { $0 }
        #expect(used.count <= threads)
        if threads == 1 && iterations > 0 { #expect(used == [Self.threadID()], "one thread means the caller's") }
    }

    @Test func aStartedThreadsWorkIsSeenAfterWaitingOnTheCondition() {
        let results = SystemLayerLocked([Int: Int]())
        let caller = Self.threadID()
        for index in 0..<8 {
            Threads.start {
                let id = Self.threadID()
                results.with { $0[index] = id }
                results.condition.broadcast()
            }
        }
        let finished = results.waitUntil { $0.count == 8 }
        #expect(Set(finished.keys) == Set(0..<8))
        #expect(!finished.values.contains(caller), "a started thread ran on the caller's")
    }

    @Test func waitUntilReturnsOnlyOnceTheConditionHoldsAndHoldsTheLock() {
        let shared = SystemLayerLocked(0)
        Threads.start {
            // Counted up one step at a time, under the lock, so the waiter sees every value.
            for _ in 0..<200 {
                shared.with { $0 += 1 }
                shared.condition.broadcast()
            }
        }
        shared.condition.lock()
        var seen = 0
        shared.condition.wait { shared.unlockedValue >= 150 }
        seen = shared.unlockedValue
        // Still held: the other thread cannot count on while this one reads twice.
        #expect(seen == shared.unlockedValue)
        shared.condition.unlock()
        #expect(seen >= 150)
        #expect(shared.waitUntil { $0 == 200 } == 200)
    }

    /// Threads started elsewhere than their creator may still run on every processor once going.
    @Test func aStartedThreadMayRunOnEveryProcessor() throws {
        let seen = SystemLayerLocked<Int?>(nil)
        Threads.start {
            var mask = [UInt8](repeating: 0, count: 128)
            let count = GNUCalls.schedGetaffinity.map { $0(0, mask.count, &mask) == 0 ? mask.reduce(0) { $0 + $1.nonzeroBitCount } : -1 }
            seen.with { $0 = count ?? Threads.processorCount }
            seen.condition.broadcast()
        }
        #expect(seen.waitUntil { $0 != nil } == Threads.processorCount)
    }

    @Test func processorCountIsWhatThisProcessMayRunOn() throws {
        let count = Threads.processorCount
        #expect(count >= 1)
        #expect(count <= Int(sysconf(Int32(_SC_NPROCESSORS_CONF))))
        // coreutils' nproc counts the same affinity mask (unless OpenMP variables override it).
        guard FileSystem.exists("/usr/bin/nproc"), getenv("OMP_NUM_THREADS") == nil, getenv("OMP_THREAD_LIMIT") == nil else { return }
        let nproc = try Subprocess(executable: "/usr/bin/nproc", arguments: [], output: .captured)
        let printed = String(decoding: nproc.readOutput(), as: UTF8.self)
        #expect(nproc.wait() == .exited(0))
        #expect(printed == "\(count)\n")
    }
}
