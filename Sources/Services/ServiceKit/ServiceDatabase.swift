import Foundation
import GRDB
import Harness
import HarnessContracts
import Synchronization

/// Where a service keeps its data: a private in-memory database under test, a WAL file when served.
public enum DatabaseLocation: Sendable {
    case inMemory
    case file(String)

    /// Opens the database and migrates it to the service's latest schema.
    ///
    /// In memory, the schema is migrated once per process into a template that every new database is
    /// copied from (SQLite's backup API): a fresh database costs a page copy, not the DDL, which is
    /// what lets every test boot its own stack. A file is first checked against the migrations it
    /// records (`SchemaCheck`), so a database written by a build whose migrations differ is refused
    /// instead of half-working.
    /// - Parameter name: the schema's name; one template per name.
    public func open(_ name: String, migrator: DatabaseMigrator) throws -> ServiceDatabase {
        switch self {
        case .inMemory:
            let queue = try DatabaseQueue()
            try MigratedTemplates.shared.template(name, migrator: migrator).backup(to: queue)
            return ServiceDatabase(queue, inline: true)
        case .file(let path):
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            let pool: DatabasePool
            do {
                // Several processes of one service may share the file: a writer waits for another's
                // transaction (GRDB's writes begin IMMEDIATE) instead of failing at once.
                var configuration = Configuration()
                configuration.busyMode = .timeout(10)
                pool = try DatabasePool(path: path, configuration: configuration)
                try pool.read { _ in }
            } catch {
                throw SchemaMismatch(path: path, problem: "it is not a SQLite database (\(error))")
            }
            try SchemaCheck(migrator: migrator).verify(pool, path: path)
            try migrator.migrate(pool)
            return ServiceDatabase(pool, inline: false)
        }
    }
}

/// A service's database, and how its handlers reach it.
///
/// In memory, every access runs on the calling task: an in-memory SQLite transaction costs a few
/// microseconds, while GRDB's async access first hops to the database's dispatch queue and back (tens
/// of microseconds, and most of an in-memory request). There is no file I/O to keep off the
/// cooperative pool, and a serial queue entered synchronously never waits on a task, so nothing can
/// deadlock. A file database is reached asynchronously, so disk I/O never blocks the pool.
///
/// In memory there is one connection and every access holds it until it returns, so a read sees one
/// state without opening a transaction, and a write's `BEGIN` and `COMMIT` come from the statement
/// cache: GRDB's own `read` wraps each access in four statements compiled anew (`PRAGMA query_only`
/// on and off, `BEGIN`, `COMMIT`), which cost more than a typical query. Reads are read-only where
/// that matters, on the served file's reader connections.
public struct ServiceDatabase: Sendable {
    /// The GRDB database itself, for migrations, checks and tests.
    public let writer: any DatabaseWriter
    let inline: Bool

    public init(_ writer: any DatabaseWriter, inline: Bool) {
        self.writer = writer
        self.inline = inline
    }

    /// Runs `body` against one consistent state of the database.
    public func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        inline ? try readNow(body) : try await writer.read(body)
    }

    /// Runs `body` in a transaction, committed when it returns and rolled back when it throws.
    public func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        inline ? try writeNow(body) : try await writer.write(body)
    }

    // GRDB's synchronous access: in a function that is not `async`, no `async` overload is chosen.
    private func readNow<T>(_ body: (Database) throws -> T) throws -> T { try writer.unsafeRead(body) }

    private func writeNow<T>(_ body: (Database) throws -> T) throws -> T {
        try writer.writeWithoutTransaction { db in
            try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
            do {
                let result = try body(db)
                try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
                return result
            } catch {
                if db.isInsideTransaction { try? db.cachedStatement(sql: "ROLLBACK TRANSACTION").execute() }
                throw error
            }
        }
    }
}

/// Migrated, empty in-memory databases, one per schema, to copy new databases from.
final class MigratedTemplates: Sendable {
    static let shared = MigratedTemplates()
    private let templates = Mutex<[String: DatabaseQueue]>([:])

    func template(_ name: String, migrator: DatabaseMigrator) throws -> DatabaseQueue {
        if let template = templates.withLock({ $0[name] }) { return template }
        let template = try DatabaseQueue()
        try migrator.migrate(template)
        return templates.withLock { cache in
            if let existing = cache[name] { return existing }
            cache[name] = template
            return template
        }
    }
}
