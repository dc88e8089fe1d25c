@testable import SnapRateServer
import TestSupport

extension SocketClients {
    /// A thread of its own, for a client whose timing the server judges (an idle or send timeout):
    /// on the cooperative pool, suites that compute without suspending can hold both threads for
    /// tens of seconds, and a client that cannot run neither sends nor reads.
    static let ownThread = DetectionExecutor(threads: 1, niceness: 0)
}
