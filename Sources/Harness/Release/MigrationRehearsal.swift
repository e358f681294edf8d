import Foundation
import GRDB
import HarnessContracts
import HarnessCore

/// Runs a build's pending migrations on a copy of production's databases before the build is deployed.
///
/// A migration that passes on a fresh test database can still fail on years of real rows: a column made
/// NOT NULL while old rows hold NULL is the classic. The rehearsal copies each service's database with
/// SQLite's online backup (a consistent snapshot, safe while production serves; the source is opened
/// read-only), applies each pending migration to the copy alone, then runs SQLite's integrity and
/// foreign-key checks. Production is never written.
///
/// ```swift
/// let report = try MigrationRehearsal(migrations: system.migrations).run(from: productionData, into: scratch)
/// if let failure = report.failure { print(failure) }
/// ```
public struct MigrationRehearsal: Sendable {
    /// Each service's migrations, as the build to deploy has them.
    public var migrations: [ServiceName: DatabaseMigrator]
    /// The builds running now, by service: each must still work on the schema its service's migrations
    /// leave, as its instances answer on it during a rolling deploy.
    public var running: [ServiceName: OldBuild]

    public init(migrations: [ServiceName: DatabaseMigrator], running: [ServiceName: OldBuild] = [:]) {
        self.migrations = migrations
        self.running = running
    }

    /// Rehearses every service whose `<name>.sqlite` is in `source`, copying the databases into `scratch`.
    public func run(from source: URL, into scratch: URL) throws -> RehearsalReport {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw HarnessError("\(source.path) is not a data directory")
        }
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let services = migrations.keys.sorted { $0.rawValue < $1.rawValue }
            .filter { FileManager.default.fileExists(atPath: source.appendingPathComponent("\($0).sqlite").path) }
        guard !services.isEmpty else {
            throw HarnessError(
                "\(source.path) holds no service database (\(migrations.keys.map { "\($0).sqlite" }.sorted().joined(separator: ", ")))")
        }
        return RehearsalReport(
            services: try services.map { service in
                try rehearse(
                    service, migrations[service]!,
                    from: source.appendingPathComponent("\(service).sqlite"), into: scratch.appendingPathComponent("\(service).sqlite"))
            })
    }

    func rehearse(_ service: ServiceName, _ migrator: DatabaseMigrator, from source: URL, into copyURL: URL) throws -> ServiceRehearsal {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copyURL.path + suffix) }
        var readOnly = Configuration()
        readOnly.readonly = true
        let copy: DatabaseQueue
        // Reading a WAL database makes its `-wal` and `-shm` companions when production is not running;
        // those are removed again, so the directory is as it was.
        let companions = ["-wal", "-shm"].map { source.path + $0 }.filter { !FileManager.default.fileExists(atPath: $0) }
        do {
            let production = try DatabaseQueue(path: source.path, configuration: readOnly)
            copy = try DatabaseQueue(path: copyURL.path)
            try production.backup(to: copy)
            try production.close()
            let walIsEmpty = (try? FileManager.default.attributesOfItem(atPath: source.path + "-wal")[.size] as? Int) ?? 0 == 0
            if walIsEmpty { companions.forEach { try? FileManager.default.removeItem(atPath: $0) } }
        } catch {
            throw HarnessError("\(service): cannot copy \(source.path): \(error)")
        }
        var result = ServiceRehearsal(service: service, copy: copyURL.path)
        do {
            try SchemaCheck(migrator: migrator).verify(copy, path: source.path)
        } catch {
            result.problem = "\(error)"
            return result
        }
        let applied = try copy.read { try migrator.appliedIdentifiers($0) }
        // The schema the running build works on, kept to compare with the migrated one.
        let old = running[service]
        let beforeCopy = copyURL.path + ".before"
        if old != nil {
            try? FileManager.default.removeItem(atPath: beforeCopy)
            try copy.writeWithoutTransaction { try $0.execute(sql: "VACUUM INTO ?", arguments: [beforeCopy]) }
        }
        defer { try? FileManager.default.removeItem(atPath: beforeCopy) }
        for migration in migrator.migrations where !applied.contains(migration) {
            let before = try copy.inDatabase { ($0.totalChangesCount, try Self.tables($0)) }
            let started = ContinuousClock.now
            do {
                try migrator.migrate(copy, upTo: migration)
                let rows = try copy.inDatabase { $0.totalChangesCount } - before.0 - 1  // less grdb_migrations' own row
                result.migrations.append(.init(name: migration, rows: max(rows, 0), time: ContinuousClock.now - started))
            } catch {
                let reason = try copy.inDatabase { try Self.reason(error, service: service, migration: migration, tables: before.1, db: $0) }
                result.migrations.append(.init(name: migration, rows: 0, time: ContinuousClock.now - started, failure: reason))
                return result
            }
        }
        if let old, !result.migrations.isEmpty {
            try copy.writeWithoutTransaction { try $0.checkpoint(.truncate) }
            result.problem = try old.incompatibility(
                service: service, migrations: result.migrations.map(\.name), before: try OldBuild.columns(at: beforeCopy),
                beforePath: beforeCopy, afterPath: copyURL.path)
            if result.problem != nil { return result }
        }
        try copy.inDatabase { db in
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            if integrity != ["ok"] { result.problem = "integrity check: \(integrity.prefix(3).joined(separator: "; "))" }
            let orphans = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            if let first = orphans.first {
                result.problem =
                    "foreign key check: \(orphans.count) rows point nowhere (first: \(first["table"] as String) row \(first["rowid"] as Int64? ?? 0) → \(first["parent"] as String))"
            }
        }
        return result
    }

    /// What a failed migration's error means for the data: a NOT NULL constraint is named with its
    /// table, column and the rows that hold NULL there.
    static func reason(_ error: any Error, service: ServiceName, migration: String, tables: Set<String>, db: Database) throws -> String {
        let prefix = "\(service): migration \(migration) failed"
        guard let error = error as? DatabaseError else { return "\(prefix): \(error)" }
        let message = error.message ?? "\(error)"
        guard error.extendedResultCode == .SQLITE_CONSTRAINT_NOTNULL,
            let target = message.split(separator: ": ").last?.split(separator: "."), target.count == 2
        else {
            return "\(prefix): \(message)"
        }
        // A table rebuilt to change a column copies into `<table>_new` (or `new_<table>`): the rows are the old table's.
        let written = String(target[0])
        let column = String(target[1])
        let table =
            [written, String(written.dropLast(4)), String(written.dropFirst(4))]
            .first { tables.contains($0) && (written == $0 || written == $0 + "_new" || written == "new_" + $0) } ?? written
        guard tables.contains(table) else { return "\(prefix): \(message)" }
        let offending =
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.quotedDatabaseIdentifier) WHERE \(column.quotedDatabaseIdentifier) IS NULL") ?? 0
        return "\(prefix): \(table).\(column) is made NOT NULL but \(offending) \(offending == 1 ? "row holds" : "rows hold") NULL there; "
            + "backfill them in the migration first"
    }

    static func tables(_ db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
    }
}

