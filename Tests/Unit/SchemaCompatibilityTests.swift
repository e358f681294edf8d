import Foundation
import Harness
import PaymentsSystem
import ServiceKit
import Testing

/// A migration rehearsed against the build that runs now: during a rolling deploy its instances answer on
/// the migrated schema, so a column it uses must not be dropped or renamed in one step; one it never
/// touches may go, and a column added beside the old (the expand step) is always fine.
@Suite struct SchemaCompatibilityTests {
    /// Fraud's statements as the repository records them (`harness contracts record`).
    static let fraud = StatementCatalogue.parse(
        (try? String(contentsOfFile: StackContracts.repositoryDirectory + "/statements/fraud.sql", encoding: .utf8)) ?? "")

    func rehearse(_ sql: String, running statements: [String] = fraud) throws -> RehearsalReport {
        let production = try MigrationTests().copyOfV1Data()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("harness-compat-\(IDs.random(8))")
        defer { [production, scratch].forEach { try? FileManager.default.removeItem(at: $0) } }
        var migrations = SystemUnderTest.payments.migrations
        migrations[.fraud]!.registerMigration("v9-candidate") { try $0.execute(sql: sql) }
        let old = OldBuild(version: "3f2c1a9be0d4", statements: statements)
        return try MigrationRehearsal(migrations: migrations, running: [.fraud: old]).run(from: production, into: scratch)
    }

    @Test func theRepositoryRecordsFraudsStatements() {
        #expect(Self.fraud.contains { $0.hasPrefix("INSERT INTO \"fraud_check\"") }, "\(Self.fraud)")
    }

    @Test func refusesRenamingAColumnTheRunningBuildUsesAndSaysHowToDoIt() throws {
        let failure = try #require(try rehearse("ALTER TABLE fraud_check RENAME COLUMN csc_check TO security_code_check").failure)
        #expect(failure.hasPrefix("fraud: the build running now (3f2c1a9be0d4) cannot run on the migrated schema"), "\(failure)")
        #expect(failure.contains("fraud_check.csc_check is renamed to fraud_check.security_code_check, it seems"), "\(failure)")
        #expect(failure.contains("expand and contract instead: add the new column beside csc_check"), "\(failure)")
    }

    @Test func refusesDroppingAColumnAnInsertOfTheRunningBuildNames() throws {
        let failure = try #require(try rehearse("ALTER TABLE fraud_check DROP COLUMN brand").failure)
        #expect(failure.contains("fraud_check.brand is dropped"), "\(failure)")
        #expect(failure.contains("no column named brand"), "the statement that no longer compiles says why: \(failure)")
    }

    @Test func letsAColumnNoStatementOfTheRunningBuildUsesGo() throws {
        let report = try rehearse("ALTER TABLE fraud_check DROP COLUMN brand", running: ["SELECT decision FROM fraud_check WHERE id = ?"])
        #expect(report.failure == nil, "\(report.lines)")
    }

    @Test func letsAColumnBeAddedBesideTheOld() throws {
        #expect(try rehearse("ALTER TABLE fraud_check ADD COLUMN security_code_check TEXT").failure == nil)
    }
}
