#if os(Linux)
import Glibc

/// glibc calls that Swift's Glibc module leaves out (they are declared only under `_GNU_SOURCE`),
/// looked up by name in the C library the process already has.
enum GNUCalls {
    /// `int pipe2(int fds[2], int flags)`: a pipe whose ends are close-on-exec from the start.
    static let pipe2 = lookup("pipe2", as: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32).self)
    /// `int sched_getaffinity(pid_t, size_t, cpu_set_t *)`: the processors this process may run on.
    static let schedGetaffinity = lookup("sched_getaffinity",
                                         as: (@convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> Int32).self)

    /// `int sched_setaffinity(pid_t, size_t, const cpu_set_t *)`: where a thread may run (0: the caller).
    static let schedSetaffinity = lookup("sched_setaffinity",
                                         as: (@convention(c) (pid_t, Int, UnsafeRawPointer) -> Int32).self)
    /// `int pthread_attr_setaffinity_np(pthread_attr_t *, size_t, const cpu_set_t *)`: where a new thread starts.
    static let pthreadAttrSetaffinity = lookup("pthread_attr_setaffinity_np",
                                               as: (@convention(c) (UnsafeMutablePointer<pthread_attr_t>, Int, UnsafeRawPointer) -> Int32).self)
    /// `int sched_getcpu(void)`: the processor the caller runs on now.
    static let schedGetcpu = lookup("sched_getcpu", as: (@convention(c) () -> Int32).self)

    private static func lookup<Function>(_ name: String, as type: Function.Type) -> Function? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map { unsafeBitCast($0, to: type) }
    }
}
#endif
