import NIOConcurrencyHelpers

/// How many subscribers' connections are open, so that shutdown can wait for their close
/// handshakes: they have no task in the HTTP server for its shutdown to wait on.
final class SubscriberSockets: Sendable {
    private struct State {
        var open = 0
        var waiting: [CheckedContinuation<Void, Never>] = []

        mutating func takeWaiting() -> [CheckedContinuation<Void, Never>] {
            defer { waiting.removeAll() }
            return waiting
        }
    }

    private let state = NIOLockedValueBox(State())

    var openCount: Int { state.withLockedValue { $0.open } }

    func opened() {
        state.withLockedValue { $0.open += 1 }
    }

    func closed() {
        let resumed = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.open -= 1
            return state.open == 0 ? state.takeWaiting() : []
        }
        for continuation in resumed { continuation.resume() }
    }

    /// Returns once no subscriber's connection is open, or after `limit`: true if none is.
    func allClosed(within limit: Duration) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLockedValue { state -> Bool in
                if state.open == 0 { return true }
                state.waiting.append(continuation)
                return false
            }
            guard !done else { return continuation.resume() }
            // Whichever comes first takes the waiters: the last close, or this.
            Task {
                try? await Task.sleep(for: limit)
                for waiting in self.state.withLockedValue({ $0.takeWaiting() }) { waiting.resume() }
            }
        }
        return openCount == 0
    }
}
