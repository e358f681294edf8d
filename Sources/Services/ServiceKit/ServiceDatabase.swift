import Foundation
import GRDB
import Synchronization

/// Where a service keeps its data: a private in-memory database under test, a WAL file when served.
public enum DatabaseLocation: Sendable {
    case inMemory
    case file(String)

    /// Opens the database and migrates it to the service's latest schema.
    ///
    /// In memory, the schema is migrated once per process into a template that every new database is
    /// copied from (SQLite's backup API): a fresh database costs a page copy, not the DDL, which is
    /// what lets every test boot its own stack.
    /// - Parameter name: the schema's name; one template per name.
    public func open(_ name: String, migrator: DatabaseMigrator) throws -> any DatabaseWriter {
        switch self {
        case .inMemory:
            let queue = try DatabaseQueue()
            try MigratedTemplates.shared.template(name, migrator: migrator).backup(to: queue)
            return queue
        case .file(let path):
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            let pool = try DatabasePool(path: path)
            try migrator.migrate(pool)
            return pool
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
