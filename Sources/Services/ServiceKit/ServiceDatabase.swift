import Foundation
import GRDB

/// Where a service keeps its data: a private in-memory database under test, a WAL file when served.
public enum DatabaseLocation: Sendable {
    case inMemory
    case file(String)

    /// Opens the database and migrates it to the service's latest schema.
    public func open(migrator: DatabaseMigrator) throws -> any DatabaseWriter {
        let writer: any DatabaseWriter
        switch self {
        case .inMemory:
            writer = try DatabaseQueue()
        case .file(let path):
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            writer = try DatabasePool(path: path)
        }
        try migrator.migrate(writer)
        return writer
    }
}
