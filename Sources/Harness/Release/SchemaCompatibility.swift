import Foundation
import GRDB
import GRDBSQLite
import HarnessCore

/// Whether the build a service runs now still works on the schema a new build migrates to.
///
/// A rolling deploy migrates the database when the first new instance starts, and the old instances go
/// on answering on it until they are replaced: a column dropped or renamed in one step breaks them. The
/// old build's statements (its `contracts/statements/<service>.sql`) are compiled against the schema
/// before the migrations, with SQLite's authorizer reporting every column each one reads or writes; the
/// columns the migrations took away are compared with those, and each statement is compiled again on the
/// migrated schema (an `INSERT` names its columns to SQLite only there). Nothing is matched in SQL text.
/// A `SELECT *` uses every column of its table, as a record type decoding its row by name may: a column
/// of such a table goes once the running build's statements name their columns, or no longer read it.
public struct OldBuild: Sendable {
    /// What it runs, for the reasons given: `3f2c1a9be0d4`.
    public var version: String
    public var statements: [String]

    public init(version: String, statements: [String]) {
        self.version = version
        self.statements = statements
    }

    /// Why the old build cannot run on the migrated copy at `after`, given the columns of `before`; nil when it can.
    func incompatibility(
        service: ServiceName, migrations: [String], before: [String: [String]], beforePath: String, afterPath: String
    ) throws -> String? {
        let after = try Self.columns(at: afterPath)
        var gone: [String: String] = [:]  // table.column → what became of it
        for (table, columns) in before {
            guard let now = after[table] else {
                for column in columns { gone["\(table).\(column)"] = "dropped with its table" }
                continue
            }
            let added = now.filter { !columns.contains($0) }
            for column in columns where !now.contains(column) {
                gone["\(table).\(column)"] = added.count == 1 ? "renamed to \(table).\(added[0]), it seems" : "dropped"
            }
        }
        let used = try Self.compile(statements, at: beforePath)
        let broken = try Self.compile(statements, at: afterPath)
        var reasons: [(column: String, statement: String)] = []
        // A statement that did not compile before the migrations either is not the migrations' doing.
        for statement in statements where used[statement]?.error == nil {
            for column in (used[statement]?.columns ?? []).sorted() where gone[column] != nil { reasons.append((column, statement)) }
            if reasons.last?.statement != statement, let error = broken[statement]?.error { reasons.append((error, statement)) }
        }
        guard let first = reasons.first else { return nil }
        // The columns named: those the statements use that are gone; for a statement that only fails to
        // compile (an INSERT), every column that is gone.
        var columns = Set(reasons.map(\.column).filter { gone[$0] != nil })
        if columns.isEmpty { columns = Set(gone.keys) }
        guard !columns.isEmpty else { return nil }
        let what = columns.sorted().map { "\($0) is \(gone[$0]!)" }.joined(separator: ", ")
        let count = Set(reasons.map(\.statement)).count
        let name = columns.sorted().first.map { String($0.split(separator: ".").last!) } ?? "the old column"
        return "the build running now (\(version)) cannot run on the migrated schema, as its instances must during a rolling deploy: "
            + "after \(migrations.joined(separator: ", ")), \(what), and \(count) of its statements \(count == 1 ? "needs" : "need") it "
            + "(first: \(first.statement)\(first.column == first.statement ? "" : gone[first.column] == nil ? " — \(first.column)" : "")); "
            + "expand and contract instead: add the new column beside \(name) and write both (this release, old code untouched), "
            + "backfill it and move every reader to it (the next), and drop \(name) only once no deployed build's statements use it"
    }

    /// Every table's columns, by table.
    static func columns(at path: String) throws -> [String: [String]] {
        var readOnly = Configuration()
        readOnly.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: readOnly)
        defer { try? queue.close() }
        return try queue.read { db in
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'")
            return Dictionary(uniqueKeysWithValues: try tables.map { ($0, try db.columns(in: $0).map(\.name)) })
        }
    }

    /// Each statement compiled on the database at `path` (never run): the columns it reads or writes, or SQLite's error.
    static func compile(_ statements: [String], at path: String) throws -> [String: (columns: Set<String>, error: String?)] {
        var connection: OpaquePointer?
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, let connection else {
            sqlite3_close(connection)
            throw HarnessError("cannot open \(path) to compile the old build's statements")
        }
        defer { sqlite3_close(connection) }
        let seen = ColumnsSeen()
        let context = Unmanaged.passUnretained(seen).toOpaque()
        sqlite3_set_authorizer(
            connection,
            { context, action, table, column, _, _ in
                guard let context, action == SQLITE_READ || action == SQLITE_UPDATE, let table, let column else { return SQLITE_OK }
                Unmanaged<ColumnsSeen>.fromOpaque(context).takeUnretainedValue().columns.insert(
                    "\(String(cString: table)).\(String(cString: column))")
                return SQLITE_OK
            }, context)
        var result: [String: (columns: Set<String>, error: String?)] = [:]
        for sql in statements {
            seen.columns = []
            var statement: OpaquePointer?
            let code = sqlite3_prepare_v2(connection, sql, -1, &statement, nil)
            sqlite3_finalize(statement)
            result[sql] = (seen.columns, code == SQLITE_OK ? nil : String(cString: sqlite3_errmsg(connection)))
        }
        return result
    }
}

/// What the authorizer saw while one statement compiled.
private final class ColumnsSeen {
    var columns: Set<String> = []
}
