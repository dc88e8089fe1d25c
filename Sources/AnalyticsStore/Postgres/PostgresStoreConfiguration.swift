import Foundation
import PostgresNIO

/// Where a PostgreSQL store is and how to reach it, from a URL:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=disable|prefer|require|verify-full]`.
///
/// As with libpq: the port defaults to 5432, the database to the user's name, the password to
/// `$PGPASSWORD`, and `sslmode` to `prefer` (TLS when the server offers it, without checking its
/// certificate; `verify-full` checks it).
public struct PostgresStoreConfiguration: Sendable, Equatable {
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tlsMode: TLSMode
    /// How long connecting, and each statement of a rating write, may take before it is given up.
    public var timeout: Duration = .seconds(10)
    /// How long bringing the schema up to date may take at start. Longer than `timeout`: nodes
    /// starting together wait in turn for the migration lock, and a busy host is slow to connect.
    public var migrationTimeout: Duration = .seconds(120)
    /// The channel the stores announce commits on; every node of one deployment must share it.
    public var channel = "snaprate_ratings"
    /// How often the commit feed reads the store even without a notification: a safety net, not
    /// the way ratings normally arrive.
    public var pollInterval: Duration = .seconds(2)

    public init(host: String, port: Int = 5432, user: String, password: String? = nil, database: String? = nil,
                tlsMode: TLSMode = .prefer) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database ?? user
        self.tlsMode = tlsMode
    }

    /// Parses a `postgres://` or `postgresql://` URL; the error says what is wrong with it.
    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
              ["postgres", "postgresql"].contains(scheme.lowercased()) else {
            throw PostgresStoreError.invalidURL("not a postgres:// URL")
        }
        guard let host = components.host, !host.isEmpty else {
            throw PostgresStoreError.invalidURL("no host (postgres://USER@HOST:PORT/DB)")
        }
        guard let user = components.user, !user.isEmpty else {
            throw PostgresStoreError.invalidURL("no user (postgres://USER@HOST:PORT/DB)")
        }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.contains("/") else {
            throw PostgresStoreError.invalidURL("the path must be just the database name")
        }
        var tlsMode = TLSMode.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                    let modes = TLSMode.allCases.map(\.rawValue).joined(separator: ", ")
                    throw PostgresStoreError.invalidURL("sslmode must be one of \(modes)")
                }
                tlsMode = mode
            default:
                throw PostgresStoreError.invalidURL("unknown parameter \(item.name.debugDescription) (only sslmode is known)")
            }
        }
        // URLComponents keeps the brackets of an IPv6 literal.
        let bareHost = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.init(host: bareHost, port: components.port ?? 5432, user: user,
                  password: components.password ?? environment["PGPASSWORD"],
                  database: path.isEmpty ? nil : path, tlsMode: tlsMode)
    }

    /// The URL without its password, for logs and error messages.
    public var redacted: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)@\(shownHost):\(port)/\(database)"
    }

    var clientConfiguration: PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(host: host, port: port, username: user, password: password,
                                                         database: database, tls: clientTLS)
        configuration.options.connectTimeout = timeout
        return configuration
    }

    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: user, password: password,
                                                             database: database, tls: try connectionTLS())
        configuration.options.connectTimeout = .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000
                                                             + timeout.components.attoseconds / 1_000_000_000)
        return configuration
    }

    private var tlsConfiguration: TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        // libpq's prefer and require encrypt without checking who answers; verify-full checks.
        if tlsMode != .verifyFull { tls.certificateVerification = .none }
        return tls
    }

    private var clientTLS: PostgresClient.Configuration.TLS {
        switch tlsMode {
        case .disable: .disable
        case .prefer: .prefer(tlsConfiguration)
        case .require, .verifyFull: .require(tlsConfiguration)
        }
    }

    private func connectionTLS() throws -> PostgresConnection.Configuration.TLS {
        switch tlsMode {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: tlsConfiguration))
        case .require, .verifyFull: .require(try NIOSSLContext(configuration: tlsConfiguration))
        }
    }
}
