import Foundation
import Testing
@testable import SnapRateServer

/// The count of open subscriber connections that shutdown waits on: the wait ends at the last
/// close, or at its limit with the connections still open.
@Suite(.timeLimit(.minutes(15))) struct SubscriberSocketsTests {
    @Test func theWaitEndsAtTheLastCloseOrAtItsLimit() async throws {
        let sockets = SubscriberSockets()
        #expect(await sockets.allClosed(within: .seconds(60)), "nothing open: no wait")

        sockets.opened()
        sockets.opened()
        let clock = ContinuousClock()
        let started = clock.now
        #expect(await sockets.allClosed(within: .milliseconds(300)) == false)
        #expect(started.duration(to: clock.now) >= .milliseconds(300))
        #expect(sockets.openCount == 2)

        let closer = Task {
            try await Task.sleep(for: .milliseconds(200))
            sockets.closed()
            try await Task.sleep(for: .milliseconds(200))
            sockets.closed()
        }
        // A limit past the suite's own: only the last close can end this wait (true), however
        // long the closer is kept from running.
        #expect(await sockets.allClosed(within: .seconds(3600)), "the last close ends the wait, not the limit")
        try await closer.value
    }
}
