import NIOConcurrencyHelpers

/// How many subscribers' connections are open, so that shutdown can wait for their close
/// handshakes: they have no task in the HTTP server for its shutdown to wait on.
final class SubscriberSockets: Sendable {
    private struct State {
        var open = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = NIOLockedValueBox(State())

    func opened() {
        state.withLockedValue { $0.open += 1 }
    }

    func closed() {
        let resumed = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.open -= 1
            guard state.open == 0 else { return [] }
            defer { state.waiting.removeAll() }
            return state.waiting
        }
        for continuation in resumed { continuation.resume() }
    }

    /// Returns once no subscriber's connection is open.
    func allClosed() async {
        await withCheckedContinuation { continuation in
            let done = state.withLockedValue { state -> Bool in
                if state.open == 0 { return true }
                state.waiting.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }
}
