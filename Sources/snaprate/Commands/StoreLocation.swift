import ArgumentParser
import Logging
import AnalyticsStore

/// Where `--store` says ratings are kept: `sqlite:PATH` (one node) or a `postgres://` URL (any
/// number of nodes on one database).
enum StoreLocation {
    case sqlite(path: String)
    case postgres(PostgresStoreConfiguration)

    /// A store description that cannot be used, in one line.
    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    init(_ text: String) throws {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw Invalid(description: "sqlite: needs a path (sqlite:PATH)") }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            do {
                self = .postgres(try PostgresStoreConfiguration(url: text))
            } catch {
                throw Invalid(description: "\(error)")
            }
        } else {
            throw Invalid(description: "unsupported store \(text.debugDescription): use sqlite:PATH or postgres://USER@HOST:PORT/DB")
        }
    }

    /// The location without a password, for messages.
    var shown: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let configuration): configuration.redacted
        }
    }

    /// Opens the store, bringing its schema up to date; PostgreSQL must answer now.
    func open(logger: Logger) async throws -> any RatingStore {
        switch self {
        case .sqlite(let path):
            try SQLiteRatingStore(path: path)
        case .postgres(let configuration):
            try await PostgresRatingStore.open(configuration, logger: logger)
        }
    }

    /// The store `text` names, opened; a description that cannot be used (exit status 2) or a
    /// store that cannot be opened (1) is one line on stderr naming it.
    static func open(_ text: String, logger: Logger) async throws(ExitCode) -> (location: StoreLocation, store: any RatingStore) {
        let location: StoreLocation
        do {
            location = try StoreLocation(text)
        } catch {
            Console.error("\(error)")
            throw ExitCode(2)
        }
        do {
            return (location, try await location.open(logger: logger))
        } catch {
            Console.error("cannot open the store \(location.shown): \(location.describe(error))")
            throw ExitCode(1)
        }
    }

    /// One line about an error from `open`.
    func describe(_ error: any Error) -> String {
        switch self {
        case .sqlite: "\(error)"
        case .postgres: PostgresStoreError.describe(error)
        }
    }
}
