import NIOConcurrencyHelpers
import PostgresNIO

extension PostgresConnection {
    /// Runs `body` on this connection, and fails with `PostgresStoreError.connectionClosed` as soon
    /// as the connection closes if `body` has not finished by then.
    ///
    /// PostgresNIO 1.33 loses a query written to a connection whose channel has already closed (the
    /// server went away between two queries, or a timeout closed the connection): it never answers
    /// and never fails, cancellation included, and its caller would wait for ever (the guard is
    /// tested in `PostgresConnectionLossTests`). So `body` runs in a task of its own, and the caller
    /// goes on when the connection closes. A body lost that way stays suspended, holding its
    /// closure and nothing else; it happens at most once per lost connection.
    func whileOpen<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        let outcome = OutcomeOnce<Result>()
        let connection = self
        let work = Task {
            do {
                outcome.settle(.success(try await body(connection)))
            } catch {
                outcome.settle(.failure(error))
            }
        }
        // Polled rather than a callback on `closeFuture`: a pooled connection serves thousands
        // of statements, and a callback each would stay on its close future until it closed.
        let watch = Task {
            while !connection.isClosed {
                do { try await Task.sleep(for: Self.closedPollInterval) } catch { return }
            }
            outcome.settle(.failure(PostgresStoreError.connectionClosed))
        }
        defer { watch.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { outcome.await($0) }
        } onCancel: {
            work.cancel()
        }
    }

    private static var closedPollInterval: Duration { .milliseconds(250) }
}

/// The first of several outcomes, handed to one waiter.
private final class OutcomeOnce<Value: Sendable>: Sendable {
    private struct State {
        var outcome: Result<Value, any Error>?
        var waiter: CheckedContinuation<Value, any Error>?
    }

    private let state = NIOLockedValueBox(State())

    func await(_ waiter: CheckedContinuation<Value, any Error>) {
        let ready = state.withLockedValue { state -> Result<Value, any Error>? in
            guard let outcome = state.outcome else {
                state.waiter = waiter
                return nil
            }
            return outcome
        }
        if let ready { waiter.resume(with: ready) }
    }

    func settle(_ outcome: Result<Value, any Error>) {
        let waiter = state.withLockedValue { state -> CheckedContinuation<Value, any Error>? in
            guard state.outcome == nil else { return nil }
            state.outcome = outcome
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: outcome)
    }
}
