#if canImport(Glibc)
import Glibc
#endif

/// Sets the calling thread's nice value to the process's own plus `niceness`, so that the threads
/// left at the process's priority (the network's) run first when the cores are short. Linux keeps
/// the nice value per thread: `setpriority` with `who` 0 changes the calling thread alone, and
/// `who` the process id reads the main thread's. It is set from the process's, not added to the
/// thread's own: a new thread inherits its creator's nice value, and a stream's decoder thread is
/// started from a detection thread, which is already lowered. Elsewhere, nothing.
public func lowerThreadPriority(by niceness: Int32) {
    #if os(Linux)
    let which = __priority_which_t(PRIO_PROCESS.rawValue)
    _ = setpriority(which, 0, getpriority(which, id_t(getpid())) + niceness)
    #endif
}
