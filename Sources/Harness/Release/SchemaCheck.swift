import GRDB

/// A database whose schema is not what its recorded migrations produce: what is wrong, and what to do.
public struct SchemaMismatch: Error, CustomStringConvertible {
    public var path: String
    public var problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String {
        "\(path): \(problem); move the data directory aside (or restore it from a backup) and start again"
    }
}

/// Checks that a database holds exactly the schema its recorded migrations produce.
///
/// Migrations are frozen once they have landed: a database that records `v1` must have v1's tables,
/// columns and indexes. One written by a build whose `v1` differed (or edited by hand) would otherwise
/// open with its migrations "applied" and tables missing, and fail later, on a user's request.
public struct SchemaCheck {
    public let migrator: DatabaseMigrator

    public init(migrator: DatabaseMigrator) { self.migrator = migrator }

    public func verify(_ database: any DatabaseWriter, path: String) throws {
        let (recorded, actual) = try database.read { db in (try migrator.appliedIdentifiers(db), try Self.schema(db)) }
        let unknown = recorded.subtracting(migrator.migrations).sorted()
        guard unknown.isEmpty else {
            throw SchemaMismatch(
                path: path,
                problem: "it records migrations this build does not know (\(unknown.joined(separator: ", "))); "
                    + "it was written by a newer build")
        }
        let applied = migrator.migrations.filter(recorded.contains)
        guard let last = applied.last else {
            guard actual.isEmpty else {
                throw SchemaMismatch(path: path, problem: "it has tables (\(actual.keys.sorted().joined(separator: ", "))) but records no migration")
            }
            return
        }
        guard Array(migrator.migrations.prefix(applied.count)) == applied else {
            throw SchemaMismatch(path: path, problem: "it records migrations \(applied.joined(separator: ", ")) but not all before them")
        }
        let expected = try schema(after: last)
        let differences = Self.differences(expected: expected, actual: actual)
        guard differences.isEmpty else {
            throw SchemaMismatch(
                path: path,
                problem: "its schema is not what migrations \(applied.joined(separator: ", ")) produce: "
                    + differences.joined(separator: "; "))
        }
    }

    /// The schema a fresh database has after the migrations up to `migration`.
    public func schema(after migration: String) throws -> [String: String] {
        let queue = try DatabaseQueue()
        try migrator.migrate(queue, upTo: migration)
        return try queue.read(Self.schema)
    }

    /// Every table, index, view and trigger by name, with the SQL that made it (whitespace folded).
    public static func schema(_ db: Database) throws -> [String: String] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT type, name, sql FROM sqlite_master
                WHERE name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations' AND sql IS NOT NULL
                """)
        return Dictionary(
            uniqueKeysWithValues: rows.map { row in
                let sql: String = row["sql"]
                return ("\(row["type"] as String) \(row["name"] as String)", sql.split(whereSeparator: \.isWhitespace).joined(separator: " "))
            })
    }

    static func differences(expected: [String: String], actual: [String: String]) -> [String] {
        Set(expected.keys).union(actual.keys).sorted().compactMap { name in
            switch (expected[name], actual[name]) {
            case (_?, nil): "\(name) is missing"
            case (nil, _?): "\(name) should not exist"
            case (let want?, let have?) where want != have: "\(name) differs (\(have) instead of \(want))"
            default: nil
            }
        }
    }
}
