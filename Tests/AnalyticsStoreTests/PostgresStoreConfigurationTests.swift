import AnalyticsStore
import Testing

/// `--store postgres://...` parsing: what libpq users expect, and one clear line when it is wrong.
@Suite(.timeLimit(.minutes(15))) struct PostgresStoreConfigurationTests {
    @Test func aFullURLGivesEveryPart() throws {
        let configuration = try PostgresStoreConfiguration(url: "postgres://ops:s%40cret@db.venue.lan:6543/snaprate?sslmode=require",
                                                           environment: [:])
        #expect(configuration.host == "db.venue.lan" && configuration.port == 6543)
        #expect(configuration.user == "ops" && configuration.password == "s@cret" && configuration.database == "snaprate")
        #expect(configuration.tlsMode == .require)
        #expect(configuration.redacted == "postgres://ops@db.venue.lan:6543/snaprate")
    }

    @Test func defaultsAreLibpqs() throws {
        let configuration = try PostgresStoreConfiguration(url: "postgresql://snaprate@[::1]", environment: ["PGPASSWORD": "pw"])
        #expect(configuration.host == "::1" && configuration.port == 5432)
        #expect(configuration.database == "snaprate" && configuration.password == "pw" && configuration.tlsMode == .prefer)
        #expect(configuration.redacted == "postgres://snaprate@[::1]:5432/snaprate")
    }

    @Test(arguments: [
        ("postgres://db:5432/x", "no user"),
        ("postgres://user@/x", "no host"),
        ("postgres://user@db/x/y", "just the database name"),
        ("postgres://user@db/x?sslmode=maybe", "sslmode must be one of disable, prefer, require, verify-full"),
        ("postgres://user@db/x?timeout=3", "unknown parameter \"timeout\""),
        ("mysql://user@db/x", "not a postgres:// URL"),
    ])
    func aBadURLIsRefusedWithItsReason(url: String, reason: String) {
        do {
            _ = try PostgresStoreConfiguration(url: url, environment: [:])
            Issue.record("accepted \(url)")
        } catch {
            #expect("\(error)".hasPrefix("invalid PostgreSQL URL: ") && "\(error)".contains(reason), "\(error)")
        }
    }
}
