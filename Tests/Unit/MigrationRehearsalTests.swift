import Crypto
import Foundation
import GRDB
import Harness
import Payments
import PaymentsSystem
import ServiceKit
import Testing

/// The build's migrations rehearsed on a copy of "production": the fixture data directory written by
/// the first release, whose old debits have no processor reference.
@Suite struct MigrationRehearsalTests {
    static let fixtures = MigrationTests.fixtures
    static let candidates = fixtures.appendingPathComponent("rehearsal")

    /// Rehearses into a scratch directory, checking that production's files are byte-identical after.
    func rehearse(candidate: String? = nil, inspect: (RehearsalReport) throws -> Void = { _ in }) throws -> RehearsalReport {
        let production = try MigrationTests().copyOfV1Data()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("harness-rehearsal-\(IDs.random(8))")
        defer { [production, scratch].forEach { try? FileManager.default.removeItem(at: $0) } }
        var migrations = SystemUnderTest.payments.migrations
        if let candidate {
            let sql = try String(contentsOf: Self.candidates.appendingPathComponent("\(candidate).sql"), encoding: .utf8)
            migrations[.payments]!.registerMigration(candidate) { try $0.execute(sql: sql) }
        }
        let before = try digests(production)
        let report = try MigrationRehearsal(migrations: migrations).run(from: production, into: scratch)
        #expect(try digests(production) == before, "production's files are untouched, and no file was added beside them")
        try inspect(report)
        return report
    }

    func digests(_ directory: URL) throws -> [String: String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        return try Dictionary(
            uniqueKeysWithValues: names.map { name in
                (name, SHA256.hash(data: try Data(contentsOf: directory.appendingPathComponent(name))).description)
            })
    }

    @Test func appliesTheBuildsPendingMigrationsToACopyAndChecksIt() throws {
        let report = try rehearse { report in
            let copy = try DatabaseQueue(path: try #require(report.services.first { $0.service == .payments }).copy)
            #expect(try copy.read { try PaymentsService.migrator.appliedIdentifiers($0) } == Set(PaymentsService.migrator.migrations))
        }
        #expect(report.failure == nil)
        let payments = try #require(report.services.first { $0.service == .payments })
        #expect(payments.migrations.map(\.name) == Array(PaymentsService.migrator.migrations.dropFirst()), "every migration after v1")
        #expect(report.lines.contains { $0.hasPrefix("payments   checks: integrity ok, foreign keys ok") }, "\(report.lines)")
    }

    @Test func failsAColumnMadeNotNullWhileOldRowsHoldNull() throws {
        let report = try rehearse(candidate: "v4-debit-reference-required")
        let failure = try #require(report.failure)
        #expect(
            failure == "payments: migration v4-debit-reference-required failed: debit.processor_reference is made NOT NULL "
                + "but 1 row holds NULL there; backfill them in the migration first")
        let failed = try #require(report.services.first { $0.service == .payments }?.migrations.last)
        #expect(failed.name == "v4-debit-reference-required" && failed.failure != nil)
        #expect(report.lines.contains { $0.contains("v4-debit-reference-required") && $0.contains("FAILED") })
    }

    @Test func passesTheSameChangeWithItsBackfill() throws {
        let report = try rehearse(candidate: "v4-debit-reference-backfilled")
        #expect(report.failure == nil)
        let applied = try #require(report.services.first { $0.service == .payments }?.migrations.last)
        #expect(applied.name == "v4-debit-reference-backfilled")
        #expect(applied.rows == 2, "one row backfilled, one copied into the rebuilt table")
    }

    @Test func reportsAProductionSchemaThatIsNotItsMigrations() throws {
        let production = try MigrationTests().copyOfV1Data()
        defer { try? FileManager.default.removeItem(at: production) }
        try DatabaseQueue(path: production.appendingPathComponent("fraud.sqlite").path).write {
            try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-elsewhere')")
        }
        let report = try MigrationRehearsal(migrations: SystemUnderTest.payments.migrations)
            .run(from: production, into: FileManager.default.temporaryDirectory.appendingPathComponent("harness-rehearsal-\(IDs.random(8))"))
        #expect(report.failure?.hasPrefix("fraud: ") == true && report.failure?.contains("v9-from-elsewhere") == true, "\(report.failure ?? "")")
    }

    @Test func refusesADirectoryWithoutDatabases() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("harness-empty-\(IDs.random(8))")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(throws: HarnessError.self) {
            try MigrationRehearsal(migrations: SystemUnderTest.payments.migrations).run(from: empty, into: empty.appendingPathComponent("copy"))
        }
    }
}
