@testable import SnapRateServer
import Testing

/// `StoreHealth`'s rule for `/readyz`, on its own.
@Suite(.timeLimit(.minutes(15))) struct StoreHealthTests {
    @Test func readyUnlessTheLastWriteFailedTheQueueFillsOrShutdownBegan() {
        let health = StoreHealth(queueCapacity: 1000)
        #expect(health.unreadyReason(accepting: true) == nil, "no write yet: nothing says the store fails")
        health.waiting(100)
        #expect(health.unreadyReason(accepting: true) == nil, "a tenth of the queue may wait")
        health.waiting(101)
        #expect(health.unreadyReason(accepting: true) == "101 ratings wait for the store, over 100 (a tenth of the store queue)")
        health.waiting(3)
        health.wrote(succeeded: false)
        #expect(health.unreadyReason(accepting: true) == "the store's last write failed; 3 ratings wait in memory")
        health.wrote(succeeded: true)
        #expect(health.unreadyReason(accepting: true) == nil)
        #expect(health.unreadyReason(accepting: false) == "shutting down")
    }
}
