import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import PostgresNIO

/// A PostgreSQL server for the tests: the one named by `$SNAPRATE_TEST_POSTGRES` (`.ci/run` starts
/// one), else a throwaway one started through `.ci/postgres` from Debian's `postgresql` package,
/// once per test process and removed after it exits. Tests that restart the server start a private
/// one of their own. Each test works in a database of its own (`makeDatabase`).
public final class PostgresTestServer: Sendable {
    /// The server's own database, for administration: `postgres://postgres@127.0.0.1:PORT/postgres`.
    public let url: String
    public let host: String
    public let port: Int
    public let user: String
    /// Set when this process started the server (and so may stop, start and remove it).
    public let dataDirectory: String?

    private init(url: String, host: String, port: Int, user: String, dataDirectory: String?) {
        self.url = url
        self.host = host
        self.port = port
        self.user = user
        self.dataDirectory = dataDirectory
    }

    public static let script = TestData.packageRoot.appendingPathComponent(".ci/postgres").path
    static let externalURL = ProcessInfo.processInfo.environment["SNAPRATE_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }

    /// Whether a server can be had: named in the environment, or the server programs installed.
    public static var available: Bool {
        externalURL != nil || (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?
            .contains { FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/pg_ctl") } == true
    }

    /// Whether tests that need PostgreSQL run: always on CI (where a missing server fails them),
    /// elsewhere when one can be had.
    public static var runTests: Bool { TestData.isCI || available }

    private static let sharedServer: Result<PostgresTestServer, any Error> = Result {
        if let externalURL {
            guard let components = URLComponents(string: externalURL), let host = components.host,
                  let user = components.user else {
                throw MissingTestData(description: "SNAPRATE_TEST_POSTGRES is not a postgres://USER@HOST:PORT/DB URL: \(externalURL)")
            }
            return PostgresTestServer(url: externalURL, host: host, port: components.port ?? 5432, user: user,
                                      dataDirectory: nil)
        }
        return try startPrivate()
    }

    /// The server most tests share.
    public static func shared() throws -> PostgresTestServer {
        try sharedServer.get()
    }

    /// A server of the caller's own, on a free loopback port; `remove()` it when done. It is
    /// removed anyway once this test process has ended, however it ended.
    public static func startPrivate() throws -> PostgresTestServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("snaprate-pg-\(UUID().uuidString)").path
        let port = try freePort()
        let output = try runScript(["start", directory, "\(port)", "\(getpid())"])
        return PostgresTestServer(url: output.trimmingCharacters(in: .whitespacesAndNewlines), host: "127.0.0.1",
                                  port: port, user: "postgres", dataDirectory: directory)
    }

    /// Stops the server (fast: open transactions roll back, connections are closed).
    public func stop() throws { _ = try Self.runScript(["stop", try ownDirectory()]) }

    /// Stops the server as a crash would (no shutdown checkpoint; recovery at the next start).
    public func kill() throws { _ = try Self.runScript(["kill", try ownDirectory()]) }

    /// Starts the server again on its port.
    public func start() throws { _ = try Self.runScript(["start", try ownDirectory(), "\(port)"]) }

    /// Stops the server and deletes its data.
    public func remove() throws { _ = try Self.runScript(["remove", try ownDirectory()]) }

    /// Creates a database with a fresh name and returns a store URL for it.
    public func makeDatabase() async throws -> String {
        let name = "snaprate_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
        let configuration = PostgresConnection.Configuration(host: host, port: port, username: user, password: nil,
                                                             database: "postgres", tls: .disable)
        let logger = Logger(label: "test.postgres")
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        } catch {
            try? await connection.close()
            throw MissingTestData(description: "CREATE DATABASE on \(url) failed: \(String(reflecting: error))")
        }
        try? await connection.close()
        return "postgres://\(user)@\(host):\(port)/\(name)?sslmode=disable"
    }

    private func ownDirectory() throws -> String {
        guard let dataDirectory else {
            throw MissingTestData(description: "the server at \(url) was not started by this test process")
        }
        return dataDirectory
    }

    /// Runs `.ci/postgres` and returns its last line of output.
    ///
    /// Through posix_spawn and waitpid, not Foundation's `Process`: tests call this from Swift's
    /// cooperative pool (two threads here), and `Process` learns of its child's exit through a
    /// dispatch source that a pool blocked by waiting tests never runs.
    @discardableResult
    static func runScript(_ arguments: [String]) throws -> String {
        // Foundation's pipe is close-on-exec: a process another test starts at this moment must not
        // inherit its write end, or the read below would wait for that process to exit, not for
        // the script.
        let pipe = Pipe()
        let (reading, writing) = (pipe.fileHandleForReading.fileDescriptor, pipe.fileHandleForWriting.fileDescriptor)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writing, 1)
        posix_spawn_file_actions_adddup2(&actions, writing, 2)
        // Descriptors that are not close-on-exec (the test process inherits some) reach the script
        // too; it closes them before it starts a server, which would otherwise hold them for its life.
        let argv = (["/bin/bash", script] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, "/bin/bash", &actions, nil, argv, environ)
        try? pipe.fileHandleForWriting.close()
        guard spawned == 0 else {
            throw MissingTestData(description: "could not run .ci/postgres: \(String(cString: strerror(spawned)))")
        }
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(reading, &buffer, buffer.count)
            if count > 0 {
                output.append(contentsOf: buffer[0..<count])
            } else if count == 0 || errno != EINTR {
                break
            }
        }
        try? pipe.fileHandleForReading.close()
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0, errno == EINTR {}
        let text = String(decoding: output, as: UTF8.self)
        // Exited normally with status 0: the low 7 bits (signal) and the exit code are both zero.
        guard status == 0 else {
            throw MissingTestData(description: ".ci/postgres \(arguments.joined(separator: " ")) failed (wait status \(status)): \(text)")
        }
        return text.split(separator: "\n").last.map(String.init) ?? ""
    }

    /// A loopback port nobody listens on now.
    public static func freePort() throws -> Int {
        let (socket, port) = try LoopbackSocket.bind()
        close(socket)
        return port
    }
}
