#if canImport(Glibc)
import Glibc
#endif

/// Adds `niceness` to the calling thread's nice value, so that the threads left at the process's
/// own priority (the network's) run first when the cores are short. Linux keeps the nice value
/// per thread: `setpriority` with `who` 0 changes the calling thread alone. Elsewhere, nothing.
public func lowerThreadPriority(by niceness: Int32) {
    #if os(Linux)
    guard niceness != 0 else { return }
    let which = __priority_which_t(PRIO_PROCESS.rawValue)
    _ = setpriority(which, 0, getpriority(which, 0) + niceness)
    #endif
}
