import Foundation
import GRDB
import Harness
import ServiceKit
import Testing

@testable import Dashboard
@testable import Fraud
@testable import PartnerSandbox
@testable import Payments
@testable import Vault

/// Migrations are frozen once landed; a data directory from an earlier build upgrades or is refused.
@Suite struct MigrationTests {
    static let services: [(String, DatabaseMigrator)] = [
        ("payments", PaymentsMigrations.migrator), ("fraud", FraudMigrations.migrator),
        ("vault", VaultMigrations.migrator), ("dashboard", DashboardMigrations.migrator), ("processor", SandboxStore.migrator),
    ]
    static let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")

    /// What each migration of a service changes, as `Fixtures/schemas/<service>.sql` pins it: every table,
    /// index and trigger it creates, alters or drops, with the SQL SQLite keeps for it.
    static func pinnedText(_ migrator: DatabaseMigrator) throws -> String {
        let check = SchemaCheck(migrator: migrator)
        var before: [String: String] = [:]
        return try migrator.migrations.map { migration in
            let after = try check.schema(after: migration)
            defer { before = after }
            let changes = Set(before.keys).union(after.keys).sorted().compactMap { name -> String? in
                guard before[name] != after[name] else { return nil }
                return after[name].map { "\(name): \($0)" } ?? "\(name): dropped"
            }
            return (["-- \(migration)"] + changes).joined(separator: "\n")
        }.joined(separator: "\n\n") + "\n"
    }

    @Test(arguments: services)
    func producesThePinnedSchemaAfterEveryMigration(service: String, migrator: DatabaseMigrator) throws {
        let actual = try Self.pinnedText(migrator)
        if ProcessInfo.processInfo.environment["HARNESS_PIN_SCHEMAS"] == "1" {
            let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/schemas/\(service).sql")
            try actual.write(to: source, atomically: true, encoding: .utf8)
        }
        let pinned = try String(contentsOf: Self.fixtures.appendingPathComponent("schemas/\(service).sql"), encoding: .utf8)
        let pinnedSections = pinned.components(separatedBy: "\n\n")
        let actualSections = actual.components(separatedBy: "\n\n")
        for (index, section) in pinnedSections.enumerated() {
            let migration = section.split(separator: "\n").first?.dropFirst(3) ?? ""
            try #require(index < actualSections.count, "\(service) lost a landed migration: \(migration)")
            #expect(
                actualSections[index] == section,
                """
                \(service) \(migration) no longer produces the schema it landed with: a landed migration was edited. \
                Undo the edit and make the change a new migration.
                """)
        }
        #expect(
            actualSections.count == pinnedSections.count,
            """
            \(service) has a migration whose schema is not pinned: run `HARNESS_PIN_SCHEMAS=1 swift test --filter MigrationTests` \
            and commit Tests/Unit/Fixtures/schemas/\(service).sql
            """)
    }

    /// A copy of the fixture data directory written by the build whose payments schema was v1 alone.
    func copyOfV1Data() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harness-v1-\(IDs.random(8))")
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("v1-data"), to: directory)
        return directory
    }

    @Test func upgradesADataDirectoryWrittenBeforeTheNewestMigrations() throws {
        let directory = try copyOfV1Data()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (service, migrator) in Self.services {
            let database = try DatabaseLocation.file(directory.appendingPathComponent("\(service).sqlite").path).open(service, migrator: migrator)
                .writer
            let (applied, schema) = try database.read { (try migrator.appliedMigrations($0), try SchemaCheck.schema($0)) }
            #expect(applied == migrator.migrations)
            #expect(schema == (try SchemaCheck(migrator: migrator).schema(after: migrator.migrations.last!)), "\(service)")
        }
        let payments = try DatabaseLocation.file(directory.appendingPathComponent("payments.sqlite").path)
            .open("payments", migrator: PaymentsMigrations.migrator).writer
        let (debits, refunds, imbalance) = try payments.read { db in
            (try Debit.fetchAll(db), try Refund.fetchCount(db), try Ledger.imbalance(in: db))
        }
        #expect(debits.map(\.amount) == [1234], "the fixture's debit survives the upgrade")
        #expect(refunds == 1)
        #expect(imbalance == 0)
    }

    /// The error opening the fixture's database of `service` gives after `damage` was done to it.
    func refusal(_ service: String, _ migrator: DatabaseMigrator, after damage: (String) throws -> Void) throws -> SchemaMismatch {
        let directory = try copyOfV1Data()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("\(service).sqlite").path
        try damage(path)
        return try #require(throws: SchemaMismatch.self) { try DatabaseLocation.file(path).open(service, migrator: migrator) }
    }

    @Test func refusesADatabaseWhoseRecordedMigrationsDoNotMatchItsTables() throws {
        let error = try refusal("payments", PaymentsMigrations.migrator) { path in
            try DatabaseQueue(path: path).write { try $0.execute(sql: "DROP TABLE collection_total") }
        }
        #expect(error.description.contains("its schema is not what migrations v1 produce: table collection_total is missing"), "\(error)")
        #expect(error.description.contains("move the data directory aside"))
        #expect(!error.description.contains("\n"), "one line")
    }

    @Test func refusesADatabaseFromANewerBuild() throws {
        let error = try refusal("fraud", FraudMigrations.migrator) { path in
            try DatabaseQueue(path: path).write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9')") }
        }
        #expect(error.description.contains("does not know (v9)"), "\(error)")
    }

    @Test func refusesAFileThatIsNotADatabase() throws {
        let error = try refusal("vault", VaultMigrations.migrator) { path in
            try Data("not a database, just text that is long enough to be read as a header".utf8).write(to: URL(fileURLWithPath: path))
        }
        #expect(error.description.contains("it is not a SQLite database"), "\(error)")
    }
}
