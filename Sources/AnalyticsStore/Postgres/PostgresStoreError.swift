import PostgresNIO

/// What went wrong with a PostgreSQL store, in one line.
public enum PostgresStoreError: Error, CustomStringConvertible, Equatable {
    case invalidURL(String)
    /// A statement of a rating write took longer than the configured timeout; its connection was closed.
    case timedOut(String)
    case malformedRow(String)
    /// The connection that listens for commits stopped delivering notifications.
    case feedEnded
    /// The connection closed while a statement was under way.
    case connectionClosed

    public var description: String {
        switch self {
        case .invalidURL(let reason): "invalid PostgreSQL URL: \(reason)"
        case .timedOut(let what): "\(what) timed out"
        case .malformedRow(let what): "malformed row: \(what)"
        case .feedEnded: "the connection listening for commits closed"
        case .connectionClosed: "the connection closed"
        }
    }

    /// A one-line account of any error from PostgresNIO. `PSQLError` describes itself generically
    /// on purpose (its full reflection can hold query parameters), so this picks the safe parts:
    /// the server's message and SQLSTATE, or the kind of failure and its underlying network error.
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] {
            return "server: \(message) (SQLSTATE \(error.serverInfo?[.sqlState] ?? "?"))"
        }
        if let underlying = error.underlying {
            return "\(error.code): \(underlying)"
        }
        return "\(error.code)"
    }

    /// The SQLSTATE of a server error, if it is one.
    static func sqlState(of error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }
}