/// What a rehearsal found, per service and migration.
public struct RehearsalReport: Sendable {
    public var services: [ServiceRehearsal]

    /// The first thing that failed, in one line; nil when every migration applied and every check passed.
    public var failure: String? {
        services.lazy.compactMap { service in
            service.migrations.lazy.compactMap(\.failure).first ?? service.problem.map { "\(service.service): \($0)" }
        }.first
    }

    /// One line per migration and one per service's checks.
    public var lines: [String] {
        services.flatMap { service -> [String] in
            let name = service.service.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
            var lines = service.migrations.map { migration in
                let what = migration.failure == nil ? "applied" : "FAILED "
                let time = String(format: "%.1f ms", migration.time.microseconds / 1000)
                return
                    "\(name) \(migration.name.padding(toLength: 32, withPad: " ", startingAt: 0)) \(what) \(String(migration.rows).leftPadded(7)) rows \(time.leftPadded(10))"
                    + (migration.failure.map { "\n           \($0)" } ?? "")
            }
            if service.migrations.isEmpty && service.problem == nil { lines.append("\(name) no pending migration") }
            if service.migrations.allSatisfy({ $0.failure == nil }) {
                lines.append("\(name) checks: " + (service.problem ?? "integrity ok, foreign keys ok"))
            }
            return lines
        }
    }
}

/// One service's rehearsal.
public struct ServiceRehearsal: Sendable {
    public var service: ServiceName
    /// The rehearsed copy, left for inspection.
    public var copy: String
    public var migrations: [MigrationResult] = []
    /// A schema that is not its migrations', or a failed integrity or foreign-key check.
    public var problem: String?
}

/// One pending migration applied to the copy: the rows it changed and how long it took, or why it failed.
public struct MigrationResult: Sendable {
    public var name: String
    public var rows: Int
    public var time: Duration
    public var failure: String?
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
