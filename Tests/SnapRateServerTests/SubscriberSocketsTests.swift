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
        let waited = clock.now
        #expect(await sockets.allClosed(within: .seconds(120)))
        #expect(waited.duration(to: clock.now) < .seconds(60), "the last close ends the wait, not the limit")
        try await closer.value
    }
}
